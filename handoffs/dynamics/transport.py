"""msal's own HTTP (discovery, token) goes through handoffs.outbound.http too, and is audited.

Entra's 429/5xx answers and transport failures become retryable, classified errors.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from handoffs.dynamics import classify
from handoffs.errors import HandoffError
from handoffs.outbound import http

ExchangeHook = Callable[[str, str, "int | None", int, "str | None"], None]
"""on_exchange(method, path, status, duration_ms, error_code): one call per HTTP exchange."""

# The hook msal's own requests (discovery, token) report to, set while a token is fetched.
token_hook: contextvars.ContextVar[ExchangeHook | None] = contextvars.ContextVar(
    "dynamics_token_hook", default=None
)


class DoorHttpClient:
    """msal's http_client: its discovery and token requests go through our door too."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def get(self, url: str, params: Any = None, headers: Any = None, **_: Any) -> Any:
        return self._send("GET", url, params=params, headers=headers)

    def post(
        self, url: str, params: Any = None, data: Any = None, headers: Any = None, **_: Any
    ) -> Any:
        return self._send("POST", url, params=params, data=data, headers=headers)

    def close(self) -> None:
        """The pooled session outlives msal; nothing to close here."""

    def _send(self, method: str, url: str, **kwargs: Any) -> Any:
        hook = token_hook.get()
        try:
            response, exchange = http.send(self._session, method, url, **kwargs)
        except http.OutboundError as exc:
            if hook:
                hook(method, urlsplit(url).path, None, 0, transport_code(exc))
            raise
        if hook:
            code = "entra_unavailable" if entra_busy(response.status_code) else None
            hook(method, exchange.path, exchange.status, exchange.duration_ms, code)
        if entra_busy(response.status_code):
            # msal would raise its own HTTPError here; ours is classified as retryable.
            raise http.OutboundError(
                f"{method} {exchange.path}: HTTP {response.status_code}.",
                status=response.status_code,
                retryable=True,
                retry_after=http.parse_retry_after(response.headers.get("Retry-After")),
            )
        return response


def entra_busy(status: int) -> bool:
    """Entra is throttling or down: worth retrying later."""
    return status == 429 or status >= 500


def transport_code(exc: http.OutboundError) -> str:
    """'timeout' or 'connection_failed' for a request that got no answer."""
    return "timeout" if "no answer within" in exc.message else "connection_failed"


def transport_error(exc: http.OutboundError) -> HandoffError:
    """The classified error for a request (to Entra or Dataverse) that got no usable answer."""
    if exc.status:  # Entra answered 429/5xx
        return HandoffError(
            "entra_unavailable", http_status=exc.status, retry_after=exc.retry_after
        )
    return classify.from_transport(exc.message, timed_out=transport_code(exc) == "timeout")

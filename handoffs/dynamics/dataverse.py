"""Dataverse Web API requests for one connection: OData headers, one retry after a 401, errors.

Tokens come from a TokenSource (handoffs.dynamics.client, the only module that talks to msal);
requests go through handoffs.outbound.http. Build clients with client_for, never by hand.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit

from handoffs.dynamics import classify
from handoffs.dynamics.reply import AuditedClient, Reply
from handoffs.dynamics.transport import ExchangeHook, transport_code, transport_error
from handoffs.models import DynamicsConnection
from handoffs.outbound import http

API_PATH = "/api/data/v9.2/"
ODATA_HEADERS = {
    "Accept": "application/json",
    "OData-MaxVersion": "4.0",
    "OData-Version": "4.0",
    "If-None-Match": "null",
}


class Tokens(Protocol):
    """Where a client gets its access tokens (handoffs.dynamics.client.TokenSource)."""

    def token(self, scope: str, on_exchange: ExchangeHook | None = None) -> str: ...

    def drop_token(self, scope: str) -> None: ...


def _plain(value: object) -> object:
    """JSON for a plan's read-only mappings (handoffs.delivery.plan.frozen)."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def record_url(environment_url: str, entity: str, record_id: object) -> str:
    """The Dynamics deep link that opens a record's form."""
    return f"{environment_url}/main.aspx?etn={entity}&pagetype=entityrecord&id={record_id}"


class DynamicsClient:
    """Authenticated Dataverse Web API calls for one connection."""

    def __init__(self, connection: DynamicsConnection, fingerprint: str, tokens: Tokens) -> None:
        self.fingerprint = fingerprint
        self.environment_url = connection.environment_url.rstrip("/")
        self.api_base = self.environment_url + API_PATH
        self.scope = f"{self.environment_url}/.default"
        self.session_name = f"dynamics:{connection.pk}"
        self.session = http.session_for(self.session_name)
        self.tokens = tokens

    def __repr__(self) -> str:  # never the secret
        return f"<DynamicsClient {self.environment_url}>"

    def token(self, on_exchange: ExchangeHook | None = None) -> str:
        """An access token for the environment, from msal's cache when still valid."""
        return self.tokens.token(self.scope, on_exchange)

    def drop_token(self) -> None:
        """Forget the environment's cached access token so the next call asks Entra ID again."""
        self.tokens.drop_token(self.scope)

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.api_base + path

    def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        on_exchange: ExchangeHook | None = None,
    ) -> Reply:
        """One Dataverse request: token, OData headers, one retry after a 401, classified errors."""
        for attempt in (1, 2):
            reply = self._send_once(method, path, params, body, headers, on_exchange)
            if reply.status == 401 and attempt == 1:
                self.drop_token()  # an expired or revoked token: fetch a new one, once
                continue
            break
        if reply.status >= 400:
            raise classify.from_response(
                reply.status, reply.raw, urlsplit(self.url(path)).path, reply.retry_after
            )
        return reply

    def _send_once(
        self,
        method: str,
        path: str,
        params: dict[str, str] | None,
        body: Any,
        headers: dict[str, str] | None,
        on_exchange: ExchangeHook | None,
    ) -> Reply:
        token = self.token(on_exchange)
        all_headers = {**ODATA_HEADERS, "Authorization": f"Bearer {token}", **(headers or {})}
        data = None
        if body is not None:
            all_headers["Content-Type"] = "application/json; charset=utf-8"
            data = json.dumps(body, ensure_ascii=False, default=_plain).encode()
        url = self.url(path)
        try:
            response, exchange = http.send(
                self.session, method, url, headers=all_headers, data=data, params=params
            )
        except http.OutboundError as exc:
            if on_exchange:
                on_exchange(method, urlsplit(url).path, None, 0, transport_code(exc))
            raise transport_error(exc) from None
        reply = Reply.of(response)
        if on_exchange:
            code = None
            if reply.status >= 400:
                code = classify.from_response(reply.status, reply.raw, exchange.path).code
            on_exchange(method, exchange.path, exchange.status, exchange.duration_ms, code)
        return reply

    def get(self, path: str, *, params: dict[str, str] | None = None, **kw: Any) -> dict:
        """GET and return the parsed JSON body."""
        return self.send("GET", path, params=params, **kw).json()

    def post(self, path: str, body: Any, **kw: Any) -> dict:
        """POST a JSON body; return the parsed answer ({} for 204 No Content)."""
        return self.send("POST", path, body=body, **kw).json()

    def patch(self, path: str, body: Any, **kw: Any) -> dict:
        """PATCH a JSON body; return the parsed answer ({} for 204 No Content)."""
        return self.send("PATCH", path, body=body, **kw).json()

    def audited(self, on_exchange: ExchangeHook | None) -> AuditedClient:
        """This client with `on_exchange` attached to every call."""
        return AuditedClient(self, on_exchange)

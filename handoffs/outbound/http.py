"""The one door to outbound HTTP: timeouts, pooled sessions, one exception type, no secrets.

Every call to Entra ID, Dataverse, an OpenCX callback or our own webhook goes through here.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from handoffs.outbound.policy import is_internal_address, is_loopback, loopback_allowed

logger = logging.getLogger(__name__)

_sessions: dict[str, requests.Session] = {}
_sessions_lock = threading.Lock()


class OutboundError(Exception):
    """An outbound request failed; the message never contains a secret or a token."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


@dataclass(frozen=True)
class Exchange:
    """What happened on the wire, for the audit log (no headers, no bodies)."""

    method: str
    path: str
    status: int | None
    duration_ms: int


class InternalPeerRefused(NewConnectionError):
    """The host answered from an internal address; nothing was sent to it."""


def _public_socket(connection: HTTPConnection, sock: socket.socket) -> socket.socket:
    # Judged on the connected socket, so a DNS answer that changes after an earlier check
    # (rebinding) still cannot reach inside.
    if is_internal_address(ipaddress.ip_address(sock.getpeername()[0].split("%")[0])):
        sock.close()
        raise InternalPeerRefused(connection, "the host resolves to an internal address")
    return sock


class PublicHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _public_socket(self, super()._new_conn())


class PublicHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:  # before the TLS handshake and the request
        return _public_socket(self, super()._new_conn())


class PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = PublicHTTPConnection


class PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = PublicHTTPSConnection


class PublicOnlyAdapter(HTTPAdapter):
    """Direct connections only to public addresses (proxied ones are the proxy's business)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": PublicHTTPPool, "https": PublicHTTPSPool}


def session_for(name: str, *, public_only: bool = False) -> requests.Session:
    """One pooled requests.Session per name (a connection, or 'callbacks').

    With `public_only`, the session refuses to connect to internal addresses.
    """
    key = f"{name}|public" if public_only else name
    with _sessions_lock:
        session = _sessions.get(key)
        if session is None:
            session = LoopbackAwareSession()
            if public_only:
                session.mount("http://", PublicOnlyAdapter())
                session.mount("https://", PublicOnlyAdapter())
            _sessions[key] = session
        return session


def forget_session(name: str) -> None:
    """Drop a pooled session, e.g. when a connection's credentials change."""
    with _sessions_lock:
        session = _sessions.pop(name, None)
    if session is not None:
        session.close()


class LoopbackAwareSession(requests.Session):
    """A requests.Session that, in development only, talks plain HTTP to local stand-ins.

    msal insists on https authorities; local stand-ins (the built-in sandbox) serve plain
    HTTP on loopback. When ALLOW_LOOPBACK_DYNAMICS_URLS is on, https://127.0.0.1… is sent
    as http://127.0.0.1…; nothing else is ever rewritten.
    """

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        parts = urlsplit(url)
        if parts.scheme == "https" and is_loopback(url) and loopback_allowed():
            url = urlunsplit(("http", *parts[1:]))
        kwargs.setdefault("timeout", timeouts())
        return super().request(method, url, *args, **kwargs)


def timeouts() -> tuple[float, float]:
    return (settings.OUTBOUND_CONNECT_TIMEOUT, settings.OUTBOUND_READ_TIMEOUT)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form), else None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    json: Any = None,
    data: bytes | str | None = None,
    params: dict[str, str] | None = None,
    timeout: tuple[float, float] | None = None,
) -> tuple[requests.Response, Exchange]:
    """Send one request; return (response, exchange) or raise OutboundError.

    Only transport failures raise here: HTTP error statuses come back for the caller to
    classify, because their meaning depends on the API.
    """
    started = time.monotonic()
    path = urlsplit(url).path
    try:
        response = session.request(
            method,
            url,
            headers=headers,
            json=json,
            data=data,
            params=params,
            timeout=timeout or timeouts(),
            allow_redirects=False,
        )
    except requests.Timeout:
        raise OutboundError(
            f"{method} {path}: no answer within {timeout or timeouts()} seconds.", retryable=True
        ) from None
    except requests.ConnectionError as exc:
        if _refused_internal(exc):
            raise OutboundError(
                f"{method} {path}: refused, the host resolves to an internal address."
            ) from None
        reason = type(exc).__name__
        raise OutboundError(
            f"{method} {path}: could not connect ({reason}).", retryable=True
        ) from None
    except requests.RequestException as exc:
        raise OutboundError(f"{method} {path}: request failed ({type(exc).__name__}).") from None
    duration_ms = int((time.monotonic() - started) * 1000)
    return response, Exchange(method, path, response.status_code, duration_ms)


def _refused_internal(exc: requests.ConnectionError) -> bool:
    reason = getattr(exc.args[0] if exc.args else None, "reason", None)
    return isinstance(reason, InternalPeerRefused)


def post_json(
    name: str, url: str, body: bytes, headers: dict[str, str], *, public_only: bool = False
) -> tuple[requests.Response, Exchange]:
    """POST a ready-made JSON body (callbacks, test handoffs)."""
    return send(
        session_for(name, public_only=public_only),
        "POST",
        url,
        data=body,
        headers={"Content-Type": "application/json", **headers},
    )

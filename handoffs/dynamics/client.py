"""The one door to Dataverse: a token from msal, one pooled session, OData headers, errors.

One DynamicsClient per connection, cached for the process, so msal's token cache lives as long as
the credentials do. It is rebuilt when any credential field changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import msal

from handoffs.dynamics import classify, token_cache
from handoffs.dynamics.reply import AuditedClient, Reply
from handoffs.dynamics.transport import (
    DoorHttpClient,
    ExchangeHook,
    token_hook,
    transport_code,
    transport_error,
)
from handoffs.models import DynamicsConnection
from handoffs.outbound import http

__all__ = ["AuditedClient", "DynamicsClient", "ExchangeHook", "Reply", "client_for"]

logger = logging.getLogger(__name__)

API_PATH = "/api/data/v9.2/"
ODATA_HEADERS = {
    "Accept": "application/json",
    "OData-MaxVersion": "4.0",
    "OData-Version": "4.0",
    "If-None-Match": "null",
}

_clients: dict[int, DynamicsClient] = {}
_clients_lock = threading.Lock()


def credentials_fingerprint(connection: DynamicsConnection) -> str:
    """A hash of every field the token depends on (never stored, never shown)."""
    fields = (
        connection.azure_tenant_id,
        connection.client_id,
        connection.client_secret,
        connection.environment_url,
        connection.authority_host,
    )
    return hashlib.sha256("\x1f".join(str(f) for f in fields).encode()).hexdigest()


def client_for(connection: DynamicsConnection) -> DynamicsClient:
    """The process-wide client of a connection, rebuilt when its credentials changed."""
    fingerprint = credentials_fingerprint(connection)
    with _clients_lock:
        client = _clients.get(connection.pk)
        if client is not None and client.fingerprint == fingerprint:
            return client
        if client is not None:
            http.forget_session(client.session_name)
        client = DynamicsClient(connection, fingerprint)
        _clients[connection.pk] = client
        return client


def forget_client(connection_pk: int) -> None:
    """Drop a connection's client (and its cached token), e.g. after the connection is deleted."""
    with _clients_lock:
        client = _clients.pop(connection_pk, None)
    if client is not None:
        http.forget_session(client.session_name)


def _https(url: str) -> str:
    # msal accepts https authorities only; the door sends https://127.0.0.1 as plain http.
    parts = urlsplit(url)
    if parts.scheme == "http" and http.is_loopback(url):
        return urlunsplit(("https", *parts[1:]))
    return url


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

    def __init__(self, connection: DynamicsConnection, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.environment_url = connection.environment_url.rstrip("/")
        self.api_base = self.environment_url + API_PATH
        self.scope = f"{self.environment_url}/.default"
        self.session_name = f"dynamics:{connection.pk}"
        self.session = http.session_for(self.session_name)
        self._tenant_id = connection.azure_tenant_id
        self._client_id = connection.client_id
        self._secret = connection.client_secret
        self._authority = _https(f"{connection.authority_host.rstrip('/')}/{self._tenant_id}")
        self._app: msal.ConfidentialClientApplication | None = None
        self._cache = msal.SerializableTokenCache()
        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never the secret
        return f"<DynamicsClient {self.environment_url}>"

    def _application(self) -> msal.ConfidentialClientApplication:
        # Built lazily: msal reads the directory's OpenID configuration in its constructor.
        if self._app is None:
            try:
                self._app = msal.ConfidentialClientApplication(
                    self._client_id,
                    client_credential=self._secret,
                    authority=self._authority,
                    http_client=DoorHttpClient(self.session),
                    token_cache=self._cache,
                    # Instance discovery only serves user-account aliases and would ask
                    # login.microsoftonline.com about sovereign or local authorities; the
                    # authority host was already checked when the connection was saved.
                    instance_discovery=False,
                )
            except ValueError as exc:
                # msal re-raises the discovery answer (with its AADSTS code) as the context.
                raise classify.from_discovery_failure(f"{exc} {exc.__context__}") from None
        return self._app

    @contextmanager
    def _reporting(self, on_exchange: ExchangeHook | None) -> Iterator[None]:
        token = token_hook.set(on_exchange)
        try:
            yield
        finally:
            token_hook.reset(token)

    def token(self, on_exchange: ExchangeHook | None = None) -> str:
        """An access token for the environment, from msal's cache when still valid."""
        with self._lock, self._reporting(on_exchange):
            app = self._application()
            try:
                result = token_cache.acquire(
                    self._cache,
                    self.fingerprint,
                    self.scope,
                    lambda: app.acquire_token_for_client(scopes=[self.scope]),
                )
            except http.OutboundError as exc:
                raise transport_error(exc) from None
        if "access_token" not in result:
            error = classify.from_entra_result(result)
            logger.warning("token refused for %s: %s", self.environment_url, error.code)
            raise error
        return result["access_token"]

    def drop_token(self) -> None:
        """Forget cached access tokens so the next call asks Entra ID again."""
        with self._lock:
            if self._app is None:
                return
            for item in list(self._cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)):
                self._cache.remove_at(item)
            token_cache.save(self._cache, self.fingerprint)

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

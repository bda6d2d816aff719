"""The one door to Microsoft Entra ID (msal) and the process-wide Dataverse clients.

One TokenSource (one msal app, whose cache holds the tokens) per app registration, shared by
every client that signs in as that app: the Dataverse client of a connection and, when a tenant
reuses the same app, its Messaging API client (handoffs.livechat). One DynamicsClient
(handoffs.dynamics.dataverse) per connection, rebuilt when any credential field changes.
"""

from __future__ import annotations

import logging
import threading
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import msal

from handoffs.dynamics import classify, token_cache
from handoffs.dynamics.credentials import AppCredentials, credentials_fingerprint
from handoffs.dynamics.dataverse import DynamicsClient, record_url
from handoffs.dynamics.reply import AuditedClient, Reply
from handoffs.dynamics.transport import DoorHttpClient, ExchangeHook, token_hook, transport_error
from handoffs.models import DynamicsConnection
from handoffs.outbound import http

__all__ = [
    "AppCredentials",
    "AuditedClient",
    "DynamicsClient",
    "ExchangeHook",
    "Reply",
    "TokenSource",
    "candidate_client",
    "client_for",
    "credentials_fingerprint",
    "forget_client",
    "record_url",
    "token_source_for",
]

logger = logging.getLogger(__name__)

_clients: dict[int, DynamicsClient] = {}
_token_sources: dict[str, TokenSource] = {}
# Re-entrant: client_for asks token_source_for while holding it.
_clients_lock = threading.RLock()


def client_for(connection: DynamicsConnection) -> DynamicsClient:
    """The process-wide client of a connection, rebuilt when its credentials changed."""
    fingerprint = credentials_fingerprint(connection)
    with _clients_lock:
        client = _clients.get(connection.pk)
        if client is not None and client.fingerprint == fingerprint:
            return client
        if client is not None:
            _forget(client)
        credentials = AppCredentials.of(connection)
        client = DynamicsClient(connection, fingerprint, token_source_for(credentials))
        _clients[connection.pk] = client
        return client


def forget_client(connection_pk: int) -> None:
    """Drop a connection's client (and its cached token), e.g. after the connection is deleted."""
    with _clients_lock:
        client = _clients.pop(connection_pk, None)
        if client is not None:
            _forget(client)


def candidate_client(candidate: DynamicsConnection) -> DynamicsClient:
    """A throwaway client for credentials not saved yet: never cached, never shared."""
    session = http.session_for(f"dynamics:{candidate.pk}")
    tokens = TokenSource(AppCredentials.of(candidate), session)
    return DynamicsClient(candidate, credentials_fingerprint(candidate), tokens)


def _forget(client: DynamicsClient) -> None:
    http.forget_session(client.session_name)
    forget_token_source(client.tokens.credentials)


def _https(url: str) -> str:
    # msal accepts https authorities only; the door sends https://127.0.0.1 as plain http.
    parts = urlsplit(url)
    if parts.scheme == "http" and http.is_loopback(url):
        return urlunsplit(("https", *parts[1:]))
    return url


class TokenSource:
    """One msal app for one app registration: app-only tokens for any scope, cached by msal.

    The Dataverse client and the Messaging API client of a tenant that uses the same app for
    both share one TokenSource (token_source_for), so one msal app serves both scopes.
    """

    def __init__(self, credentials: AppCredentials, session: Any) -> None:
        self.credentials = credentials
        self.session = session
        self._authority = _https(
            f"{credentials.authority_host.rstrip('/')}/{credentials.azure_tenant_id}"
        )
        self._app: msal.ConfidentialClientApplication | None = None
        self._cache = msal.SerializableTokenCache()
        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never the secret
        return f"<TokenSource {self.credentials.client_id}>"

    def _application(self) -> msal.ConfidentialClientApplication:
        # Built lazily: msal reads the directory's OpenID configuration in its constructor.
        if self._app is None:
            try:
                self._app = msal.ConfidentialClientApplication(
                    self.credentials.client_id,
                    client_credential=self.credentials.client_secret,
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

    def token(self, scope: str, on_exchange: ExchangeHook | None = None) -> str:
        """An access token for `scope`, from msal's cache when still valid."""
        reporting = token_hook.set(on_exchange)
        try:
            with self._lock:
                app = self._application()
                # Shared by every process through the database (handoffs.dynamics.token_cache).
                result = token_cache.acquire(
                    self._cache,
                    self.credentials.fingerprint,
                    scope,
                    lambda: app.acquire_token_for_client(scopes=[scope]),
                )
        except http.OutboundError as exc:
            raise transport_error(exc) from None
        finally:
            token_hook.reset(reporting)
        if "access_token" not in result:
            error = classify.from_entra_result(result)
            logger.warning("token refused for %s: %s", scope, error.code)
            raise error
        return result["access_token"]

    def drop_token(self, scope: str) -> None:
        """Forget the cached access token for `scope` so the next call asks Entra ID again."""
        with self._lock:
            if self._app is None:
                return
            kind = msal.TokenCache.CredentialType.ACCESS_TOKEN
            for item in list(self._cache.search(kind, target=[scope])):
                self._cache.remove_at(item)
            token_cache.save(self._cache, self.credentials.fingerprint)


def token_source_for(credentials: AppCredentials) -> TokenSource:
    """The process-wide TokenSource of an app registration (one msal app per credentials)."""
    key = credentials.fingerprint
    with _clients_lock:
        source = _token_sources.get(key)
        if source is None:
            source = TokenSource(credentials, http.session_for(f"entra:{key[:16]}"))
            _token_sources[key] = source
        return source


def forget_token_source(credentials: AppCredentials) -> None:
    """Drop an app's msal app and its cached tokens (credentials changed or were deleted)."""
    key = credentials.fingerprint
    with _clients_lock:
        source = _token_sources.pop(key, None)
    if source is not None:
        http.forget_session(f"entra:{key[:16]}")

"""The door to a tenant's Messaging API: token, the channel headers, one retry after a 401.

Tokens come from handoffs.dynamics.client (one msal app per app registration, shared with the
Dataverse client when the channel uses the same app); requests go through
handoffs.outbound.http. One MessagingClient per channel, cached for the process and rebuilt when
any value it depends on changes. Errors are classified by handoffs.livechat.classify.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from handoffs.dynamics.client import AppCredentials, TokenSource, token_source_for
from handoffs.dynamics.transport import ExchangeHook, transport_code, transport_error
from handoffs.errors import HandoffError
from handoffs.livechat import classify, facts
from handoffs.livechat.channel_input import derived_zone, messaging_scope
from handoffs.livechat.models import LiveChatChannel
from handoffs.models import DynamicsConnection
from handoffs.outbound import http

_clients: dict[int, MessagingClient] = {}
_lock = threading.Lock()


def app_credentials(channel: LiveChatChannel, connection: DynamicsConnection) -> AppCredentials:
    """The app that calls the Messaging API: the channel's own, else the Dataverse one."""
    if channel.own_app:
        return AppCredentials(
            channel.authority_host,
            channel.azure_tenant_id,
            channel.client_id,
            channel.client_secret,
        )
    return AppCredentials.of(connection)


def zone_of(channel: LiveChatChannel, connection: DynamicsConnection) -> str:
    """The advanced override, else the zone of the Dataverse environment URL."""
    return channel.zone or derived_zone(connection.environment_url)


def scope_of(channel: LiveChatChannel, connection: DynamicsConnection) -> str:
    """The token scope, or '' while the organization id or the zone is unknown."""
    zone = zone_of(channel, connection)
    if not (zone and channel.organization_id):
        return ""
    return messaging_scope(channel.organization_id, zone)


def fingerprint(channel: LiveChatChannel, connection: DynamicsConnection) -> str:
    fields = (
        app_credentials(channel, connection).fingerprint,
        channel.base_url,
        channel.organization_id,
        channel.channel_id,
        scope_of(channel, connection),
    )
    return hashlib.sha256("\x1f".join(str(f) for f in fields).encode()).hexdigest()


class MessagingClient:
    """Authenticated Messaging API calls for one channel."""

    on_exchange: ExchangeHook | None = None

    def __init__(
        self,
        channel: LiveChatChannel,
        connection: DynamicsConnection,
        tokens: TokenSource,
        fingerprint: str = "",
    ) -> None:
        self.fingerprint = fingerprint
        self.api_base = channel.base_url.rstrip("/") + facts.API_PREFIX
        self.scope = scope_of(channel, connection)
        self.channel_id = str(channel.channel_id)
        self.organization_id = str(channel.organization_id)
        self.session = http.session_for(f"messaging:{channel.pk}")
        self.tokens = tokens

    def __repr__(self) -> str:  # never the secret
        return f"<MessagingClient {self.api_base}>"

    def audited(self, on_exchange: ExchangeHook | None) -> MessagingClient:
        """This client with `on_exchange` told of every HTTP exchange (a handoff's audit log)."""
        bound = copy.copy(self)
        bound.on_exchange = on_exchange
        return bound

    def token(self) -> str:
        """An access token for the messaging scope, from msal's cache when still valid."""
        if not self.scope:
            raise HandoffError(
                "messaging_scope_not_found",
                detail="The zone cannot be derived from the environment URL; set it under "
                "Settings → Live chat (advanced).",
            )
        try:
            return self.tokens.token(self.scope, self.on_exchange)
        except HandoffError as error:
            raise classify.from_token_error(error, self.scope) from None

    def send(
        self, method: str, path: str, *, body: Any = None, params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """One request; the JSON object answered, or a classified HandoffError."""
        for attempt in (1, 2):
            response = self._send_once(method, path, body, params)
            if response.status_code == 401 and attempt == 1:
                self.tokens.drop_token(self.scope)  # expired or revoked: a new token, once
                continue
            break
        if response.status_code >= 400:
            raise self._classified(response)
        return _json_object(response)

    def _headers(self) -> dict[str, str]:
        return {
            "Accept": "application/json",
            "Authorization": f"Bearer {self.token()}",
            facts.CHANNEL_HEADER: self.channel_id,
            facts.ORGANIZATION_HEADER: self.organization_id,
        }

    def _send_once(self, method: str, path: str, body: Any, params: dict[str, str] | None) -> Any:
        headers = self._headers()
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
            data = json.dumps(body, ensure_ascii=False, default=_plain).encode()
        url = self.api_base + path
        try:
            response, exchange = http.send(
                self.session, method, url, headers=headers, data=data, params=params
            )
        except http.OutboundError as exc:
            self._report(method, urlsplit(url).path, None, 0, transport_code(exc))
            raise transport_error(exc) from None
        code = self._classified(response).code if response.status_code >= 400 else None
        self._report(method, exchange.path, exchange.status, exchange.duration_ms, code)
        return response

    def _classified(self, response: Any) -> HandoffError:
        return classify.from_response(
            response.status_code,
            response.content or b"",
            response.headers.get(facts.CORRELATION_HEADER, ""),
            http.parse_retry_after(response.headers.get("Retry-After")),
        )

    def _report(self, *exchange: Any) -> None:
        if self.on_exchange:
            self.on_exchange(*exchange)


def _plain(value: object) -> object:
    """JSON for a plan's read-only mappings (handoffs.delivery.plan.frozen)."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _json_object(response: Any) -> dict[str, Any]:
    if not (response.content or b"").strip():
        return {}
    data = classify.parse(response.content)
    if not isinstance(data, dict):
        raise HandoffError("messaging_unexpected_response", http_status=response.status_code)
    return data


def client_for(channel: LiveChatChannel, connection: DynamicsConnection) -> MessagingClient:
    """The process-wide client of a saved channel, rebuilt when a value it uses changed."""
    current = fingerprint(channel, connection)
    with _lock:
        client = _clients.get(channel.pk)
        if client is None or client.fingerprint != current:
            tokens = token_source_for(app_credentials(channel, connection))
            client = MessagingClient(channel, connection, tokens, current)
            _clients[channel.pk] = client
        return client


def candidate_client(channel: LiveChatChannel, connection: DynamicsConnection) -> MessagingClient:
    """A throwaway client for values not saved yet: never cached, never shared."""
    credentials = app_credentials(channel, connection)
    tokens = TokenSource(credentials, http.session_for(f"messaging:{channel.pk}"))
    return MessagingClient(channel, connection, tokens)


def forget_client(channel_pk: int) -> None:
    """Drop a channel's cached client (its app's tokens stay with the app's TokenSource)."""
    with _lock:
        _clients.pop(channel_pk, None)
    http.forget_session(f"messaging:{channel_pk}")

"""A Dataverse answer, and a client bound to one audit hook."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from handoffs.dynamics.transport import ExchangeHook
from handoffs.errors import HandoffError
from handoffs.outbound import http

if TYPE_CHECKING:
    from handoffs.dynamics.client import DynamicsClient


class Reply:
    """A Dataverse answer: status, raw body, and the headers we read."""

    def __init__(
        self, status: int, raw: bytes, entity_id: str | None, retry_after: float | None
    ) -> None:
        self.status = status
        self.raw = raw
        self.entity_id = entity_id
        self.retry_after = retry_after

    @classmethod
    def of(cls, response: Any) -> Reply:
        return cls(
            response.status_code,
            response.content or b"",
            response.headers.get("OData-EntityId"),
            http.parse_retry_after(response.headers.get("Retry-After")),
        )

    def json(self) -> dict:
        """The body as a JSON object ({} when empty); a non-object is an unexpected answer."""
        if not self.raw.strip():
            return {}
        try:
            data = json.loads(self.raw)
        except ValueError:
            raise HandoffError("dataverse_unexpected_response", http_status=self.status) from None
        if not isinstance(data, dict):
            raise HandoffError("dataverse_unexpected_response", http_status=self.status)
        return data


class AuditedClient:
    """A DynamicsClient that reports every exchange to one hook (a handoff's audit log)."""

    def __init__(self, client: DynamicsClient, on_exchange: ExchangeHook | None) -> None:
        self.client = client
        self.on_exchange = on_exchange
        self.environment_url = client.environment_url

    def send(self, method: str, path: str, **kw: Any) -> Reply:
        return self.client.send(method, path, on_exchange=self.on_exchange, **kw)

    def get(self, path: str, **kw: Any) -> dict:
        return self.client.get(path, on_exchange=self.on_exchange, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> dict:
        return self.client.post(path, body, on_exchange=self.on_exchange, **kw)

    def patch(self, path: str, body: Any, **kw: Any) -> dict:
        return self.client.patch(path, body, on_exchange=self.on_exchange, **kw)

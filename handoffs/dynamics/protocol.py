"""What the rest of the domain may call on a Dataverse client (typed, so editors can follow)."""

from __future__ import annotations

from typing import Any, Protocol

from handoffs.dynamics.reply import Reply


class DataverseApi(Protocol):
    """One org's Web API: authenticated calls that raise HandoffError on any refusal."""

    environment_url: str

    def send(self, method: str, path: str, **kw: Any) -> Reply:
        """One request; the answer when it succeeded."""
        ...

    def get(self, path: str, *, params: dict[str, str] | None = None, **kw: Any) -> dict:
        """GET and return the parsed JSON body."""
        ...

    def post(self, path: str, body: Any, **kw: Any) -> dict:
        """POST a JSON body; return the parsed answer ({} for 204 No Content)."""
        ...

    def patch(self, path: str, body: Any, **kw: Any) -> dict:
        """PATCH a JSON body; return the parsed answer ({} for 204 No Content)."""
        ...

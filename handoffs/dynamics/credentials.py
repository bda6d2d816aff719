"""An app registration's credentials, as Entra ID needs them for an app-only token."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


def _fingerprint(*fields: object) -> str:
    return hashlib.sha256("\x1f".join(str(f) for f in fields).encode()).hexdigest()


@dataclass(frozen=True)
class AppCredentials:
    """Authority, directory, application and secret: everything a token depends on."""

    authority_host: str
    azure_tenant_id: str
    client_id: str
    client_secret: str

    @classmethod
    def of(cls, connection: Any) -> AppCredentials:
        """The app of a DynamicsConnection (or anything with the same four fields)."""
        return cls(
            connection.authority_host,
            connection.azure_tenant_id,
            connection.client_id,
            connection.client_secret,
        )

    @property
    def fingerprint(self) -> str:
        """A hash of the four fields (never stored, never shown)."""
        return _fingerprint(
            self.authority_host, self.azure_tenant_id, self.client_id, self.client_secret
        )

    def __repr__(self) -> str:  # never the secret
        return f"<AppCredentials {self.client_id}@{self.azure_tenant_id}>"


def credentials_fingerprint(connection: Any) -> str:
    """A hash of every field a Dataverse connection's token depends on, its environment too."""
    return _fingerprint(AppCredentials.of(connection).fingerprint, connection.environment_url)

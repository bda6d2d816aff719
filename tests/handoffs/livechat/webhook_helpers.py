"""An Entra-like directory for webhook tests: a signing key, its discovery document, tokens."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import responses
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.handoffs.dynamics.fakes import AZURE_TENANT, CLIENT_ID

V1_ISSUER = f"https://sts.windows.net/{AZURE_TENANT}/"
KID = "key-1"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Directory:
    """Publishes one signing key the way Entra ID does, and issues tokens with it."""

    def __init__(
        self, mock: responses.RequestsMock, tenant: str = AZURE_TENANT, client_id: str = CLIENT_ID
    ) -> None:
        self.mock = mock
        self.tenant, self.client_id = tenant, client_id
        self.key = new_key()
        login = f"https://login.microsoftonline.com/{tenant}"
        self.issuer = f"{login}/v2.0"
        self.jwks_uri = f"{login}/discovery/v2.0/keys"
        self.discovery = mock.get(
            f"{login}/v2.0/.well-known/openid-configuration",
            json={"issuer": self.issuer, "jwks_uri": self.jwks_uri},
        )
        mock.get(self.jwks_uri, json=self.jwks())

    def key_fetches(self) -> int:
        return sum(1 for call in self.mock.calls if call.request.url == self.jwks_uri)

    def jwks(self, kid: str = KID) -> dict:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": kid, "use": "sig"}]}

    def claims(self, **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        found = {
            "aud": self.client_id,
            "iss": self.issuer,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "tid": self.tenant,
            "azp": self.client_id,
            "ver": "2.0",
        }
        found.update(changes)
        return {k: v for k, v in found.items() if v is not None}

    def token(self, key: rsa.RSAPrivateKey | None = None, kid: str = KID, **changes: Any) -> str:
        return jwt.encode(
            self.claims(**changes), key or self.key, algorithm="RS256", headers={"kid": kid}
        )


def post_activity(client, channel, conversation: str, body: Any, token: str | None):
    """POST an activity to the channel's webhook as Dynamics would."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        f"/hooks/dynamics/{channel.channel_key}/v3/conversations/{conversation}/activities",
        json.dumps(body),
        content_type="application/json",
        headers=headers,
    )

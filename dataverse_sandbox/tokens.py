"""Access tokens: real-shaped JWTs (HS256 under a per-org key) and their checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import urlsplit

from dataverse_sandbox.models import AppRegistration, Org

TOKEN_LIFETIME = 3599


class InvalidToken(Exception):
    """The bearer token cannot be used for this org; the message says why."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(org: Org, signing_input: str) -> str:
    digest = hmac.new(org.signing_key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return _b64(digest)


def environment_path(org: Org) -> str:
    return f"/sandbox/{org.slug}"


def issue(org: Org, app: AppRegistration, audience: str, *, lifetime: int = TOKEN_LIFETIME) -> str:
    """A signed token for `app` to call the environment named by `audience`."""
    now = int(time.time())
    header = {"typ": "JWT", "alg": "HS256", "kid": org.slug}
    claims = {
        "aud": audience,
        "iss": f"https://sts.windows.net/{org.azure_tenant_id}/",
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        "appid": str(app.client_id),
        "oid": str(app.object_id),
        "sub": str(app.object_id),
        "tid": str(org.azure_tenant_id),
        "idtyp": "app",
        "ver": "1.0",
        "uti": uuid.uuid4().hex[:22],
    }
    signing_input = ".".join(
        _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    return f"{signing_input}.{_sign(org, signing_input)}"


def verify(org: Org, token: str, *, audience: str | None = None) -> dict:
    """The claims of a token valid for `org` right now, else InvalidToken.

    Without `audience` the token must be for the environment (the Web API); with it, for
    exactly that resource (the Messaging API's).
    """
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("The access token is malformed.")
    signing_input = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_sign(org, signing_input), parts[2]):
        raise InvalidToken("The access token's signature is invalid for this organization.")
    try:
        claims = json.loads(_unb64(parts[1]))
    except ValueError:
        raise InvalidToken("The access token is malformed.") from None
    if claims.get("tid") != str(org.azure_tenant_id):
        raise InvalidToken("The access token was issued for another tenant.")
    aud = str(claims.get("aud", ""))
    if audience is not None and aud.rstrip("/") != audience.rstrip("/"):
        raise InvalidToken(f"The access token's audience is not {audience}.")
    if audience is None and urlsplit(aud).path.rstrip("/") != environment_path(org):
        raise InvalidToken("The access token's audience is not this environment.")
    if int(claims.get("exp", 0)) <= time.time():
        raise InvalidToken("The access token has expired.")
    return claims

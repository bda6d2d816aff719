"""The directory's RSA signing key, its JWKS, and the tokens the webhook carries.

Claims follow Entra ID's app-only access tokens:
https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens
Which claims Microsoft's webhook token has is not documented; the sandbox issues what Entra
issues to an app that signs in as itself (through the channel's federated credential) for its
own API (inferred), in version 2.0 by default or 1.0 when the org's switch says so.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from functools import lru_cache
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction
from jwt.algorithms import RSAAlgorithm

from dataverse_sandbox.messaging.models import MessagingSettings, SigningKey
from dataverse_sandbox.models import Org

TOKEN_LIFETIME = 3599


def signing_key(org: Org) -> SigningKey:
    """The org's key pair, made on first use."""
    found = SigningKey.objects.filter(org=org).first()
    if found is not None:
        return found
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kid = hashlib.sha256(public_der).hexdigest()[:32]
    try:
        with transaction.atomic():
            return SigningKey.objects.create(org=org, kid=kid, private_pem=pem)
    except IntegrityError:  # another process made it first
        return SigningKey.objects.get(org=org)


@lru_cache(maxsize=64)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    # Loading checks the key, which takes tens of milliseconds: do it once per process.
    return serialization.load_pem_private_key(pem.encode(), None)


def jwks(org: Org) -> dict:
    """{"keys": [...]}: the public half of the org's key, as Entra publishes its keys."""
    key = signing_key(org)
    public = _private_key(key.private_pem).public_key()
    jwk = RSAAlgorithm.to_jwk(public, as_dict=True)
    return {"keys": [{**jwk, "kid": key.kid, "use": "sig", "alg": "RS256"}]}


def issuer(org: Org, chosen: MessagingSettings, tenant_id: str) -> str:
    """The issuer the sandbox's discovery document advertises (v2) or Entra's v1 issuer."""
    if chosen.token_version == 1:
        return f"https://sts.windows.net/{tenant_id}/"
    host = urlsplit(chosen.base_url).netloc
    return f"https://{host}/sandbox/{org.slug}/login/{tenant_id}/v2.0"


def webhook_token(org: Org, chosen: MessagingSettings, client_id: str, tenant_id: str) -> str:
    """A bearer token for the channel's app, signed RS256 under the org's key."""
    now = int(time.time())
    audience = f"api://{client_id}" if chosen.audience == "app_id_uri" else client_id
    principal = str(uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox-service-principal:{client_id}"))
    claims: dict = {
        "aud": audience,
        "iss": issuer(org, chosen, tenant_id),
        "iat": now,
        "nbf": now,
        "exp": now + TOKEN_LIFETIME,
        "idtyp": "app",
        "oid": principal,
        "sub": principal,
        "tid": tenant_id,
        "uti": uuid.uuid4().hex[:22],
    }
    if chosen.token_version == 1:
        claims.update(appid=client_id, appidacr="2", ver="1.0")
    else:
        claims.update(azp=client_id, azpacr="2", ver="2.0")
    key = signing_key(org)
    private = _private_key(key.private_pem)
    return jwt.encode(claims, private, algorithm="RS256", headers={"kid": key.kid})

"""Who may post activities to a channel's webhook: a bearer token Entra ID issued for its app.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-webhook
(an Authorization bearer token for the registered app, through its federated credential).
Which claims the token carries is not documented. Entra ID's access tokens are RS256 JWTs
signed with the keys its OpenID discovery document publishes at `jwks_uri`, with these claims:
Reference: https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens
- iss: the discovery document's issuer (version 2.0 tokens) or https://sts.windows.net/{tid}/
  (version 1.0 tokens of the public cloud);
- aud: the app's client id or its Application ID URI (api://{client id} unless set otherwise);
- tid: the directory; azp (v2) or appid (v1): the app the token was issued to, here the same
  app (the channel's msdyn_appid signs in as itself through the federated credential: inferred).
Keys are fetched through handoffs.outbound.http and cached for a day; an unknown key id fetches
them again (at most every five minutes), which is how Entra's key rollover is followed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import jwt

from handoffs.dynamics.credentials import AppCredentials
from handoffs.outbound import http

KEYS_TTL = 24 * 3600
REFRESH_AFTER = 300
LEEWAY = 60  # seconds of clock skew between Entra ID and this service
V1_ISSUER = "https://sts.windows.net/{tid}/"

_directories: dict[str, Directory] = {}
_lock = threading.Lock()


class TokenRefused(Exception):
    """The bearer token does not prove Dynamics sent the request; the message says why."""


class KeysUnavailable(Exception):
    """The authority's published keys cannot be read right now (the sender retries)."""


@dataclass
class Directory:
    """One directory's issuer and signing keys, as its discovery document publishes them."""

    issuer: str
    keys: dict[str, Any] = field(default_factory=dict)
    fetched_at: float = 0.0


def discovery_url(app: AppCredentials) -> str:
    authority = f"{app.authority_host.rstrip('/')}/{app.azure_tenant_id}"
    return f"{authority}/v2.0/.well-known/openid-configuration"


def _get_json(url: str) -> dict:
    try:
        response, _ = http.send(http.session_for("entra-keys"), "GET", url)
    except http.OutboundError as exc:
        raise KeysUnavailable(exc.message) from None
    try:
        data = response.json() if response.status_code == 200 else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise KeysUnavailable(f"GET {urlsplit(url).path}: HTTP {response.status_code}.")
    return data


def _fetch(app: AppCredentials) -> Directory:
    discovery = _get_json(discovery_url(app))
    issuer, jwks_uri = discovery.get("issuer"), discovery.get("jwks_uri")
    authority = urlsplit(app.authority_host).netloc
    # The keys must come from the authority itself, never from a host a document names.
    if not isinstance(jwks_uri, str) or urlsplit(jwks_uri).netloc != authority:
        raise KeysUnavailable("The discovery document names no jwks_uri on the authority host.")
    try:
        keys = jwt.PyJWKSet.from_dict(_get_json(jwks_uri)).keys
    except jwt.PyJWTError:
        raise KeysUnavailable("The authority published no usable signing keys.") from None
    found = {key.key_id: key for key in keys if key.key_id}
    return Directory(str(issuer or ""), found, time.monotonic())


def signing_key(app: AppCredentials, kid: str) -> tuple[Any, str]:
    """(the key named `kid`, the directory's v2 issuer), fetched again when stale or unknown."""
    cache_key = f"{app.authority_host}|{app.azure_tenant_id}"
    with _lock:
        directory = _directories.get(cache_key)
    age = time.monotonic() - directory.fetched_at if directory else None
    stale = age is None or age > KEYS_TTL or (kid not in directory.keys and age > REFRESH_AFTER)
    if stale:
        directory = _fetch(app)
        with _lock:
            _directories[cache_key] = directory
    key = directory.keys.get(kid)
    if key is None:
        raise TokenRefused("The token is signed with a key the authority does not publish.")
    return key.key, directory.issuer


def audiences(app: AppCredentials, app_id_uri: str = "") -> list[str]:
    found = [app.client_id, f"api://{app.client_id}"]
    return [*found, app_id_uri] if app_id_uri else found


def validate(token: str, app: AppCredentials, app_id_uri: str = "") -> dict[str, Any]:
    """The token's claims when it was issued by the app's directory for the app, else refused."""
    try:
        kid = jwt.get_unverified_header(token).get("kid") or ""
    except jwt.PyJWTError:
        raise TokenRefused("The bearer token is not a JWT.") from None
    key, issuer = signing_key(app, kid)
    issuers = [i for i in (issuer, V1_ISSUER.format(tid=app.azure_tenant_id)) if i]
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            audience=audiences(app, app_id_uri),
            issuer=issuers,
            leeway=LEEWAY,
            options={"require": ["exp", "iss", "aud"]},
        )
    except jwt.PyJWTError as exc:
        raise TokenRefused(f"The bearer token is not valid: {exc}.") from None
    _check_app(claims, app)
    return claims


def _check_app(claims: dict[str, Any], app: AppCredentials) -> None:
    tenant = str(claims.get("tid") or app.azure_tenant_id).lower()
    if tenant != app.azure_tenant_id.lower():
        raise TokenRefused("The token was issued in another directory.")
    issued_to = str(claims.get("azp") or claims.get("appid") or app.client_id).lower()
    if issued_to != app.client_id.lower():
        raise TokenRefused("The token was issued to another app.")


def forget_keys() -> None:
    """Drop every cached directory (tests, key rollover drills)."""
    with _lock:
        _directories.clear()

"""Entra ID's part: the OpenID discovery document and the client-credentials token endpoint.

Errors carry the AADSTS codes and body shape Entra uses, so the product's "Verify" and its
messages can be exercised: 90002, 700016, 7000215, 7000218, 7000222, 500011, 1002012.
"""

from __future__ import annotations

import hmac
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dataverse_sandbox import tokens
from dataverse_sandbox.faults import log_request
from dataverse_sandbox.messaging.channel import messaging_resource
from dataverse_sandbox.messaging.keys import jwks
from dataverse_sandbox.models import AppRegistration, Org


class EntraError(Exception):
    def __init__(self, status: int, error: str, code: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.code = code
        self.description = description


def _entra_response(request: HttpRequest, exc: EntraError) -> JsonResponse:
    trace_id = str(uuid.uuid4())
    correlation_id = request.headers.get("client-request-id") or str(uuid.uuid4())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    body = {
        "error": exc.error,
        "error_description": (
            f"AADSTS{exc.code}: {exc.description} Trace ID: {trace_id} "
            f"Correlation ID: {correlation_id} Timestamp: {stamp}"
        ),
        "error_codes": [exc.code],
        "timestamp": stamp,
        "trace_id": trace_id,
        "correlation_id": correlation_id,
        "error_uri": f"https://{request.get_host()}/error?code={exc.code}",
    }
    return JsonResponse(body, status=exc.status)


def _org_for_tenant(org_slug: str, tenant: str) -> Org:
    org = Org.objects.filter(slug=org_slug).first()
    if org is None or tenant.lower() != str(org.azure_tenant_id):
        raise EntraError(
            400,
            "invalid_request",
            90002,
            f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID "
            "and are signing into the correct cloud. Check with your subscription "
            "administrator, this may happen if there are no active subscriptions for the tenant.",
        )
    return org


def _authority(request: HttpRequest, org_slug: str, tenant: str) -> str:
    # msal only accepts https authorities; the product's transport speaks plain HTTP to loopback.
    return f"https://{request.get_host()}/sandbox/{org_slug}/login/{tenant}"


@require_GET
def openid_configuration(request: HttpRequest, org: str, tenant: str) -> JsonResponse:
    """The v2.0 discovery document msal reads before asking for a token."""
    try:
        _org_for_tenant(org, tenant)
    except EntraError as exc:
        return _entra_response(request, exc)
    base = _authority(request, org, tenant)
    return JsonResponse(
        {
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
            "jwks_uri": f"{base}/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": f"{base}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
            "tenant_region_scope": "EU",
            "cloud_instance_name": "sandbox.local",
        }
    )


@require_GET
def keys(request: HttpRequest, org: str, tenant: str) -> JsonResponse:
    """The directory's signing keys (JWKS), at the jwks_uri the discovery document names."""
    try:
        sandbox_org = _org_for_tenant(org, tenant)
    except EntraError as exc:
        return _entra_response(request, exc)
    return JsonResponse(jwks(sandbox_org))


@csrf_exempt
@require_POST
def token(request: HttpRequest, org: str, tenant: str) -> JsonResponse:
    """Client-credentials grant: a bearer token for the org's environment, or an AADSTS error."""
    found = Org.objects.filter(slug=org).first()
    try:
        sandbox_org = _org_for_tenant(org, tenant)
        response = JsonResponse(_grant(request, sandbox_org))
    except EntraError as exc:
        response = _entra_response(request, exc)
    if found is not None:
        log_request(found, "token", request.method, request.path, response.status_code)
    return response


def _grant(request: HttpRequest, org: Org) -> dict:
    form = request.POST
    if form.get("grant_type") != "client_credentials":
        raise EntraError(
            400,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type: only client_credentials is served.",
        )
    app = _app(org, form.get("client_id", ""))
    _check_secret(app, form.get("client_secret", ""))
    audience = _audience(org, form.get("scope", ""))
    return {
        "token_type": "Bearer",
        "expires_in": tokens.TOKEN_LIFETIME,
        "ext_expires_in": tokens.TOKEN_LIFETIME,
        "access_token": tokens.issue(org, app, audience),
    }


def _app(org: Org, client_id: str) -> AppRegistration:
    if not client_id:
        raise EntraError(
            400,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        )
    try:
        parsed = uuid.UUID(client_id)
    except ValueError:
        parsed = None
    app = org.apps.filter(client_id=parsed).first() if parsed else None
    if app is None:
        raise EntraError(
            400,
            "unauthorized_client",
            700016,
            f"Application with identifier '{client_id}' was not found in the directory "
            f"'{org.name}'. This can happen if the application has not been installed by the "
            "administrator of the tenant or consented to by any user in the tenant. You may "
            "have sent your authentication request to the wrong tenant.",
        )
    return app


def _check_secret(app: AppRegistration, secret: str) -> None:
    if not secret:
        raise EntraError(
            401,
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or "
            "'client_secret'.",
        )
    if not hmac.compare_digest(secret.encode(), app.client_secret.encode()):
        raise EntraError(
            401,
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is the "
            f"client secret value, not the client secret ID, for a secret added to app "
            f"'{app.client_id}'.",
        )
    if app.secret_expires_at and app.secret_expires_at <= timezone.now():
        raise EntraError(
            401,
            "invalid_client",
            7000222,
            f"The provided client secret keys for app '{app.client_id}' are expired. Visit the "
            "Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or "
            "consider using certificate credentials for added security: https://aka.ms/certCreds.",
        )


def _audience(org: Org, scope: str) -> str:
    scopes = scope.split()
    if len(scopes) != 1 or not scopes[0].endswith("/.default"):
        raise EntraError(
            400,
            "invalid_scope",
            1002012,
            f"The provided value for scope {scope} is not valid. Client credential flows must "
            "have a scope value with /.default suffixed to the resource identifier "
            "(application ID URI).",
        )
    resource = scopes[0].removesuffix("/.default")
    if resource.rstrip("/") == messaging_resource(org):
        return messaging_resource(org)
    if urlsplit(resource).path.rstrip("/") != tokens.environment_path(org):
        raise EntraError(
            400,
            "invalid_resource",
            500011,
            f"The resource principal named {resource} was not found in the tenant named "
            f"{org.name}. This can happen if the application has not been installed by the "
            "administrator of the tenant or consented to by any user in the tenant. You might "
            "have sent your authentication request to the wrong tenant.",
        )
    return resource

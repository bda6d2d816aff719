"""The OpenCX webhook and status endpoints (contract: docs/architecture.md, "Public contracts")."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, JsonResponse
from django.utils.encoding import escape_uri_path
from django.views.decorators.csrf import csrf_exempt

from handoffs.inbound import intake, signing
from handoffs.inbound.payload import MAX_BODY_BYTES, InvalidJson, InvalidPayload, parse, validate
from handoffs.inbound.status import status_document
from handoffs.models import HandoffSession, SentSignature, Tenant


def error(status: int, code: str, message: str, details: dict | None = None) -> JsonResponse:
    body: dict = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return JsonResponse({"error": body}, status=status)


def _tenant_or_error(webhook_key: str) -> Tenant | JsonResponse:
    tenant = Tenant.objects.filter(webhook_key=webhook_key).first()
    if tenant is None:
        return error(
            404, "unknown_webhook", "No webhook has this key: copy the URL from the settings page."
        )
    return tenant


def _verify(request: HttpRequest, tenant: Tenant, messages: list[bytes]) -> JsonResponse | None:
    try:
        signing.verify(
            tenant.verifying_secrets(),
            request.headers.get(signing.TIMESTAMP_HEADER),
            request.headers.get(signing.SIGNATURE_HEADER),
            messages,
        )
    except signing.SignatureError as exc:
        return error(401, exc.code, exc.message)
    if _reflected(request):
        return error(
            401,
            "invalid_signature",
            "This signature is one the service put on a callback it sent: a callback cannot be "
            "sent back in. Sign each request to this endpoint yourself.",
        )
    return None


def _reflected(request: HttpRequest) -> bool:
    digest = signing.signature_digest(
        request.headers.get(signing.TIMESTAMP_HEADER, ""),
        request.headers.get(signing.SIGNATURE_HEADER, ""),
    )
    return SentSignature.objects.filter(digest=digest).exists()


def _signed_path_forms(request: HttpRequest) -> set[str]:
    """The spellings of this request's path a signer may have signed.

    A session_id may need percent-encoding (spaces, slashes, non-ASCII); clients sign either the
    path as they sent it or its decoded form, and all of them name the same resource.
    """
    prefix, _, session_id = request.path.partition("/sessions/")
    forms = {
        request.path,
        escape_uri_path(request.path),
        f"{prefix}/sessions/{quote(session_id, safe='')}",
    }
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    if raw:
        forms.add(raw.split("?", 1)[0])
    return forms


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _client_addr(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


@csrf_exempt
def receive_handoff(request: HttpRequest, webhook_key: str) -> JsonResponse:
    """Accept a signed handoff, store it once, and queue it."""
    if request.method != "POST":
        response = error(405, "method_not_allowed", "Send the handoff with POST.")
        response["Allow"] = "POST"
        return response
    tenant = _tenant_or_error(webhook_key)
    if isinstance(tenant, JsonResponse):
        return tenant
    if _declared_length(request) > MAX_BODY_BYTES:
        return error(413, "payload_too_large", "The body is larger than 1 MiB.")
    if request.content_type != "application/json":
        return error(415, "unsupported_media_type", "Send Content-Type: application/json.")
    raw = request.body
    if len(raw) > MAX_BODY_BYTES:
        return error(413, "payload_too_large", "The body is larger than 1 MiB.")
    refused = _verify(request, tenant, [raw])
    if refused:
        return refused
    try:
        body = parse(raw)
    except InvalidJson as exc:
        return error(400, "invalid_json", exc.message, exc.details)
    try:
        validate(body)
    except InvalidPayload as exc:
        return error(
            400, "invalid_payload", "The handoff has invalid fields: see details.", exc.details
        )
    session, created = intake.accept(tenant, body, _client_addr(request))
    if not created:
        return JsonResponse(status_document(session), status=200)
    return JsonResponse({"session_id": session.session_id, "status": session.status}, status=202)


@csrf_exempt
def no_such_endpoint(request: HttpRequest) -> JsonResponse:
    """A JSON 404 for any other path under the webhook prefix."""
    return error(
        404,
        "not_found",
        "No such endpoint: POST handoffs to /hooks/opencx/<webhook_key>/ and read them back "
        "with GET /hooks/opencx/<webhook_key>/sessions/<session_id>.",
    )


@csrf_exempt
def session_status(request: HttpRequest, webhook_key: str, session_id: str) -> JsonResponse:
    """Answer the status document of one session, signed over the request path."""
    if request.method != "GET":
        response = error(405, "method_not_allowed", "Read the status with GET.")
        response["Allow"] = "GET"
        return response
    tenant = _tenant_or_error(webhook_key)
    if isinstance(tenant, JsonResponse):
        return tenant
    refused = _verify(request, tenant, [p.encode() for p in _signed_path_forms(request)])
    if refused:
        return refused
    session = HandoffSession.objects.filter(tenant=tenant, session_id=session_id).first()
    if session is None:
        return error(404, "unknown_session", f"No handoff with session_id {session_id!r}.")
    return JsonResponse(status_document(session))

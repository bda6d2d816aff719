"""The OpenCX webhook and status endpoints; every answer is documented in docs/openapi.yaml."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from urllib.parse import quote

from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.db import OperationalError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from handoffs.inbound import identifiers, intake, signing
from handoffs.inbound.payload import MAX_BODY_BYTES, InvalidJson, InvalidPayload, parse, validate
from handoffs.inbound.status import status_document
from handoffs.lifecycle import claim
from handoffs.lifecycle.compiled import SENTINEL_NOW, CompiledQuery, columns, instance
from handoffs.models import HandoffSession, SentSignature, Tenant

logger = logging.getLogger(__name__)


def error(status: int, code: str, message: str, details: dict | None = None) -> JsonResponse:
    body: dict = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return JsonResponse({"error": body}, status=status)


# Keys are secrets.token_urlsafe() output; anything else (a NUL, say, which PostgreSQL cannot
# even compare) is unknown without asking the database.
WEBHOOK_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
DIGITS = re.compile(r"[0-9]+")
TOO_LARGE = "The body is larger than 1 MiB: send at most 1,048,576 bytes."


def _tenant_with_checks(key: str, digest: str, now: datetime) -> QuerySet:
    """The tenant of a webhook key, whether a signature's digest is one of a callback this
    service sent, and the tenant's handoffs in flight."""
    sent = SentSignature.objects.filter(digest=digest)
    return (
        Tenant.objects.filter(webhook_key=key)
        .annotate(reflected=Exists(sent), in_flight=claim.in_flight(now, OuterRef("pk")))
        .values_list(*_TENANT, "reflected", "in_flight")
    )


_TENANT = columns(Tenant)
# Values no request carries (keys are URL-safe, digests are hexadecimal).
_READ_TENANT = CompiledQuery(
    _tenant_with_checks, key="sentinel key", digest="sentinel digest", now=SENTINEL_NOW
)


def tenant_or_error(webhook_key: str, request: HttpRequest) -> Tenant | JsonResponse:
    """The tenant of a webhook key, or the 404 that says the key is unknown.

    Read in one query, compiled once (lifecycle.compiled), with what the request's checks ask
    of the database: whether its signature is one this service put on a callback (`reflected`,
    used by verify) and how many handoffs the tenant has in flight (`in_flight`).
    """
    rows = []
    if WEBHOOK_KEY.fullmatch(webhook_key):
        rows = _READ_TENANT.rows(key=webhook_key, digest=_digest(request), now=timezone.now())
    if not rows:
        return error(
            404, "unknown_webhook", "No webhook has this key: copy the URL from the settings page."
        )
    tenant = instance(Tenant, rows[0][: len(_TENANT)])
    tenant.reflected, tenant.in_flight = rows[0][len(_TENANT) :]
    return tenant


def verify(request: HttpRequest, tenant: Tenant, messages: list[bytes]) -> JsonResponse | None:
    """None when the request is signed by the tenant (and not a callback played back), else 401."""
    try:
        signing.verify(
            tenant.verifying_secrets(),
            request.headers.get(signing.TIMESTAMP_HEADER),
            request.headers.get(signing.SIGNATURE_HEADER),
            messages,
        )
    except signing.SignatureError as exc:
        return error(401, exc.code, exc.message)
    if tenant.reflected:
        return error(
            401,
            "invalid_signature",
            "This signature is one the service put on a callback it sent: a callback cannot be "
            "sent back in. Sign each request to this endpoint yourself.",
        )
    return None


def _digest(request: HttpRequest) -> str:
    """The digest under which a callback's signature is remembered (signing.signature_digest)."""
    return signing.signature_digest(
        request.headers.get(signing.TIMESTAMP_HEADER, ""),
        request.headers.get(signing.SIGNATURE_HEADER, ""),
    )


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


def _declared_length(request: HttpRequest) -> int | None:
    """The Content-Length in bytes (0 when absent), or None when it is not a number of bytes."""
    value = (request.META.get("CONTENT_LENGTH") or "0").strip()
    if not DIGITS.fullmatch(value):
        return None
    # More digits than any body could have: too large, without converting a huge number.
    return MAX_BODY_BYTES + 1 if len(value) > 18 else int(value)


def read_body(request: HttpRequest) -> bytes | JsonResponse:
    """The raw body, or the error that says why it cannot be read as a handoff."""
    declared = _declared_length(request)
    if declared is None:
        return error(
            400,
            "invalid_request",
            "Content-Length must be the size of the body in bytes (digits only), e.g. "
            "Content-Length: 1234; most HTTP clients set it for you.",
        )
    if declared > MAX_BODY_BYTES:
        return error(413, "payload_too_large", TOO_LARGE)
    # Media types are case-insensitive (RFC 9110, section 8.3.1).
    if (request.content_type or "").lower() != "application/json":
        return error(415, "unsupported_media_type", "Send Content-Type: application/json.")
    raw = request.body
    if len(raw) > MAX_BODY_BYTES:
        return error(413, "payload_too_large", TOO_LARGE)
    return raw


def _client_addr(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


@csrf_exempt
def receive_handoff(request: HttpRequest, webhook_key: str) -> JsonResponse:
    """Accept a signed handoff, store it once, and queue it."""
    if request.method != "POST":
        response = error(405, "method_not_allowed", "Send the handoff with POST.")
        response["Allow"] = "POST"
        return response
    tenant = tenant_or_error(webhook_key, request)
    if isinstance(tenant, JsonResponse):
        return tenant
    raw = read_body(request)
    if isinstance(raw, JsonResponse):
        return raw
    refused = verify(request, tenant, [raw])
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
    try:
        session, created = intake.accept(
            tenant, body, _client_addr(request), room=claim.room_for(tenant.in_flight)
        )
    except OperationalError as exc:
        # The first line names the refusal (deadlock, lock timeout, lost connection), no values.
        reason = str(exc).partition("\n")[0][:200]
        logger.warning(
            "webhook: the database refused the handoff's write (%s); answered 503", reason
        )
        response = error(
            503,
            "service_busy",
            "The service's database is busy and nothing was stored. Send the handoff again "
            "after Retry-After seconds.",
        )
        response["Retry-After"] = "1"
        return response
    if not created:
        return JsonResponse(status_document(session), status=200)
    return JsonResponse({"session_id": session.session_id, "status": session.status}, status=202)


@csrf_exempt
def no_such_endpoint(request: HttpRequest) -> JsonResponse:
    """A JSON 404 for any other path under the webhook prefix."""
    return error(
        404,
        "not_found",
        "No such endpoint: POST handoffs to /hooks/opencx/<webhook_key>/, read them back "
        "with GET /hooks/opencx/<webhook_key>/sessions/<session_id>, and POST a live chat's "
        "customer messages to .../sessions/<session_id>/messages.",
    )


@csrf_exempt
def session_status(request: HttpRequest, webhook_key: str, session_id: str) -> JsonResponse:
    """Answer the status document of one session, signed over the request path."""
    if request.method != "GET":
        response = error(405, "method_not_allowed", "Read the status with GET.")
        response["Allow"] = "GET"
        return response
    tenant = tenant_or_error(webhook_key, request)
    if isinstance(tenant, JsonResponse):
        return tenant
    refused = verify(request, tenant, [p.encode() for p in _signed_path_forms(request)])
    if refused:
        return refused
    problem = identifiers.problem(session_id)
    if problem:
        return error(
            400,
            "invalid_session_id",
            "The session_id in the path cannot name a handoff: see details.",
            {"session_id": problem},
        )
    session = HandoffSession.objects.filter(tenant=tenant, session_id=session_id).first()
    if session is None:
        return error(404, "unknown_session", f"No handoff with session_id {session_id!r}.")
    return JsonResponse(status_document(session))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 handler: the JSON error under /hooks/, Django's own page elsewhere.

    Django answers 400 itself, before any view runs, when it refuses a request: a Host header
    that is not one of ALLOWED_HOSTS, say. OpenCX reads JSON from every webhook answer.
    """
    if not request.path.startswith("/hooks/"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return error(413, "payload_too_large", TOO_LARGE)
    if isinstance(exception, DisallowedHost):
        return error(
            400,
            "invalid_request",
            "The Host header does not name this service: send the request to the webhook URL "
            "exactly as shown on the settings page.",
        )
    return error(
        400,
        "invalid_request",
        "The request is malformed at the HTTP level: send it with a standard HTTP client.",
    )

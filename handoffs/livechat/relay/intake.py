"""OpenCX → service: the customer's next message in a live chat.

`POST /hooks/opencx/<webhook_key>/sessions/<session_id>/messages`, signed exactly like the
webhook and refused the same way (handoffs.inbound.webhook); every answer is documented in
docs/openapi.yaml. A refused request stores nothing.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from handoffs.inbound import identifiers, webhook
from handoffs.inbound.payload import InvalidJson, InvalidPayload, parse
from handoffs.livechat.relay import payload, store
from handoffs.livechat.relay.models import CustomerMessage
from handoffs.models import HandoffSession, Tenant

error = webhook.error
SUFFIX = "/messages"


def _answer(session: HandoffSession, message: CustomerMessage, status: int) -> JsonResponse:
    body = {
        "session_id": session.session_id,
        "message_id": message.message_id,
        "status": store.delivery_state(message),
    }
    return JsonResponse(body, status=status)


def _path_problem(session_id: str) -> JsonResponse | None:
    problem = identifiers.problem(session_id)
    if not problem:
        return None
    return error(
        400,
        "invalid_session_id",
        "The session_id in the path cannot name a handoff: see details.",
        {"session_id": problem},
    )


def _session_or_error(tenant: Tenant, session_id: str) -> HandoffSession | JsonResponse:
    session = HandoffSession.objects.filter(tenant=tenant, session_id=session_id).first()
    if session is None:
        return error(404, "unknown_session", f"No handoff with session_id {session_id!r}.")
    refused = store.refusal(session)
    if refused is not None:
        return error(409, refused.code, refused.message)
    return session


def _incoming(raw: bytes) -> payload.Incoming | JsonResponse:
    try:
        body = parse(raw)
    except InvalidJson as exc:
        return error(400, "invalid_json", exc.message, exc.details)
    try:
        payload.validate(body)
    except InvalidPayload as exc:
        return error(
            400, "invalid_payload", "The message has invalid fields: see details.", exc.details
        )
    return payload.incoming(body)


def _post(request: HttpRequest, webhook_key: str, session_id: str) -> JsonResponse:
    tenant = webhook.tenant_or_error(webhook_key, request)
    if isinstance(tenant, JsonResponse):
        return tenant
    raw = webhook.read_body(request)
    if isinstance(raw, JsonResponse):
        return raw
    refused = webhook.verify(request, tenant, [raw])
    if refused:
        return refused
    incoming = _path_problem(session_id) or _incoming(raw)
    if isinstance(incoming, JsonResponse):
        return incoming
    session = _session_or_error(tenant, session_id)
    if isinstance(session, JsonResponse):
        return session
    try:
        message, created = store.accept(session, incoming)
    except store.Refused as exc:
        return error(409, exc.code, exc.message)
    return _answer(session, message, 202 if created else 200)


@csrf_exempt
def receive_message(request: HttpRequest, webhook_key: str, session_id: str) -> JsonResponse:
    """Accept a signed customer message for a live chat, store it once, and queue it."""
    if request.method == "GET":
        # Session ids may hold slashes: "<id>/messages" can be a session whose status is read.
        return webhook.session_status(request, webhook_key, session_id + SUFFIX)
    if request.method != "POST":
        response = error(405, "method_not_allowed", "Send customer messages with POST.")
        response["Allow"] = "POST"
        return response
    return _post(request, webhook_key, session_id)

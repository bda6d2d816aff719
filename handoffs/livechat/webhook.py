"""Dynamics → service: activities of a live chat, posted to the channel's webhook URL.

`POST /hooks/dynamics/<channel_key>/v3/conversations/<conversation_id>/activities` with a
bearer token (handoffs.livechat.webhook_auth). Each activity is stored once and its relay to
OpenCX queued (handoffs.livechat.relay.inbox); the answer is 200 at once, as Dynamics expects
within its ten seconds, and the request itself calls nobody.
Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-webhook
"""

from __future__ import annotations

import json
import logging
import uuid

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from handoffs.livechat import webhook_auth
from handoffs.livechat.client import app_credentials
from handoffs.livechat.models import LiveChatChannel
from handoffs.livechat.relay import inbox
from handoffs.models import DynamicsConnection

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 1024 * 1024


def refusal(status: int, code: str, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _channel(channel_key: str) -> LiveChatChannel | None:
    channel = LiveChatChannel.objects.select_related("tenant").filter(channel_key=channel_key)
    return channel.first()


def _authenticate(request: HttpRequest, channel: LiveChatChannel) -> JsonResponse | None:
    connection = DynamicsConnection.objects.filter(tenant=channel.tenant).first()
    if not channel.is_complete or connection is None:
        return refusal(404, "not_configured", "This channel is not configured.")
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _unauthorized("Send the bearer token Microsoft Entra ID issued for the app.")
    try:
        webhook_auth.validate(
            token.strip(), app_credentials(channel, connection), channel.app_id_uri
        )
    except webhook_auth.TokenRefused as exc:
        logger.info("live chat webhook of %s refused a token: %s", channel.tenant.slug, exc)
        return _unauthorized(str(exc))
    except webhook_auth.KeysUnavailable as exc:
        logger.warning("live chat webhook cannot read signing keys: %s", exc)
        return refusal(503, "keys_unavailable", "Signing keys cannot be read; retry later.")
    return None


def _unauthorized(message: str) -> JsonResponse:
    return refusal(401, "invalid_token", message, **{"WWW-Authenticate": "Bearer"})


@csrf_exempt
def receive_activity(request: HttpRequest, channel_key: str, conversation_id: str) -> JsonResponse:
    """Validate the bearer token, keep the activity once for the relay, answer 200."""
    if request.method != "POST":
        return refusal(405, "method_not_allowed", "POST activities here.", Allow="POST")
    channel = _channel(channel_key)
    if channel is None:
        return refusal(404, "unknown_channel", "No live-chat channel has this key.")
    if len(request.body) > MAX_BODY_BYTES:
        return refusal(413, "too_large", "An activity is at most 1 MiB.")
    refused = _authenticate(request, channel)
    if refused is not None:
        return refused
    try:
        body = json.loads(request.body)
        conversation = uuid.UUID(conversation_id)
    except ValueError:
        return refusal(400, "invalid_activity", "Send a JSON activity for a conversation id.")
    if not isinstance(body, dict):
        return refusal(400, "invalid_activity", "The activity must be a JSON object.")
    inbox.receive(channel.tenant, conversation, body)
    return JsonResponse({})


def no_such_endpoint(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """Anything else under /hooks/dynamics/ answers JSON too."""
    return refusal(
        404,
        "not_found",
        "Dynamics posts activities to <webhook URL>/v3/conversations/<id>/activities.",
    )

"""The Messaging API entry point: authenticate, apply the org's faults, route, count.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/intro-messaging-apis
Paths under /api/v1.0/consumer/: conversation/create, conversation/{id}, conversations,
conversation/{id}/messages, conversation/{id}/context; GET and POST only.
"""

from __future__ import annotations

import logging
import re

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from dataverse_sandbox.faults import log_request
from dataverse_sandbox.messaging import bodies, conversations, faults, listing
from dataverse_sandbox.messaging.auth import Channel, authenticate
from dataverse_sandbox.messaging.channel import faults_for, settings_for
from dataverse_sandbox.messaging.problems import MessagingError, json_response, problem_response
from dataverse_sandbox.models import Org

logger = logging.getLogger(__name__)

CREATE = re.compile(r"^conversation/create/?$")
LIST = re.compile(r"^conversations/?$")
ACTIVITY = re.compile(r"^conversation/([^/]+)/?$")
MESSAGES = re.compile(r"^conversation/([^/]+)/messages/?$")
CONTEXT = re.compile(r"^conversation/([^/]+)/context/?$")


@csrf_exempt
def dispatch(request: HttpRequest, org: str, rest: str) -> HttpResponse:
    """Answer one Messaging API request for the org named in the URL."""
    sandbox_org = Org.objects.filter(slug=org).first()
    if sandbox_org is None:
        return problem_response(MessagingError(404, f"No sandbox organization {org!r}."))
    code_in = settings_for(sandbox_org).error_code_in
    fault = ""
    try:
        channel = authenticate(request, sandbox_org)
        org_faults = faults_for(sandbox_org)
        fault = faults.next_fault(org_faults)
        if fault:
            raise faults.refusal(fault, org_faults)
        response = route(request, channel, rest)
    except MessagingError as exc:
        response = problem_response(exc, code_in)
    except Exception:
        # A sandbox bug still answers as the service would (a retryable 500), and says so here.
        logger.exception("sandbox messaging: %s %s failed", request.method, request.path)
        response = problem_response(MessagingError(500, "An unexpected error occurred."), code_in)
    log_request(sandbox_org, "messaging", request.method, request.path, response.status_code, fault)
    return response


def _only(request: HttpRequest, method: str) -> None:
    if request.method != method:
        raise MessagingError(
            405, f"Use {method} here, not {request.method}.", headers={"Allow": method}
        )


def route(request: HttpRequest, channel: Channel, rest: str) -> HttpResponse:
    if CREATE.match(rest):
        _only(request, "POST")
        return _create(request, channel)
    if LIST.match(rest):
        _only(request, "GET")
        return json_response(listing.conversations(channel, request.GET))
    if match := MESSAGES.match(rest):
        _only(request, "GET")
        found = conversations.find(channel, match[1], conversations.READABLE)
        return json_response(listing.messages(found, request.GET))
    if match := CONTEXT.match(rest):
        _only(request, "GET")
        found = conversations.find(channel, match[1], conversations.READABLE)
        return json_response(listing.context(found, faults_for(channel.org)))
    if match := ACTIVITY.match(rest):
        _only(request, "POST")
        return _activity(request, channel, match[1])
    raise MessagingError(404, f"No Messaging API endpoint /api/v1.0/consumer/{rest}.")


def _create(request: HttpRequest, channel: Channel) -> HttpResponse:
    create = bodies.create_request(bodies.json_object(request.body))
    conversation, is_new, message_id = conversations.start(channel, create)
    body: dict = {"conversationId": str(conversation.id), "isNew": is_new}
    if message_id is not None:
        body["messageId"] = str(message_id)
    return json_response(body)


def _activity(request: HttpRequest, channel: Channel, conversation_id: str) -> HttpResponse:
    found = conversations.find(channel, conversation_id, conversations.LIVE)
    body = bodies.json_object(request.body)
    activity = bodies.activity(body, channel.id, str(found.id))
    return json_response(conversations.receive(found, activity))

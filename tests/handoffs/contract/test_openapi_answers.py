"""Every documented answer of the webhook and the status endpoint, recorded from the real views."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.http import HttpResponse

from handoffs.channels import sample_handoff
from handoffs.inbound import signing
from handoffs.lifecycle.outbox import remember_signature
from handoffs.models import HandoffSession
from tests.conftest import WebhookClient, refusing_session_writes
from tests.handoffs.contract.openapi import (
    answer_problems,
    component_answer_problems,
    documented_answers,
    operations,
    planned,
)

WEBHOOK = "/hooks/opencx/{webhook_key}/"
WEBHOOK_NO_SLASH = "/hooks/opencx/{webhook_key}"
STATUS = "/hooks/opencx/{webhook_key}/sessions/{session_id}"
MESSAGES = "/hooks/opencx/{webhook_key}/sessions/{session_id}/messages"


def _post(hook: WebhookClient, raw: bytes, *, url: str = "", **headers: str) -> HttpResponse:
    signed = signing.signed_headers(hook.tenant.webhook_secret, raw) | headers
    return hook.client.generic(
        "POST", url or hook.url, raw, content_type="application/json", headers=signed
    )


def _body(session_id: str = "sess-contract") -> bytes:
    return json.dumps(sample_handoff("phone", session_id)).encode()


def _status_path(hook: WebhookClient, session_id: str) -> str:
    return f"/hooks/opencx/{hook.tenant.webhook_key}/sessions/{session_id}"


def _get(hook: WebhookClient, path: str, **headers: str) -> HttpResponse:
    signed = signing.signed_headers(hook.tenant.webhook_secret, path.encode()) | headers
    return hook.client.get(path, headers=signed)


def _done(hook: WebhookClient) -> HttpResponse:
    _post(hook, _body("sess-done"))
    HandoffSession.objects.filter(session_id="sess-done").update(
        status="done",
        target="incident",
        dynamics365_incident_id=uuid.uuid4(),
        dynamics365_ticket_number="CAS-01001-K7Q2ZP",
        dynamics365_contact_id=uuid.uuid4(),
        record_url="https://contoso.crm.dynamics.com/main.aspx?etn=incident&id=1",
    )
    return _get(hook, _status_path(hook, "sess-done"))


def _failed(hook: WebhookClient) -> HttpResponse:
    _post(hook, _body("sess-failed"))
    HandoffSession.objects.filter(session_id="sess-failed").update(
        status="failed",
        last_error_code="integration_not_configured",
        last_error_message="This tenant has no Dynamics 365 connection yet.",
    )
    return _get(hook, _status_path(hook, "sess-failed"))


def _reflected(hook: WebhookClient) -> HttpResponse:
    raw = _body()
    headers = signing.signed_headers(hook.tenant.webhook_secret, raw)
    remember_signature(headers)  # as if the service had sent these very headers on a callback
    return hook.client.generic(
        "POST", hook.url, raw, content_type="application/json", headers=headers
    )


def _busy(hook: WebhookClient) -> HttpResponse:
    """The database refuses every try to store the handoff (a deadlock that persists)."""
    from django.db import connection

    with connection.execute_wrapper(refusing_session_writes(times=100)):
        return _post(hook, _body("sess-busy"))


def _stale(hook: WebhookClient, message: bytes) -> dict[str, str]:
    return signing.signed_headers(hook.tenant.webhook_secret, message, now=time.time() - 400)


def _chat(hook: WebhookClient, session_id: str = "sess-chat", state: str = "waiting") -> str:
    """A live-chat session's messages URL."""
    _post(hook, json.dumps(sample_handoff("web", session_id)).encode())
    HandoffSession.objects.filter(session_id=session_id).update(
        target="live_chat", live_chat_state=state
    )
    return _status_path(hook, session_id) + "/messages"


def _message(message_id: str = "m1", **fields: object) -> bytes:
    return json.dumps(
        {"message_id": message_id, "type": "message", "text": "hi", **fields}
    ).encode()


def _say(hook: WebhookClient, raw: bytes | None = None, **headers: str) -> HttpResponse:
    return _post(hook, _message() if raw is None else raw, url=_chat(hook), **headers)


@dataclass(frozen=True)
class Case:
    template: str
    method: str
    status: int
    code: str | None
    send: Callable[[WebhookClient], HttpResponse]


CASES = {
    "queued": Case(WEBHOOK, "post", 202, None, lambda h: _post(h, _body())),
    "already received": Case(
        WEBHOOK, "post", 200, None, lambda h: (_post(h, _body()), _post(h, _body()))[1]
    ),
    "malformed json": Case(WEBHOOK, "post", 400, "invalid_json", lambda h: _post(h, b'{"a": ')),
    "invalid fields": Case(
        WEBHOOK,
        "post",
        400,
        "invalid_payload",
        lambda h: _post(h, b'{"session_id": "", "channel": "fax", "transcript": [{}]}'),
    ),
    "content length not a size": Case(
        WEBHOOK,
        "post",
        400,
        "invalid_request",
        lambda h: h.client.generic(
            "POST", h.url, _body(), content_type="application/json", CONTENT_LENGTH="abc"
        ),
    ),
    "no signature": Case(
        WEBHOOK,
        "post",
        401,
        "missing_signature",
        lambda h: h.client.generic("POST", h.url, _body(), content_type="application/json"),
    ),
    "wrong secret": Case(
        WEBHOOK,
        "post",
        401,
        "invalid_signature",
        lambda h: _post(h, _body(), **{"X-OpenCX-Signature": "v1=" + "0" * 64}),
    ),
    "callback signature sent back": Case(WEBHOOK, "post", 401, "invalid_signature", _reflected),
    "stale timestamp": Case(
        WEBHOOK, "post", 401, "stale_timestamp", lambda h: _post(h, _body(), **_stale(h, _body()))
    ),
    "unknown key": Case(
        WEBHOOK,
        "post",
        404,
        "unknown_webhook",
        lambda h: _post(h, _body(), url=h.url.replace(h.tenant.webhook_key, "no-such-key")),
    ),
    "get on the webhook": Case(
        WEBHOOK, "post", 405, "method_not_allowed", lambda h: h.client.get(h.url)
    ),
    "put on the webhook": Case(
        WEBHOOK,
        "post",
        405,
        "method_not_allowed",
        lambda h: h.client.put(h.url, _body(), content_type="application/json"),
    ),
    "too large": Case(
        WEBHOOK,
        "post",
        413,
        "payload_too_large",
        lambda h: _post(h, b'{"summary": "' + b"x" * (1024 * 1024) + b'"}'),
    ),
    "not json": Case(
        WEBHOOK,
        "post",
        415,
        "unsupported_media_type",
        lambda h: h.client.generic("POST", h.url, _body(), content_type="text/plain"),
    ),
    "database busy": Case(WEBHOOK, "post", 503, "service_busy", _busy),
    "host refused": Case(
        WEBHOOK, "post", 400, "invalid_request", lambda h: _post(h, _body(), Host="bad host")
    ),
    "status of a done case": Case(STATUS, "get", 200, None, _done),
    "status of a failed handoff": Case(STATUS, "get", 200, None, _failed),
    "status of a queued chat": Case(
        STATUS,
        "get",
        200,
        None,
        lambda h: (
            _post(h, json.dumps(sample_handoff("web", "sess-web")).encode()),
            _get(h, _status_path(h, "sess-web")),
        )[1],
    ),
    "control character in the path": Case(
        STATUS, "get", 400, "invalid_session_id", lambda h: _get(h, _status_path(h, "a%0Ab"))
    ),
    "status with a refused host": Case(
        STATUS,
        "get",
        400,
        "invalid_request",
        lambda h: _get(h, _status_path(h, "sess-1"), Host="bad host"),
    ),
    "unsigned status": Case(
        STATUS,
        "get",
        401,
        "missing_signature",
        lambda h: h.client.get(_status_path(h, "sess-1")),
    ),
    "status signed for another path": Case(
        STATUS,
        "get",
        401,
        "invalid_signature",
        lambda h: h.client.get(
            _status_path(h, "sess-1"),
            headers=signing.signed_headers(h.tenant.webhook_secret, b"/elsewhere"),
        ),
    ),
    "stale status": Case(
        STATUS,
        "get",
        401,
        "stale_timestamp",
        lambda h: h.client.get(
            _status_path(h, "sess-1"),
            headers=_stale(h, _status_path(h, "sess-1").encode()),
        ),
    ),
    "status of an unknown key": Case(
        STATUS,
        "get",
        404,
        "unknown_webhook",
        lambda h: h.client.get("/hooks/opencx/no-such-key/sessions/sess-1"),
    ),
    "status of an unknown session": Case(
        STATUS, "get", 404, "unknown_session", lambda h: _get(h, _status_path(h, "never-sent"))
    ),
    "post on the status": Case(
        STATUS,
        "get",
        405,
        "method_not_allowed",
        lambda h: h.client.post(_status_path(h, "sess-1"), b"{}", content_type="application/json"),
    ),
    "message queued": Case(MESSAGES, "post", 202, None, _say),
    "message repeated": Case(
        MESSAGES, "post", 200, None, lambda h: (_say(h), _post(h, _message(), url=_chat(h)))[1]
    ),
    "message not json": Case(MESSAGES, "post", 400, "invalid_json", lambda h: _say(h, b"{")),
    "message invalid": Case(
        MESSAGES,
        "post",
        400,
        "invalid_payload",
        lambda h: _say(h, _message(text="x" * 6001)),
    ),
    "message with a control character in the path": Case(
        MESSAGES,
        "post",
        400,
        "invalid_session_id",
        lambda h: _post(h, _message(), url=_status_path(h, "a%1Bb") + "/messages"),
    ),
    "message with a bad content length": Case(
        MESSAGES,
        "post",
        400,
        "invalid_request",
        lambda h: h.client.generic(
            "POST", _chat(h), _message(), content_type="application/json", CONTENT_LENGTH="x"
        ),
    ),
    "unsigned message": Case(
        MESSAGES,
        "post",
        401,
        "missing_signature",
        lambda h: h.client.generic("POST", _chat(h), _message(), content_type="application/json"),
    ),
    "message signed with another secret": Case(
        MESSAGES,
        "post",
        401,
        "invalid_signature",
        lambda h: _say(h, **{"X-OpenCX-Signature": "v1=" + "0" * 64}),
    ),
    "stale message": Case(
        MESSAGES, "post", 401, "stale_timestamp", lambda h: _say(h, **_stale(h, _message()))
    ),
    "message to an unknown key": Case(
        MESSAGES,
        "post",
        404,
        "unknown_webhook",
        lambda h: _post(h, _message(), url="/hooks/opencx/no-such-key/sessions/s/messages"),
    ),
    "message to an unknown session": Case(
        MESSAGES,
        "post",
        404,
        "unknown_session",
        lambda h: _post(h, _message(), url=_status_path(h, "never-sent") + "/messages"),
    ),
    "put on the messages": Case(
        MESSAGES,
        "post",
        405,
        "method_not_allowed",
        lambda h: h.client.put(_chat(h), _message(), content_type="application/json"),
    ),
    "message to a case": Case(
        MESSAGES,
        "post",
        409,
        "not_live_chat",
        lambda h: (
            _post(h, _body("sess-case")),
            _post(h, _message(), url=_status_path(h, "sess-case") + "/messages"),
        )[1],
    ),
    "message after the end": Case(
        MESSAGES,
        "post",
        409,
        "conversation_ended",
        lambda h: _post(h, _message(), url=_chat(h, state="ended")),
    ),
    "message too large": Case(
        MESSAGES,
        "post",
        413,
        "payload_too_large",
        lambda h: _say(h, b'{"text": "' + b"x" * (1024 * 1024) + b'"}'),
    ),
    "message not declared json": Case(
        MESSAGES,
        "post",
        415,
        "unsupported_media_type",
        lambda h: h.client.generic("POST", _chat(h), _message(), content_type="text/plain"),
    ),
}


class WithoutSlash(WebhookClient):
    """The same tenant's webhook, at its URL without the trailing slash."""

    @property
    def url(self) -> str:
        return super().url.rstrip("/")


def _variants() -> list[tuple[str, str]]:
    """Each case, and each webhook case again at the URL without its trailing slash."""
    both = [(name, case.template) for name, case in CASES.items()]
    return both + [(n, WEBHOOK_NO_SLASH) for n, c in CASES.items() if c.template == WEBHOOK]


@pytest.mark.parametrize(("name", "template"), _variants())
def test_it_answers_as_documented(webhook, name, template):
    case = CASES[name]
    hook = webhook if template == case.template else WithoutSlash(webhook.client, webhook.tenant)

    response = case.send(hook)

    assert response.status_code == case.status, response.content[:300]
    if case.code is not None:
        assert response.json()["error"]["code"] == case.code
    assert answer_problems(response, template, case.method) == []


def test_it_records_every_documented_answer_of_every_served_operation():
    recorded = {
        (template, CASES[name].method, CASES[name].status, CASES[name].code)
        for name, template in _variants()
    }
    documented = {
        (template, method, status, code)
        for template, method, _, _ in operations()
        if not planned(template)
        for status, code in documented_answers(template, method)
    }

    assert documented - recorded == set(), "documented answers no case records"
    assert recorded - documented == set(), "recorded answers the document lacks"


@pytest.mark.parametrize(
    "path", ["/hooks/opencx/", "/hooks/opencx/x/y/", "/hooks/opencx/k/sessions/"]
)
def test_it_answers_any_other_path_as_documented(client, db, path):
    response = client.post(path, b"{}", content_type="application/json")

    assert response.status_code == 404
    assert component_answer_problems(response, "NoSuchEndpoint") == []


def test_it_serves_every_documented_path():
    assert [template for template, *_ in operations() if planned(template)] == []

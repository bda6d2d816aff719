"""What any answer under /hooks/opencx/ must be, and what a refusal must leave behind: nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.test import TestCase
from django_q.models import OrmQ, Schedule, Task

from handoffs.models import HandoffEvent, HandoffSession, OutboundEvent
from tests.handoffs.contract.openapi import answer_problems, component_answer_problems

STORED = (HandoffSession, HandoffEvent, OutboundEvent, Schedule, OrmQ, Task)
WEBHOOK = "/hooks/opencx/{webhook_key}/"
STATUS = "/hooks/opencx/{webhook_key}/sessions/{session_id}"


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in STORED}


@dataclass
class Exchange:
    """One request's answer, the rows it added and the tasks it queued."""

    response: HttpResponse
    added: dict[str, int]
    queued: int

    @property
    def status(self) -> int:
        return self.response.status_code

    def body(self) -> dict:
        assert self.response["Content-Type"] == "application/json", self.response.content[:300]
        return json.loads(self.response.content)


def exchange(send: Callable[[], HttpResponse]) -> Exchange:
    """Send one request and note what it stored and queued (tasks leave on commit)."""
    before = _counts()
    with TestCase.captureOnCommitCallbacks() as callbacks:
        response = send()
    after = _counts()
    added = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    return Exchange(response, added, len(callbacks))


def _conforms(answer: Exchange, template: str, method: str) -> None:
    """The answer matches docs/openapi.yaml: status, error code, body shape, headers."""
    if answer.status == 404 and answer.body()["error"]["code"] == "not_found":
        problems = component_answer_problems(answer.response, "NoSuchEndpoint")
    else:
        problems = answer_problems(answer.response, template, method)
    assert problems == [], (answer.status, answer.response.content[:300], problems)


def assert_answer_is_documented(answer: Exchange, template: str, *, method: str = "POST") -> None:
    """Never a 5xx; the documented answer; a refusal stores and queues nothing."""
    assert answer.status < 500, answer.response.content[:500]
    if answer.status >= 400 or answer.status == 200:
        assert answer.added == {} and answer.queued == 0, (answer.status, answer.added)
    if method == "HEAD":  # no body by definition; what matters is that nothing was stored
        assert answer.status >= 400
        return
    _conforms(answer, template, "get" if template == STATUS else "post")
    if answer.status == 202:
        assert answer.added == {"HandoffSession": 1, "HandoffEvent": 1}, answer.added
        assert answer.queued == 1

"""Failed sessions are queued again by replay_handoffs; others are left alone."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from handoffs.models import HandoffSession


def replay(*args: str) -> str:
    out = io.StringIO()
    call_command("replay_handoffs", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def failed(webhook, phone_body, django_capture_on_commit_callbacks) -> HandoffSession:
    with django_capture_on_commit_callbacks(execute=True):
        webhook.post(phone_body)
    return HandoffSession.objects.get()


def test_it_replays_every_failed_session_and_audits_it(failed, django_capture_on_commit_callbacks):
    record_id = failed.record_id

    with django_capture_on_commit_callbacks(execute=True):
        printed = replay("acme", "--failed")

    failed.refresh_from_db()
    assert "Queued 1 session(s)" in printed
    assert failed.attempts == 2
    assert failed.record_id == record_id
    assert "replayed" in [e.kind for e in failed.events.all()]


def test_it_leaves_a_done_session_alone(failed):
    HandoffSession.objects.update(status="done")

    printed = replay("acme", "--session", failed.session_id)

    assert "is done: nothing to replay" in printed
    assert HandoffSession.objects.get().status == "done"
    assert failed.events.filter(kind="replayed").count() == 0


def test_it_names_an_unknown_session(failed):
    with pytest.raises(CommandError, match="No session 'nope'"):
        replay("acme", "--session", "nope")

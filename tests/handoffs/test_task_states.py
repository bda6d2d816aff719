"""The handoff task moves a session through its states and is safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from handoffs.models import HandoffSession
from handoffs.tasks import process_handoff


def test_it_queues_the_task_when_the_delivery_commits(
    webhook, phone_body, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        webhook.post(phone_body)

    assert len(callbacks) == 1
    assert HandoffSession.objects.get().status == "queued"


def test_it_fails_clearly_when_the_tenant_has_no_connection(webhook, phone_body):
    webhook.post(phone_body)
    session = HandoffSession.objects.get()

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "failed"
    assert session.attempts == 1
    assert session.last_error_code == "integration_not_configured"
    assert "Dynamics connection" in session.last_error_message
    assert [e.kind for e in session.events.all()] == ["received", "failed"]


def test_it_fixes_the_record_id_before_any_call_and_keeps_it(webhook, phone_body):
    webhook.post(phone_body)
    session = HandoffSession.objects.get()

    process_handoff(session.pk)
    first = HandoffSession.objects.get().record_id
    HandoffSession.objects.update(status="queued")
    process_handoff(session.pk)

    assert first is not None
    assert HandoffSession.objects.get().record_id == first


def test_it_does_nothing_for_a_session_that_is_done(webhook, phone_body):
    webhook.post(phone_body)
    HandoffSession.objects.update(status="done", attempts=1)
    session = HandoffSession.objects.get()

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "done"
    assert session.attempts == 1
    assert session.events.count() == 1


def test_it_leaves_a_session_another_worker_is_processing(webhook, phone_body):
    webhook.post(phone_body)
    HandoffSession.objects.update(status="processing", attempts=1)

    process_handoff(HandoffSession.objects.get().pk)

    assert HandoffSession.objects.get().attempts == 1


def test_it_takes_over_a_session_abandoned_in_processing(webhook, phone_body):
    webhook.post(phone_body)
    long_ago = timezone.now() - timedelta(hours=1)
    HandoffSession.objects.update(status="processing", attempts=1, updated_at=long_ago)

    process_handoff(HandoffSession.objects.get().pk)

    session = HandoffSession.objects.get()
    assert session.attempts == 2
    assert session.status == "failed"


def test_it_ignores_a_session_that_no_longer_exists(db):
    process_handoff(999_999)

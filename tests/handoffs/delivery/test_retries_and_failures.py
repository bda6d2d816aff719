"""Retryable errors wait (honouring Retry-After) a bounded number of times; others fail at once."""

from __future__ import annotations

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from django_q.models import Schedule

from handoffs.models import HandoffSession
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.dynamics.fakes import dataverse_error, entra_error

CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"


def test_it_schedules_a_retry_no_earlier_than_retry_after(tenant, org, dynamics):
    org.contact_found(CONTACT)
    dynamics.add(
        "POST",
        "incidents",
        429,
        dataverse_error("0x80072322", "Number of requests exceeded the limit of 6000."),
        headers={"Retry-After": "120"},
    )
    session = new_session(tenant, "phone")
    before = timezone.now()

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == HandoffSession.Status.RETRYING
    assert session.last_error_code == "rate_limited"
    assert session.next_attempt_at >= before + timedelta(seconds=120)
    scheduled = Schedule.objects.get(func="handoffs.tasks.process_next")
    assert scheduled.schedule_type == Schedule.ONCE
    assert scheduled.next_run == session.next_attempt_at
    event = session.events.get(kind="retry_scheduled")
    assert event.detail["code"] == "rate_limited"
    assert event.detail["retry_after"] == 120.0


def retry_is_due(session: HandoffSession) -> None:
    HandoffSession.objects.filter(pk=session.pk).update(next_attempt_at=timezone.now())


def test_it_waits_for_the_scheduled_moment_before_retrying(tenant, org, dynamics):
    org.contact_found(CONTACT)
    dynamics.add("POST", "incidents", 503, dataverse_error("", "Service unavailable"))
    session = new_session(tenant, "phone")

    process_handoff(session.pk)
    process_handoff(session.pk)  # too early: nothing happens

    session.refresh_from_db()
    assert session.status == "retrying"
    assert session.attempts == 1


def test_it_succeeds_on_the_scheduled_retry_with_the_same_record_id(tenant, org, dynamics):
    org.contact_found(CONTACT)
    dynamics.add("POST", "incidents", 503, dataverse_error("", "Service unavailable"))
    org.case_created()
    session = new_session(tenant, "phone")

    process_handoff(session.pk)
    retry_is_due(session)
    process_handoff(session.pk)

    session.refresh_from_db()
    first, second = [c.request for c in dynamics.dataverse_calls() if "incidents" in c.request.url]
    assert first.body == second.body
    assert session.status == "done"
    assert session.attempts == 2
    assert session.last_error_code == ""


@override_settings(HANDOFF_MAX_ATTEMPTS=2)
def test_it_fails_with_the_classified_error_after_the_last_attempt(tenant, org, dynamics):
    org.contact_found(CONTACT)
    dynamics.add("POST", "incidents", 503, dataverse_error("", "Service unavailable"))
    session = new_session(tenant, "phone")

    process_handoff(session.pk)
    retry_is_due(session)
    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "failed"
    assert session.last_error_code == "dataverse_unavailable"
    assert "Gave up after 2 attempts" in session.last_error_message
    assert "retried automatically" not in session.last_error_message
    assert "no second record" in session.last_error_message
    assert Schedule.objects.filter(func="handoffs.tasks.process_next").count() == 1
    assert [e.kind for e in session.events.exclude(kind="dataverse_call")][-1] == "failed"


def test_it_fails_at_once_on_a_permanent_error_with_a_fix(tenant, org, dynamics):
    message = (
        "Principal user is missing prvCreateIncident privilege on OTC=112 for entity 'incident'."
    )
    org.contact_found(CONTACT)
    dynamics.add("POST", "incidents", 403, dataverse_error("0x80040220", message))
    session = new_session(tenant, "phone")

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "failed"
    assert session.attempts == 1
    assert session.last_error_code == "dataverse_missing_privilege"
    assert "prvCreateIncident on incident" in session.last_error_message
    assert "Fix: Give the application user a security role" in session.last_error_message
    assert not Schedule.objects.filter(func="handoffs.tasks.process_next").exists()


def test_it_fails_before_any_dataverse_call_when_the_secret_is_wrong(tenant, org, dynamics):
    dynamics.refuse_token(entra_error("invalid_client", 7000215, "Invalid client secret."), 401)
    session = new_session(tenant, "phone")

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "failed"
    assert session.last_error_code == "entra_invalid_secret"
    assert "not its Secret ID" in session.last_error_message
    assert dynamics.dataverse_calls() == []


def test_a_deadlock_in_our_own_database_is_retried_not_failed(
    tenant, org, dynamics, connection, monkeypatch
):
    from django.db import OperationalError

    from handoffs.delivery import customers

    org.contact_found(CONTACT)
    org.case_created()

    def deadlocked(*args, **kwargs):
        raise OperationalError("deadlock detected")

    monkeypatch.setattr(customers, "remember", deadlocked)
    session = new_session(tenant, "phone")

    process_handoff(session.pk)

    session.refresh_from_db()
    connection.refresh_from_db()
    assert session.status == "retrying"
    assert session.last_error_code == "database_busy"
    assert "retried automatically" in session.last_error_message
    # Not Dynamics' fault: it does not count towards an outage of the tenant's Dynamics.
    assert connection.transient_failures == 0

"""What OpenCX hears when a rep changes a case: the case.updated body, once per change."""

from __future__ import annotations

import json

from handoffs.inbound import signing
from handoffs.models import HandoffEvent
from handoffs.tasks import poll_case_changes
from tests.handoffs.caseupdates.conftest import (
    AVERY,
    CALLBACK,
    case,
    handed_off,
    removed,
    resolved,
    updates,
)


def first_poll(feed, tenant, *sessions) -> None:
    feed.serve("", [case(str(s.dynamics365_incident_id)) for s in sessions], delta="1!x")
    poll_case_changes(tenant.pk)


def test_it_sends_the_resolution_the_rep_typed_with_labels_and_owner_names(
    feed, tenant, dynamics, django_capture_on_commit_callbacks
):
    session = handed_off(tenant, "sess-8f2c1a")
    first_poll(feed, tenant, session)
    incident = str(session.dynamics365_incident_id)
    feed.serve("1!x", [resolved(incident, owner=(AVERY, "Avery Agent"))], delta="2!x")
    feed.texts[incident] = "Refund issued for the second charge"
    receiver = dynamics.mock.post(CALLBACK, status=204)

    with django_capture_on_commit_callbacks(execute=True):
        poll_case_changes(tenant.pk)

    sent = receiver.calls[0].request
    body = json.loads(sent.body)
    assert body == {
        "event": "case.updated",
        "event_id": sent.headers["X-OpenCX-Event-Id"],
        "session_id": "sess-8f2c1a",
        "occurred_at": "2026-11-30T10:15:00+00:00",
        "dynamics365_incident_id": incident,
        "dynamics365_ticket_number": session.dynamics365_ticket_number,
        "state": "resolved",
        "status_reason": "Problem Solved",
        "owner": {"name": "Avery Agent"},
        "resolution": "Refund issued for the second charge",
    }
    assert sent.headers["X-OpenCX-Event"] == "case.updated"
    signing.verify(
        [tenant.webhook_secret],
        sent.headers[signing.TIMESTAMP_HEADER],
        sent.headers[signing.SIGNATURE_HEADER],
        [sent.body],
    )
    session.refresh_from_db()
    assert (session.case_state, session.case_owner) == ("resolved", "Avery Agent")


def test_it_reports_a_change_once_however_often_the_row_comes_back(feed, tenant):
    session = handed_off(tenant, "sess-1")
    first_poll(feed, tenant, session)
    incident = str(session.dynamics365_incident_id)
    cancelled = case(incident, state=2, status=6, reason="Cancelled")
    feed.serve("1!x", [cancelled], delta="2!x")
    feed.serve("2!x", [cancelled], delta="3!x")  # another column changed, not ours

    poll_case_changes(tenant.pk)
    poll_case_changes(tenant.pk)

    assert [(u["state"], u["status_reason"], u["resolution"]) for u in updates(session)] == [
        ("cancelled", "Cancelled", None)
    ]


def test_it_reports_each_change_in_order(feed, tenant):
    session = handed_off(tenant, "sess-1")
    first_poll(feed, tenant, session)
    incident = str(session.dynamics365_incident_id)
    feed.serve("1!x", [case(incident, status=2, reason="On Hold")], delta="2!x")
    feed.serve("2!x", [case(incident, owner=(AVERY, "Avery Agent"))], delta="3!x")
    feed.serve("3!x", [resolved(incident, owner=(AVERY, "Avery Agent"))], delta="4!x")
    feed.texts[incident] = "Fixed"

    for _ in range(3):
        poll_case_changes(tenant.pk)

    assert [
        (u["state"], u["status_reason"], (u["owner"] or {}).get("name")) for u in updates(session)
    ] == [
        ("active", "On Hold", "# OpenCX integration"),
        ("active", "In Progress", "Avery Agent"),
        ("resolved", "Problem Solved", "Avery Agent"),
    ]


def test_it_reports_a_case_a_rep_changed_before_its_first_sight(feed, tenant):
    session = handed_off(tenant, "sess-quick")
    incident = str(session.dynamics365_incident_id)
    feed.serve("", [resolved(incident)], delta="1!x")
    feed.texts[incident] = "Solved on the phone"

    poll_case_changes(tenant.pk)

    assert [u["resolution"] for u in updates(session)] == ["Solved on the phone"]


def test_it_does_not_report_cases_finished_before_updates_were_turned_on(feed, tenant):
    old = handed_off(tenant, "sess-old")
    tenant.case_updates_since = old.completed_at.replace(year=old.completed_at.year + 1)
    tenant.save()
    incident = str(old.dynamics365_incident_id)
    feed.serve("", [resolved(incident)], delta="1!x")
    feed.texts[incident] = "Long ago"

    poll_case_changes(tenant.pk)

    old.refresh_from_db()
    assert updates(old) == []
    assert old.case_state == "resolved"  # known now, so a later change is reported


def test_it_notes_a_deleted_case_on_the_session_without_telling_opencx(feed, tenant):
    session = handed_off(tenant, "sess-1")
    first_poll(feed, tenant, session)
    feed.serve("1!x", [removed(str(session.dynamics365_incident_id))], delta="2!x")

    poll_case_changes(tenant.pk)

    session.refresh_from_db()
    assert session.case_state == "deleted"
    assert updates(session) == []
    assert session.events.filter(kind=HandoffEvent.Kind.CASE_UPDATED).count() == 1


def test_it_audits_each_update_on_the_session_timeline_without_any_token(feed, tenant):
    session = handed_off(tenant, "sess-1")
    first_poll(feed, tenant, session)
    feed.serve(
        "1!x",
        [case(str(session.dynamics365_incident_id), status=2, reason="On Hold")],
        delta="2!secret-looking-token",
    )

    poll_case_changes(tenant.pk)

    event = session.events.get(kind=HandoffEvent.Kind.CASE_UPDATED)
    assert event.detail["state"] == "active"
    assert event.detail["status_reason"] == "On Hold"
    assert event.detail["event_id"] == updates(session)[0]["event_id"]
    assert "secret-looking-token" not in json.dumps(event.detail)

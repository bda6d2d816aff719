"""A session's page: header and transcript as sent, Dynamics links, the audit timeline."""

from __future__ import annotations

import uuid

import pytest

from handoffs.models import HandoffEvent
from tests.settings_ui.history_helpers import make_session

CONTACT = uuid.UUID("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")
INCIDENT = uuid.UUID("11111111-2222-4333-8444-555555555555")
RECORD_URL = (
    f"https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=incident&id={INCIDENT}"
)


@pytest.fixture
def done(tenant):
    session = make_session(
        tenant,
        "sess_8f2c1a",
        status="done",
        target="incident",
        took=2.5,
        record_id=INCIDENT,
        dynamics365_incident_id=INCIDENT,
        dynamics365_ticket_number="CAS-01042-Z4Q8",
        dynamics365_contact_id=CONTACT,
        record_url=RECORD_URL,
    )
    HandoffEvent.objects.create(
        session=session,
        kind="dataverse_call",
        detail={
            "method": "POST",
            "path": "/api/data/v9.2/incidents",
            "status": 201,
            "duration_ms": 184,
        },
    )
    return session


def page(client, session) -> str:
    response = client.get(f"/t/acme/sessions/{session.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_header_lines_and_transcript_as_sent(lead_client, done):
    html = page(lead_client, done)

    assert "Channel: Phone\nClassification: Billing\nSentiment: Negative\n" in html
    assert "I was charged twice for my November invoice." in html
    assert "Transcript (5 messages)" in html
    assert "Customer was charged twice for the November invoice" in html


def test_it_links_the_case_and_the_contact_in_dynamics(lead_client, done):
    html = page(lead_client, done)

    assert f'id="open-in-dynamics" href="{RECORD_URL.replace("&", "&amp;")}"' in html
    contact_link = RECORD_URL.replace("incident", "contact").replace(str(INCIDENT), str(CONTACT))
    assert f'href="{contact_link.replace("&", "&amp;")}"' in html
    assert "CAS-01042-Z4Q8" in html
    assert str(CONTACT) in html


def test_it_lists_every_audit_event_with_its_call_status_and_duration(lead_client, done):
    timeline = lead_client.get(f"/t/acme/sessions/{done.pk}/").context["timeline"]

    assert [row.kind for row in timeline] == ["received", "dataverse_call"]
    call = timeline[1]
    assert (call.call, call.status, call.duration) == (
        "POST /api/data/v9.2/incidents",
        "201",
        "184 ms",
    )


def test_it_explains_a_failed_call_in_plain_language(lead_client, tenant):
    failed = make_session(
        tenant,
        "sess-403",
        status="failed",
        last_error_code="dataverse_missing_privilege",
        last_error_message="Stored wording. Fix: stored hint.",
    )
    HandoffEvent.objects.create(
        session=failed,
        kind="dataverse_call",
        detail={
            "method": "POST",
            "path": "/api/data/v9.2/incidents",
            "status": 403,
            "code": "dataverse_missing_privilege",
        },
    )

    html = page(lead_client, failed)

    assert "Why it failed: <code>dataverse_missing_privilege</code>" in html
    # The Dataverse client's catalogue wording wins over the stored message.
    assert "The application user lacks a privilege (0x80040220)." in html
    assert "Give the application user a security role" in html


def test_it_falls_back_to_the_stored_message_for_a_code_outside_the_catalogue(lead_client, tenant):
    failed = make_session(
        tenant,
        "sess-unconfigured",
        status="failed",
        last_error_code="retired_code_from_an_older_release",
        last_error_message="No Dynamics 365 connection yet. Fix: Connect it, then retry.",
    )

    html = page(lead_client, failed)

    assert "<p>No Dynamics 365 connection yet.</p>" in html
    assert "<strong>Fix:</strong> Connect it, then retry." in html


def test_it_tells_how_to_recover_when_automatic_retries_gave_up(lead_client, tenant):
    failed = make_session(
        tenant,
        "sess-outage",
        status="failed",
        attempts=6,
        last_error_code="dataverse_unavailable",
        last_error_message="Dataverse is temporarily unavailable. Gave up after 6 attempts.",
    )

    html = page(lead_client, failed)

    assert "It was tried 6 times and then given up." in html
    assert "retried automatically" not in html


def test_it_writes_a_sessions_missing_classification_as_dynamics_does(lead_client, tenant):
    session = make_session(tenant, "sess-bare", classification="")
    session.payload = {**session.payload, "classification": None, "sentiment": ""}
    session.save()

    html = page(lead_client, session)

    assert "Classification: Unspecified\nSentiment: Unknown\n" in html


def test_it_links_a_failure_to_its_troubleshooting_section(lead_client, tenant):
    failed = make_session(
        tenant, "sess-403", status="failed", last_error_code="dataverse_forbidden"
    )

    html = page(lead_client, failed)

    assert 'href="/help/troubleshooting/#dataverse_forbidden">Troubleshooting' in html

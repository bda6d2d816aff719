"""Operators work in the Django admin: secrets stay hidden, sessions are searchable, replayable."""

from __future__ import annotations

import uuid

import pytest

from handoffs.models import HandoffEvent, HandoffSession
from handoffs.tenancy import tenants
from tests.settings_ui.history_helpers import make_session

CHANGELIST = "/admin/handoffs/handoffsession/"
RECORD_ID = uuid.UUID("6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f")
CLIENT_SECRET = "Xq8~client-secret-value-never-shown"


@pytest.fixture
def case(tenant) -> HandoffSession:
    return make_session(
        tenant,
        "sess_8f2c1a",
        status="done",
        dynamics365_ticket_number="CAS-01042-Z4Q8",
        record_url="https://contoso.crm.dynamics.com/main.aspx?etn=incident&id=1",
    )


def test_it_never_shows_the_client_secret_or_the_webhook_secret(operator, tenant):
    connection = tenants.connect(
        tenant,
        azure_tenant_id="t",
        client_id="c",
        client_secret=CLIENT_SECRET,
        environment_url="https://contoso.crm.dynamics.com",
    )

    connection_page = operator.get(f"/admin/handoffs/dynamicsconnection/{connection.pk}/change/")
    tenant_page = operator.get(f"/admin/handoffs/tenant/{tenant.pk}/change/")

    assert connection_page.status_code == tenant_page.status_code == 200
    assert CLIENT_SECRET not in connection_page.content.decode()
    assert "Set on " in connection_page.content.decode()
    assert tenant.webhook_secret not in tenant_page.content.decode()


def test_it_finds_a_session_by_ticket_number_prefix_and_links_the_record(operator, case):
    response = operator.get(CHANGELIST, {"q": "CAS-01042"})

    html = response.content.decode()
    assert "sess_8f2c1a" in html
    assert (
        '<a href="https://contoso.crm.dynamics.com/main.aspx?etn=incident&amp;id=1" '
        'target="_blank" rel="noopener">CAS-01042-Z4Q8</a>'
    ) in html


def test_it_filters_sessions_by_status(operator, case, tenant):
    make_session(tenant, "sess-failed", status="failed")

    html = operator.get(CHANGELIST, {"status__exact": "failed"}).content.decode()

    assert "sess-failed" in html
    assert "sess_8f2c1a" not in html


def test_it_shows_events_read_only_on_the_session_page(operator, case):
    HandoffEvent.objects.create(session=case, kind="dataverse_call", detail={"status": 201})

    html = operator.get(f"{CHANGELIST}{case.pk}/change/").content.decode()

    assert "Open in Dynamics" in html
    assert "Dataverse call" in html
    assert 'name="events-0-kind"' not in html  # no editable inline field


@pytest.mark.django_db(transaction=True)
def test_it_replays_only_the_failed_sessions_selected(operator, tenant, case):
    failed = make_session(tenant, "sess-failed", status="failed", attempts=1, record_id=RECORD_ID)

    response = operator.post(
        CHANGELIST,
        {"action": "replay_failed", "_selected_action": [failed.pk, case.pk]},
        follow=True,
    )

    failed.refresh_from_db()
    assert "Queued 1 failed session(s) again. Skipped 1 that were not failed." in (
        response.content.decode()
    )
    assert failed.events.get(kind="replayed").detail == {"actor": "ops"}
    assert failed.attempts == 2
    assert failed.record_id == RECORD_ID
    assert not case.events.filter(kind="replayed").exists()


def test_it_reports_the_replay_right_from_a_list_filtered_on_failed(operator, tenant):
    failed = [make_session(tenant, f"sess-failed-{i}", status="failed") for i in range(2)]

    response = operator.post(
        f"{CHANGELIST}?status__exact=failed",
        {"action": "replay_failed", "_selected_action": [s.pk for s in failed]},
        follow=True,
    )

    # Replayed sessions are queued now and no longer match the filter: still 2, none skipped.
    html = response.content.decode()
    assert "Queued 2 failed session(s) again." in html
    assert "Skipped" not in html


def test_it_shows_a_session_without_save_buttons(operator, case):
    html = operator.get(f"{CHANGELIST}{case.pk}/change/").content.decode()

    assert 'name="_save"' not in html
    assert 'name="_continue"' not in html

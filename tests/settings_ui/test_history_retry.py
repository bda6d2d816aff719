"""Admins retry a failed handoff from its page; leads cannot; the record id never changes."""

from __future__ import annotations

import uuid

import pytest

from handoffs.models import HandoffSession
from tests.settings_ui.conftest import member_client
from tests.settings_ui.history_helpers import make_session

RECORD_ID = uuid.UUID("6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f")


@pytest.fixture
def failed(tenant) -> HandoffSession:
    return make_session(
        tenant,
        "sess-failed",
        status="failed",
        attempts=1,
        record_id=RECORD_ID,
        last_error_code="integration_not_configured",
        last_error_message="No connection yet. Fix: Connect Dynamics 365, then retry.",
    )


def url(session: HandoffSession, suffix: str = "") -> str:
    return f"/t/acme/sessions/{session.pk}/{suffix}"


def test_it_shows_retry_to_an_admin_on_a_failed_session(admin_client_, failed):
    html = admin_client_.get(url(failed)).content.decode()

    assert f'action="{url(failed, "retry/")}"' in html
    assert ">Retry</button>" in html


def test_it_hides_retry_from_a_lead(lead_client, failed):
    html = lead_client.get(url(failed)).content.decode()

    assert ">Retry</button>" not in html
    assert "pastes the Azure credentials and saves; then replay the failed handoffs" in html


def test_it_answers_404_to_a_lead_posting_a_retry(lead_client, failed):
    response = lead_client.post(url(failed, "retry/"))

    failed.refresh_from_db()
    assert response.status_code == 404
    assert failed.status == "failed"
    assert not failed.events.filter(kind="replayed").exists()


def test_it_refuses_a_retry_without_the_csrf_token(tenant, failed):
    client = member_client(tenant, "ada", "admin")
    client.handler.enforce_csrf_checks = True

    response = client.post(url(failed, "retry/"))

    assert response.status_code == 403
    assert not failed.events.filter(kind="replayed").exists()


@pytest.mark.django_db(transaction=True)
def test_it_retries_and_shows_the_outcome_with_the_same_record_id(tenant, failed):
    admin = member_client(tenant, "ada", "admin")

    response = admin.post(url(failed, "retry/"), follow=True)

    failed.refresh_from_db()
    html = response.content.decode()
    # No Dynamics connection: the inline task runs the attempt and it fails the same way again.
    assert response.redirect_chain[-1][0] == url(failed)
    assert failed.attempts == 2
    assert failed.record_id == RECORD_ID
    assert failed.events.get(kind="replayed").detail == {"actor": "ada"}
    assert "Retried, and it failed again (integration_not_configured)" in html
    assert 'id="session-status">Failed</span>' in html


def test_it_refuses_to_retry_a_session_that_is_not_failed(admin_client_, tenant):
    done = make_session(tenant, "sess-done", status="done", record_id=RECORD_ID)

    response = admin_client_.post(url(done, "retry/"), follow=True)

    assert "Only failed handoffs can be retried; this one is Done." in response.content.decode()
    assert not done.events.filter(kind="replayed").exists()


def test_it_keeps_the_list_filters_when_returning_from_a_retry(admin_client_, failed):
    response = admin_client_.post(url(failed, "retry/"), {"from": "status=failed&channel=phone"})

    assert response["Location"] == url(failed) + "?from=status%3Dfailed%26channel%3Dphone"

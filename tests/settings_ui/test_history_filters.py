"""The history list filters by channel, status and date range, all read from the URL."""

from __future__ import annotations

import pytest

from tests.settings_ui.history_helpers import at, make_session

URL = "/t/acme/sessions/"


@pytest.fixture
def sessions(tenant):
    make_session(tenant, "phone-done", channel="phone", status="done", received_at=at(18))
    make_session(tenant, "web-failed", channel="web", status="failed", received_at=at(19))
    make_session(tenant, "email-done", channel="email", status="done", received_at=at(21, 23, 59))
    make_session(tenant, "web-queued", channel="web", status="queued", received_at=at(22, 0, 0))


def listed(response) -> list[str]:
    return [row.session.session_id for row in response.context["rows"]]


def test_it_lists_every_session_newest_first_without_filters(lead_client, sessions):
    response = lead_client.get(URL)

    assert response.status_code == 200
    assert listed(response) == ["web-queued", "email-done", "web-failed", "phone-done"]


def test_it_filters_by_channel(lead_client, sessions):
    assert listed(lead_client.get(URL, {"channel": "web"})) == ["web-queued", "web-failed"]


def test_it_filters_by_status(lead_client, sessions):
    assert listed(lead_client.get(URL, {"status": "done"})) == ["email-done", "phone-done"]


def test_it_combines_channel_and_status(lead_client, sessions):
    assert listed(lead_client.get(URL, {"channel": "web", "status": "failed"})) == ["web-failed"]


def test_it_includes_both_ends_of_the_date_range_in_utc(lead_client, sessions):
    response = lead_client.get(URL, {"date_from": "2026-11-19", "date_to": "2026-11-21"})

    # 21 Nov 23:59 is in, 22 Nov 00:00 is out, 18 Nov is out.
    assert listed(response) == ["email-done", "web-failed"]


def test_it_keeps_the_filters_in_the_form_so_the_url_can_be_shared(lead_client, sessions):
    response = lead_client.get(URL, {"channel": "web", "status": "failed"})

    html = response.content.decode()
    assert '<option value="web" selected>' in html
    assert '<option value="failed" selected>' in html


def test_it_explains_a_reversed_date_range_and_ignores_it(lead_client, sessions):
    response = lead_client.get(URL, {"date_from": "2026-11-22", "date_to": "2026-11-18"})

    assert "is after “To” (2026-11-18): swap the two dates" in response.content.decode()
    assert len(listed(response)) == 4


def test_it_names_an_unknown_channel_and_still_lists(lead_client, sessions):
    response = lead_client.get(URL, {"channel": "fax"})

    assert "Select a valid choice. fax is not one of the available choices." in (
        response.content.decode()
    )
    assert len(listed(response)) == 4


def test_it_refuses_a_date_outside_any_plausible_range(lead_client, sessions):
    response = lead_client.get(URL, {"date_to": "9999-12-31"})

    assert response.status_code == 200
    assert "9999-12-31 is out of range: pick a date between 2000-01-01 and 2100-12-31." in (
        response.content.decode()
    )
    assert len(listed(response)) == 4

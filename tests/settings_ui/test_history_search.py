"""A lead finds a handoff by session id, ticket number, email or phone (exact or prefix)."""

from __future__ import annotations

import pytest

from tests.settings_ui.history_helpers import at, make_session

URL = "/t/acme/sessions/"


@pytest.fixture
def sessions(tenant):
    make_session(
        tenant,
        "sess_8f2c1a",
        status="done",
        dynamics365_ticket_number="CAS-01042-Z4Q8",
        customer={
            "name": "Maria Keller",
            "email": "Maria.Keller@example.com",
            "phone": "+4915123456789",
        },
        received_at=at(20),
    )
    make_session(
        tenant,
        "sess_77aa01",
        channel="email",
        status="done",
        dynamics365_ticket_number="CAS-01043-B7K2",
        customer={"name": "Tom Berg", "email": "tom@example.org", "phone": "+4930123456"},
        received_at=at(21),
    )


def found(client, text: str) -> list[str]:
    response = client.get(URL, {"q": text})
    assert response.status_code == 200
    return [row.session.session_id for row in response.context["rows"]]


def test_it_finds_by_exact_session_id(lead_client, sessions):
    assert found(lead_client, "sess_8f2c1a") == ["sess_8f2c1a"]


def test_it_finds_by_session_id_prefix(lead_client, sessions):
    assert found(lead_client, "sess_77") == ["sess_77aa01"]


def test_it_finds_by_ticket_number_in_any_case(lead_client, sessions):
    assert found(lead_client, "cas-01043-b7k2") == ["sess_77aa01"]


def test_it_finds_by_ticket_number_prefix(lead_client, sessions):
    assert found(lead_client, "CAS-0104") == ["sess_77aa01", "sess_8f2c1a"]


def test_it_finds_by_email_ignoring_case_and_spaces(lead_client, sessions):
    assert found(lead_client, "  maria.KELLER@example.com ") == ["sess_8f2c1a"]


def test_it_finds_by_phone_typed_with_spaces(lead_client, sessions):
    assert found(lead_client, "+49 151 2345 6789") == ["sess_8f2c1a"]


def test_it_does_not_match_text_in_the_middle(lead_client, sessions):
    # Prefix matches only: "example" is inside both emails but starts none of the columns.
    assert found(lead_client, "example") == []


def test_it_says_nothing_matched(lead_client, sessions):
    response = lead_client.get(URL, {"q": "nobody@nowhere.test"})

    assert "No handoffs match these filters." in response.content.decode()

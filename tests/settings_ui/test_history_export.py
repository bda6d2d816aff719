"""The CSV export holds the filtered list, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from tests.settings_ui.history_helpers import at, make_session

URL = "/t/acme/sessions/export.csv"


def rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def sessions(tenant):
    make_session(
        tenant,
        "sess-case",
        channel="phone",
        status="done",
        took=4.25,
        dynamics365_ticket_number="CAS-01042-Z4Q8",
        dynamics365_incident_id=uuid.UUID("11111111-2222-4333-8444-555555555555"),
        record_url="https://contoso.crm.dynamics.com/main.aspx?etn=incident&id=1111",
        received_at=at(20),
    )
    make_session(
        tenant,
        "sess-chat",
        channel="web",
        status="failed",
        last_error_code="dataverse_forbidden",
        last_error_message="Refused.",
        customer={"name": '=HYPERLINK("http://evil.test","click")', "email": "x@example.com"},
        classification="@SUM(A1:A9)",
        received_at=at(21),
    )


def test_it_streams_a_csv_attachment(lead_client, sessions):
    response = lead_client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="handoffs-acme-')
    assert response.streaming


def test_it_writes_one_row_per_session_newest_first_with_the_references(lead_client, sessions):
    exported = rows(lead_client.get(URL))

    assert [r["session_id"] for r in exported] == ["sess-chat", "sess-case"]
    case = exported[1]
    assert case["received_at_utc"] == "2026-11-20T12:00:00+00:00"
    assert case["ticket_number"] == "CAS-01042-Z4Q8"
    assert case["incident_id"] == "11111111-2222-4333-8444-555555555555"
    assert case["record_url"] == "https://contoso.crm.dynamics.com/main.aspx?etn=incident&id=1111"
    assert case["duration_seconds"] == "4.25"
    assert case["customer_email"] == "maria.keller@example.com"
    assert exported[0]["error_code"] == "dataverse_forbidden"


def test_it_exports_only_what_the_filters_select(lead_client, sessions):
    exported = rows(lead_client.get(URL, {"channel": "web", "status": "failed"}))

    assert [r["session_id"] for r in exported] == ["sess-chat"]


def test_it_defuses_customer_text_a_spreadsheet_would_run(lead_client, sessions):
    chat = rows(lead_client.get(URL, {"channel": "web"}))[0]

    assert chat["customer_name"] == '\'=HYPERLINK("http://evil.test","click")'
    assert chat["classification"] == "'@SUM(A1:A9)"
    # A leading + is a formula too: phone numbers keep their digits behind the apostrophe.
    assert chat["customer_phone"] == ""
    case = rows(lead_client.get(URL, {"channel": "phone"}))[0]
    assert case["customer_phone"] == "'+4915123456789"

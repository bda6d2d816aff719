"""The ticket_properties editor refuses what the org would refuse, key by key."""

from __future__ import annotations

import json

import pytest

from tests.handoffs.org_answers import serve_incident_metadata

pytestmark = pytest.mark.django_db
URL = "/t/acme/settings/ticket-properties/"


def test_it_shows_the_orgs_writable_columns_to_pick_from(admin_client_, connection, dynamics):
    serve_incident_metadata(dynamics)

    page = admin_client_.get(URL).content.decode()

    assert "primarycontactid@odata.bind" in page
    assert "1 = Question, 2 = Problem, 3 = Request" in page
    assert "ticketnumber" not in page


def test_it_reports_an_invalid_option_inline_and_saves_nothing(admin_client_, connection, dynamics):
    serve_incident_metadata(dynamics)
    mapping = {"casetypecode": 7, "new_productcode": "SKU-1"}

    response = admin_client_.post(URL, {"ticket_properties": json.dumps(mapping)})

    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "casetypecode: 7 is not an option of casetypecode in this org" in page
    connection.refresh_from_db()
    assert connection.ticket_properties == {}


def test_it_saves_a_valid_mapping(admin_client_, connection, dynamics):
    serve_incident_metadata(dynamics)
    mapping = {"casetypecode": 2, "new_productcode": "SKU-1"}

    response = admin_client_.post(URL, {"ticket_properties": json.dumps(mapping)}, follow=True)

    assert "Ticket properties saved" in response.content.decode()
    connection.refresh_from_db()
    assert connection.ticket_properties == mapping


def test_it_points_at_the_broken_spot_of_invalid_json(admin_client_, connection, dynamics):
    serve_incident_metadata(dynamics)

    response = admin_client_.post(URL, {"ticket_properties": '{"casetypecode": 2,}'})

    assert "Not valid JSON (line 1, column 20" in response.content.decode()


def test_it_saves_nothing_when_the_org_cannot_be_read(admin_client_, connection, dynamics):
    from tests.handoffs.dynamics.fakes import entra_error

    dynamics.refuse_token(entra_error("invalid_client", 7000222, "expired"))

    response = admin_client_.post(URL, {"ticket_properties": '{"casetypecode": 2}'})

    page = response.content.decode()
    assert "Could not read the org&#x27;s case columns, so nothing was saved" in page
    assert "AADSTS7000222" in page
    connection.refresh_from_db()
    assert connection.ticket_properties == {}


def test_it_saves_a_lookup_under_the_navigation_property_the_org_declares(
    admin_client_, connection, dynamics
):
    serve_incident_metadata(dynamics)
    product = "/new_products(0f8b3c2a-1111-4aaa-8bbb-00000000000c)"

    response = admin_client_.post(
        URL, {"ticket_properties": json.dumps({"new_productid@odata.bind": product})}, follow=True
    )

    page = response.content.decode()
    assert "new_productid@odata.bind is saved as new_ProductId@odata.bind" in page
    connection.refresh_from_db()
    assert connection.ticket_properties == {"new_ProductId@odata.bind": product}

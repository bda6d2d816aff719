"""Defaults and routing: priorities from the org, GUIDs checked, records that must exist."""

from __future__ import annotations

import uuid

import pytest
import responses

from tests.handoffs.dynamics.fakes import dataverse_error, entra_error
from tests.handoffs.org_answers import INCIDENT, options, serve_incident_metadata

pytestmark = pytest.mark.django_db
URL = "/t/acme/settings/defaults/"


def form(**overrides: str) -> dict:
    data = {"default_priority": "", "chat_target": "live_work_item", "phone_lookup": "on"}
    data.update(overrides)
    return data


def test_it_offers_the_orgs_own_priorities(admin_client_, connection, dynamics):
    serve_incident_metadata(dynamics)
    urgent = options((1, "High"), (2, "Normal"), (3, "Low"), (4, "Urgent"))
    dynamics.mock.replace(
        responses.GET,
        dynamics.api(f"{INCIDENT}/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata"),
        json={"value": [{"LogicalName": "prioritycode", "OptionSet": urgent}]},
    )

    page = admin_client_.get(URL).content.decode()

    assert "4 - Urgent" in page


def test_it_falls_back_to_the_standard_priorities_when_the_org_is_unreachable(
    admin_client_, connection, dynamics
):
    dynamics.refuse_token(entra_error("invalid_client", 7000215, "bad"))

    page = admin_client_.get(URL).content.decode()

    assert "1 - High" in page and "2 - Normal" in page and "3 - Low" in page
    assert "Could not read the org" in page


def test_it_saves_chat_target_and_customer_fallback(admin_client_, connection, dynamics):
    contact = str(uuid.uuid4())
    dynamics.add("GET", f"contacts({contact})", body={"fullname": "Anonymous"})

    admin_client_.post(
        URL,
        form(
            chat_target="incident",
            phone_lookup="",
            fallback_customer_type="contact",
            fallback_customer_id=contact,
            default_priority="2",
        ),
    )

    connection.refresh_from_db()
    assert connection.chat_target == "incident"
    assert connection.phone_lookup is False
    assert str(connection.fallback_customer_id) == contact
    assert connection.default_priority == 2


def test_it_refuses_a_queue_that_does_not_exist_and_saves_nothing(
    admin_client_, connection, dynamics
):
    queue = str(uuid.uuid4())
    dynamics.add(
        "GET",
        f"queues({queue})",
        status=404,
        body=dataverse_error("0x80040217", f"queue With Id = {queue} Does Not Exist"),
    )

    response = admin_client_.post(URL, form(default_queue_id=queue, chat_target="incident"))

    page = response.content.decode()
    assert f"Default queue: no record {queue} in queues" in page
    connection.refresh_from_db()
    assert connection.default_queue_id is None
    assert connection.chat_target == "live_work_item"


def test_it_explains_a_malformed_guid(admin_client_, connection, dynamics):
    response = admin_client_.post(URL, form(default_owner_id="Avery Agent"))

    assert "Enter a GUID like 00000000-0000-0000-0000-000000000000" in response.content.decode()


def test_it_wants_both_the_fallback_type_and_id(admin_client_, connection, dynamics):
    response = admin_client_.post(URL, form(fallback_customer_id=str(uuid.uuid4())))

    assert "contact or an account" in response.content.decode()


def test_it_sends_admins_without_a_connection_to_connect_first(admin_client_):
    response = admin_client_.get(URL)

    assert response["Location"] == "/t/acme/settings/connection/"


def test_it_refuses_a_priority_the_org_does_not_have(admin_client_, connection, dynamics):
    serve_incident_metadata(dynamics)

    response = admin_client_.post(URL, form(default_priority="9"))

    assert "Select a valid choice" in response.content.decode()

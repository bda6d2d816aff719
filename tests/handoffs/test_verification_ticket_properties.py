"""ticket_properties are checked against the org's incident metadata, one message per key."""

from __future__ import annotations

import pytest
import responses

from handoffs.dynamics.client import DynamicsClient, client_for, forget_client
from handoffs.dynamics.metadata import table_metadata
from handoffs.models import DynamicsConnection
from handoffs.tenancy.ticket_properties import validate, writable_columns
from tests.handoffs.dynamics.fakes import AZURE_TENANT, CLIENT_ID, CLIENT_SECRET, FakeDynamics
from tests.handoffs.org_answers import serve_incident_metadata


@pytest.fixture
def client(tenant) -> DynamicsClient:
    connection = DynamicsConnection.objects.create(
        tenant=tenant,
        azure_tenant_id=AZURE_TENANT,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        environment_url="https://contoso.crm.dynamics.com",
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        serve_incident_metadata(FakeDynamics(mock))
        yield client_for(connection)
    forget_client(connection.pk)


@pytest.fixture
def table(client):
    return table_metadata(client, "incident")


def test_it_reads_types_lengths_options_and_lookups_from_the_org(table):
    assert table.columns["new_productcode"].max_length == 50
    assert table.columns["casetypecode"].options == {1: "Question", 2: "Problem", 3: "Request"}
    assert table.navigations_of("customerid") == ["customerid_account", "customerid_contact"]
    assert table.priority_options() == {1: "High", 2: "Normal", 3: "Low"}


def test_it_accepts_valid_values_of_every_kind(table):
    properties = {
        "casetypecode": 2,
        "new_productcode": "SKU-1",
        "new_followupby": "2025-03-01T09:00:00Z",
        "new_escalated": True,
        "new_seats": 12,
        "primarycontactid@odata.bind": "/contacts(00000000-0000-0000-0000-000000000001)",
    }

    assert validate(properties, table) == {}


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "new_prodcode",
            "x",
            "no column named new_prodcode in this org. Did you mean new_productcode?",
        ),
        ("ticketnumber", "CAS-1", "does not accept ticketnumber when a case is created"),
        ("new_seats", "12", "takes a whole number, without quotes"),
        ("new_escalated", "yes", "takes true or false"),
        (
            "casetypecode",
            7,
            "7 is not an option of casetypecode in this org. Choose one of: 1 (Question)",
        ),
        ("casetypecode", "Problem", "Use the option's number, not its label: 'Problem' is 2."),
        ("new_productcode", "x" * 51, "51 characters, the column holds at most 50"),
        (
            "primarycontactid",
            "00000000-0000-0000-0000-000000000001",
            '"primarycontactid@odata.bind"',
        ),
        (
            "primarycontactid@odata.bind",
            "00000000-0000-0000-0000-000000000001",
            "takes a reference like",
        ),
        (
            "owner@odata.bind",
            "/systemusers(00000000-0000-0000-0000-000000000001)",
            "not a lookup of the case",
        ),
        ("title", "Hello", "set by the service"),
        ("new_followupby", "tomorrow", "is a date"),
    ],
)
def test_it_reports_what_dataverse_would_refuse(table, key, value, expected):
    problems = validate({key: value}, table)

    assert expected in problems[key]


def test_it_refuses_anything_but_an_object(table):
    assert "must be a JSON object" in validate(["casetypecode", 2], table)[""]


def test_it_lists_writable_columns_with_lookups_as_bind_keys(table):
    keys = [c.key for c in writable_columns(table)]

    assert "customerid_contact@odata.bind" not in keys  # the service sets the customer
    assert "primarycontactid@odata.bind" in keys
    assert "casetypecode" in keys
    assert "ticketnumber" not in keys
    assert "title" not in keys

"""sandbox_create_org prints connection fields, reuses an org, and feeds create_tenant --sandbox."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from dataverse_sandbox.models import Org
from dataverse_sandbox.schema import tables_for
from handoffs.models import DynamicsConnection

FIELDS = {
    "azure_tenant_id",
    "client_id",
    "client_secret",
    "secret_expires_on",
    "environment_url",
    "authority_host",
    "default_queue_id",
}


def create_org(*args: str) -> dict:
    out = io.StringIO()
    call_command("sandbox_create_org", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_exactly_the_connection_fields(db):
    fields = create_org("northwind", "--base-url", "http://127.0.0.1:8123/")

    assert set(fields) == FIELDS
    assert fields["environment_url"] == "http://127.0.0.1:8123/sandbox/northwind"
    assert fields["authority_host"] == "http://127.0.0.1:8123/sandbox/northwind/login"
    assert {f.name for f in DynamicsConnection._meta.fields} >= FIELDS


def test_it_reuses_the_org_when_run_again(db):
    assert create_org("northwind") == create_org("northwind")


def test_it_connects_a_new_tenant_with_create_tenant_sandbox(db):
    out = io.StringIO()
    call_command("create_tenant", "tailspin", "--sandbox", stdout=out)

    connection = DynamicsConnection.objects.get(tenant__slug="tailspin")
    assert connection.environment_url.endswith("/sandbox/tailspin")
    assert connection.client_secret and connection.default_queue_id


def test_it_customises_the_org_from_options(db):
    create_org(
        "fabrikam",
        "--column-max-length",
        "incident.description=4000",
        "--change-tracking-off",
        "incident",
    )

    org = Org.objects.get(slug="fabrikam")
    incident = tables_for(org)["incident"]
    assert incident.columns["description"].max_length == 4000
    assert incident.change_tracking is False


def test_it_explains_a_malformed_customisation(db):
    with pytest.raises(CommandError, match="TABLE.COLUMN=N"):
        create_org("fabrikam", "--column-max-length", "description:4000")

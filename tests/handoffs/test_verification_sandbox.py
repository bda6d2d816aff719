"""The checklist against the Dataverse sandbox over real HTTP: each classic mistake, then a pass."""

from __future__ import annotations

import pytest

from dataverse_sandbox import provisioning
from handoffs.models import DynamicsConnection
from handoffs.tenancy import tenants
from handoffs.tenancy.connections import verify_and_save

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def org():
    return provisioning.create_org("fabrikam")


@pytest.fixture
def acme():
    return tenants.create_tenant("acme", "Acme")


def lines(checklist) -> dict:
    return {c.key: c for c in checklist.checks}


def fields_for(org, live_server, **changes) -> dict:
    fields = provisioning.connection_fields(org, live_server.url)
    fields.pop("default_queue_id")
    return {**fields, **changes}


def test_it_passes_and_saves_a_correct_sandbox_connection(live_server, org, acme):
    checklist, saved = verify_and_save(acme, fields_for(org, live_server))

    assert saved, [c for c in checklist.checks if c.status == "fail"]
    assert lines(checklist)["privileges_cases"].status == "pass"
    assert lines(checklist)["omnichannel"].status == "pass"
    assert DynamicsConnection.objects.get(tenant=acme).verified_at is not None


def test_it_explains_a_wrong_secret_and_saves_nothing(live_server, org, acme):
    checklist, saved = verify_and_save(acme, fields_for(org, live_server, client_secret="nope"))

    assert not saved
    assert lines(checklist)["token"].anchor == "entra_invalid_secret"
    assert not DynamicsConnection.objects.exists()


def test_it_names_the_privilege_a_role_lacks(live_server, org, acme):
    role = provisioning.role_without(org, "No cases", ["prvCreateIncident"])
    app = provisioning.add_app(org, "Narrow app", role=role)
    fields = provisioning.connection_fields(org, live_server.url, app)
    fields.pop("default_queue_id")

    checklist, saved = verify_and_save(acme, fields)

    assert not saved
    cases = lines(checklist)["privileges_cases"]
    assert cases.status == "fail"
    assert "prvCreateIncident" in cases.detail


def test_it_reports_an_app_without_an_application_user(live_server, org, acme):
    app = provisioning.add_app(org, "Unmapped app", application_user=False)
    fields = provisioning.connection_fields(org, live_server.url, app)
    fields.pop("default_queue_id")

    checklist, _ = verify_and_save(acme, fields)

    assert lines(checklist)["application_user"].anchor == "dataverse_no_application_user"


def test_it_warns_for_an_org_without_omnichannel(live_server, acme):
    org = provisioning.create_org("no-omni", omnichannel=False)

    checklist, saved = verify_and_save(acme, fields_for(org, live_server))

    assert saved
    assert lines(checklist)["omnichannel"].status == "warn"


def test_it_checks_ticket_properties_against_the_sandbox_metadata(live_server, org, acme):
    verify_and_save(acme, fields_for(org, live_server))
    DynamicsConnection.objects.filter(tenant=acme).update(
        ticket_properties={"new_region": 5, "casetypecode": 2}, default_priority=2
    )

    checklist, _ = verify_and_save(acme, {})

    fields = lines(checklist)["ticket_properties"]
    assert fields.status == "fail"
    assert "new_region: 5 is not an option of new_region" in fields.detail
    assert "casetypecode" not in fields.detail

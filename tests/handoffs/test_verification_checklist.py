"""The checklist reports each part of the setup as pass / warn / fail with its fix and section."""

from __future__ import annotations

from datetime import timedelta

import pytest
import responses
from django.utils import timezone

from handoffs.verification.runner import verify_connection
from tests.handoffs.dynamics.fakes import (
    dataverse_error,
    entra_error,
)
from tests.handoffs.org_answers import ALL_PRIVILEGES, serve_healthy_org, serve_incident_metadata


def statuses(checklist) -> dict[str, str]:
    return {c.key: c.status for c in checklist.checks}


def line(checklist, key: str):
    return next(c for c in checklist.checks if c.key == key)


def test_it_passes_every_line_for_a_well_set_up_org(connection, dynamics):
    serve_healthy_org(dynamics)

    checklist = verify_connection(connection)

    assert checklist.all_pass, [c for c in checklist.checks if c.status != "pass"]
    connection.refresh_from_db()
    assert connection.verified_at is not None
    assert connection.last_verification["ok"] is True


@pytest.mark.parametrize(
    ("error", "number", "code", "words"),
    [
        ("invalid_request", 90002, "entra_tenant_not_found", "Directory (tenant) ID"),
        ("unauthorized_client", 700016, "entra_app_not_found", "Application (client) ID"),
        ("invalid_client", 7000215, "entra_invalid_secret", "not its Secret ID"),
        ("invalid_client", 7000222, "entra_secret_expired", "new client secret"),
        ("invalid_resource", 500011, "entra_environment_not_found", "environment URL"),
    ],
)
def test_it_explains_each_token_refusal_and_skips_the_rest(
    connection, dynamics, error, number, code, words
):
    dynamics.refuse_token(entra_error(error, number, "refused"), status=400)

    checklist = verify_connection(connection)

    token = line(checklist, "token")
    assert token.status == "fail"
    assert f"AADSTS{number}" in token.detail
    assert words in token.fix
    assert token.docs == f"docs/troubleshooting.md#{code}"
    assert statuses(checklist)["privileges"] == "skip"
    connection.refresh_from_db()
    assert connection.verified_at is None
    assert connection.last_verification["ok"] is False


def test_it_fails_the_application_user_line_when_the_app_is_not_a_member(connection, dynamics):
    dynamics.add(
        "GET",
        "WhoAmI",
        status=403,
        body=dataverse_error("0x80072560", "The user is not a member of the organization."),
    )

    checklist = verify_connection(connection)

    user = line(checklist, "application_user")
    assert user.status == "fail"
    assert "Application users" in user.fix
    assert user.anchor == "dataverse_no_application_user"


def test_it_names_each_missing_privilege_and_what_it_is_for(connection, dynamics):
    serve_healthy_org(
        dynamics, privileges=[p for p in ALL_PRIVILEGES if p not in ("prvCreateIncident",)]
    )

    checklist = verify_connection(connection)

    cases = line(checklist, "privileges_cases")
    assert cases.status == "fail"
    assert "prvCreateIncident (Create on Case)" in cases.detail
    assert cases.docs == "docs/troubleshooting.md#checklist-privileges"
    assert line(checklist, "privileges_contacts").status == "pass"
    assert not checklist.ok


def test_it_warns_when_contacts_can_be_read_only_in_part_of_the_org(connection, dynamics):
    serve_healthy_org(dynamics)
    dynamics.mock.replace(
        responses.GET,
        dynamics.api(
            f"systemusers({'aaaaaaaa-0000-0000-0000-000000000001'})"
            "/Microsoft.Dynamics.CRM.RetrieveUserPrivileges"
        ),
        json={"RolePrivileges": [{"PrivilegeName": p, "Depth": "Basic"} for p in ALL_PRIVILEGES]},
    )

    checklist = verify_connection(connection)

    assert line(checklist, "privileges_contacts").status == "warn"
    assert checklist.ok


def test_it_warns_without_omnichannel_and_offers_cases_for_chats(connection, dynamics):
    serve_healthy_org(dynamics)
    dynamics.mock.replace(
        responses.GET,
        dynamics.api("msdyn_ocliveworkitems"),
        status=404,
        json=dataverse_error(
            "0x80060888", "Resource not found for the segment 'msdyn_ocliveworkitems'."
        ),
    )

    checklist = verify_connection(connection)

    omnichannel = line(checklist, "omnichannel")
    assert omnichannel.status == "warn"
    assert "'Chats become' to Case" in omnichannel.fix


def test_it_fails_a_default_queue_that_does_not_exist(connection, dynamics):
    connection.default_queue_id = "0c0c0c0c-0000-0000-0000-000000000000"
    connection.save()
    serve_healthy_org(dynamics)
    dynamics.add(
        "GET",
        "queues(0c0c0c0c-0000-0000-0000-000000000000)",
        status=404,
        body=dataverse_error("0x80040217", "queue With Id = 0c0c… Does Not Exist"),
    )

    checklist = verify_connection(connection)

    defaults = line(checklist, "default_records")
    assert defaults.status == "fail"
    assert "Default queue: no record 0c0c0c0c-0000-0000-0000-000000000000" in defaults.detail


def test_it_fails_ticket_properties_the_org_would_refuse(connection, dynamics):
    connection.ticket_properties = {"casetypecode": 9, "new_productcode": "X1"}
    connection.save()
    serve_healthy_org(dynamics)
    serve_incident_metadata(dynamics)

    checklist = verify_connection(connection)

    fields = line(checklist, "ticket_properties")
    assert fields.status == "fail"
    assert "casetypecode: 9 is not an option of casetypecode" in fields.detail
    assert "new_productcode" not in fields.detail


def test_it_warns_when_the_secret_expires_within_30_days(connection, dynamics):
    connection.secret_expires_on = timezone.localdate() + timedelta(days=12)
    connection.save()
    serve_healthy_org(dynamics)

    checklist = verify_connection(connection)

    expiry = line(checklist, "secret_expiry")
    assert expiry.status == "warn"
    assert "(12 days)" in expiry.detail


def test_it_asks_for_read_privileges_when_a_default_record_cannot_be_read(connection, dynamics):
    connection.default_queue_id = "0c0c0c0c-0000-0000-0000-000000000000"
    connection.save()
    serve_healthy_org(dynamics)
    dynamics.add(
        "GET",
        "queues(0c0c0c0c-0000-0000-0000-000000000000)",
        status=403,
        body=dataverse_error(
            "0x80040220",
            "Principal user (Id=u, type=8) is missing prvReadQueue privilege on OTC=2020 "
            "for entity 'queue'.",
        ),
    )

    checklist = verify_connection(connection)

    defaults = line(checklist, "default_records")
    assert defaults.status == "fail"
    assert "prvReadQueue" in defaults.detail
    assert "Read (Organization level)" in defaults.fix
    assert defaults.anchor == "checklist-privileges"

"""With case updates on, the checklist also checks change tracking and the privileges it takes."""

from __future__ import annotations

import pytest
import responses

from handoffs.verification.runner import verify_connection
from tests.handoffs.org_answers import INCIDENT, USER_ID, serve_healthy_org

ALL = [
    "prvReadContact", "prvCreateContact", "prvAppendToContact", "prvCreateIncident",
    "prvReadIncident", "prvAppendIncident", "prvAppendToIncident", "prvCreateNote",
    "prvAppendNote", "prvCreatemsdyn_ocliveworkitem", "prvReadmsdyn_ocliveworkitem",
    "prvAppendmsdyn_ocliveworkitem", "prvAppendTomsdyn_ocliveworkitem", "prvReadActivity",
]  # fmt: skip


def line(checklist, key: str):
    return next((c for c in checklist.checks if c.key == key), None)


@pytest.fixture
def with_updates(connection):
    connection.tenant.callback_url = "https://opencx.example.com/hooks/dynamics"
    connection.tenant.save()
    return connection


def serve(dynamics, *, tracking: bool = True, privileges: list[str] = ALL) -> None:
    serve_healthy_org(dynamics, privileges=privileges)
    dynamics.add("GET", INCIDENT, body={"ChangeTrackingEnabled": tracking, "MetadataId": "m"})


def test_it_passes_when_change_tracking_is_on_and_the_privileges_are_held(with_updates, dynamics):
    serve(dynamics)

    checklist = verify_connection(with_updates)

    assert line(checklist, "change_tracking").status == "pass"
    assert line(checklist, "privileges_case_updates").status == "pass"


def test_it_fails_when_change_tracking_is_off_for_cases(with_updates, dynamics):
    serve(dynamics, tracking=False)

    checklist = verify_connection(with_updates)

    tracking = line(checklist, "change_tracking")
    assert tracking.status == "fail"
    assert "Tables → Case → Properties → Advanced options, turn on Track changes" in tracking.fix
    assert tracking.docs == "docs/troubleshooting.md#checklist-change-tracking"


def test_it_names_the_activity_privilege_a_case_resolution_needs(with_updates, dynamics):
    serve(dynamics, privileges=[p for p in ALL if p != "prvReadActivity"])

    checklist = verify_connection(with_updates)

    privileges = line(checklist, "privileges_case_updates")
    assert privileges.status == "fail"
    assert "prvReadActivity (Read on Activity: the case resolution a rep writes)" in (
        privileges.detail
    )


def test_it_fails_when_cases_can_be_read_only_in_part_of_the_org(with_updates, dynamics):
    serve(dynamics)
    dynamics.mock.replace(
        responses.GET,
        dynamics.api(f"systemusers({USER_ID})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges"),
        json={"RolePrivileges": [{"PrivilegeName": p, "Depth": "Local"} for p in ALL]},
    )

    checklist = verify_connection(with_updates)

    privileges = line(checklist, "privileges_case_updates")
    assert privileges.status == "fail"
    assert "prvReadIncident is limited to part of the organisation" in privileges.detail


def test_it_leaves_the_lines_out_when_case_updates_are_off(with_updates, dynamics):
    with_updates.tenant.case_updates_enabled = False
    with_updates.tenant.save()
    serve(dynamics, tracking=False)

    checklist = verify_connection(with_updates)

    assert line(checklist, "change_tracking") is None
    assert line(checklist, "privileges_case_updates") is None
    assert checklist.all_pass

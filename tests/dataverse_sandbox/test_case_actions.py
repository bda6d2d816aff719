"""A rep resolves (CloseIncident), cancels or assigns a case; Dataverse's refusals when not."""

from __future__ import annotations

import pytest

from dataverse_sandbox import cases, provisioning
from dataverse_sandbox.errors import ApiError
from dataverse_sandbox.models import Record
from tests.dataverse_sandbox.case_helpers import new_case


def resolutions(case: Record) -> list[Record]:
    return [
        r
        for r in provisioning.rows(case.org, "incidentresolution")
        if r.data["incidentid"]["id"] == str(case.record_id)
    ]


def test_it_closes_a_case_with_a_completed_resolution_through_the_web_api(dataverse):
    case = new_case(dataverse)

    response = dataverse.post(
        "CloseIncident",
        {
            "IncidentResolution": {
                "@odata.type": "Microsoft.Dynamics.CRM.incidentresolution",
                "subject": "Refund issued",
                "description": "Second charge reversed",
                "incidentid@odata.bind": f"/incidents({case.record_id})",
            },
            "Status": 1000,
        },
    )

    case.refresh_from_db()
    assert response.status_code == 204
    assert (case.data["statecode"], case.data["statuscode"]) == (1, 1000)
    [resolution] = resolutions(case)
    assert resolution.data["subject"] == "Refund issued"
    assert resolution.data["description"] == "Second charge reversed"
    assert (resolution.data["statecode"], resolution.data["statuscode"]) == (1, 2)


def test_it_refuses_to_resolve_a_case_twice(dataverse):
    case = new_case(dataverse)
    rep = cases.rep_caller(dataverse.org)
    cases.resolve(rep, case, "Done")

    with pytest.raises(ApiError) as refused:
        cases.resolve(rep, case, "Done again")

    assert refused.value.code == "0x800404cf"
    assert "already been resolved" in refused.value.message
    assert len(resolutions(case)) == 1


def test_it_refuses_a_status_reason_of_another_state(dataverse):
    case = new_case(dataverse)

    with pytest.raises(ApiError) as refused:
        cases.resolve(cases.rep_caller(dataverse.org), case, "Done", status=6)

    assert "5 (Problem Solved), 1000 (Information Provided)" in refused.value.message


def test_it_cancels_and_assigns_active_cases_only(dataverse):
    rep = cases.rep_caller(dataverse.org)
    cancelled, assigned = new_case(dataverse, "A - Cancel"), new_case(dataverse, "B - Assign")
    blake = provisioning.add_user(dataverse.org, "Blake", "Berg", "blake@sandbox.example")

    cases.cancel(rep, cancelled)
    cases.assign(rep, assigned, cases.find_user(dataverse.org, "BLAKE BERG"))

    cancelled.refresh_from_db()
    assigned.refresh_from_db()
    assert (cancelled.data["statecode"], cancelled.data["statuscode"]) == (2, 6)
    assert assigned.data["ownerid"] == {"id": str(blake.record_id), "entity": "systemuser"}
    with pytest.raises(
        ApiError, match="Only an active case can be assigned; this one is Cancelled"
    ):
        cases.assign(rep, cancelled, blake)

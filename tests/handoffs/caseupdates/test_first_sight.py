"""A case seen for the first time is reported only when a rep already changed it."""

from __future__ import annotations

import pytest

from handoffs.caseupdates.poll import created_as
from handoffs.caseupdates.snapshot import AsCreated, case_row, changed_since_created
from tests.handoffs.caseupdates.conftest import APP_USER, AVERY, case, resolved

INCIDENT = "3f0c9d7e-5b1a-4c55-9e0b-8f3d2a6c1b44"


@pytest.mark.parametrize(
    ("row", "created", "changed"),
    [
        (case(INCIDENT), AsCreated(), False),
        (case(INCIDENT, owner=(AVERY, "Avery Agent")), AsCreated(owner_id=AVERY), False),
        (case(INCIDENT, owner=(AVERY, "Avery Agent")), AsCreated(), True),
        (case(INCIDENT, status=2, reason="On Hold"), AsCreated(), True),
        (case(INCIDENT, status=3, reason="Waiting"), AsCreated(status_code=3), False),
        (resolved(INCIDENT), AsCreated(), True),
    ],
)
def test_it_tells_a_rep_s_change_from_the_case_as_the_handoff_made_it(row, created, changed):
    assert changed_since_created(case_row(row), created) is changed


def test_it_takes_the_default_owner_and_a_status_ticket_property_from_the_connection(connection):
    connection.default_owner_id = AVERY
    connection.ticket_properties = {"statuscode": 3, "casetypecode": 2}

    assert created_as(connection) == AsCreated(status_code=3, owner_id=AVERY)


def test_it_skips_rows_in_a_state_opencx_does_not_know():
    assert case_row({**case(INCIDENT), "statecode": 7}) is None
    assert case_row(case(INCIDENT)).created_by == APP_USER

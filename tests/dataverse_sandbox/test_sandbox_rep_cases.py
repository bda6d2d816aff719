"""manage.py sandbox_rep --resolve/--cancel/--assign: a rep changes a case by its number."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from dataverse_sandbox import provisioning
from tests.dataverse_sandbox.case_helpers import new_case


def rep(*args: str) -> str:
    out = io.StringIO()
    call_command("sandbox_rep", "contoso", *args, stdout=out)
    return out.getvalue()


def test_it_resolves_a_case_by_its_number_with_the_resolution_given(dataverse):
    case = new_case(dataverse)
    number = case.data["ticketnumber"]

    printed = rep("--resolve", number.lower(), "--resolution", "Refund issued")

    case.refresh_from_db()
    assert f"resolved: case {number} is now Resolved (Problem Solved)" in printed
    [resolution] = provisioning.rows(dataverse.org, "incidentresolution")
    assert resolution.data["subject"] == "Refund issued"


def test_it_cancels_and_assigns(dataverse):
    first, second = new_case(dataverse, "A - One"), new_case(dataverse, "B - Two")

    cancelled = rep("--cancel", first.data["ticketnumber"])
    assigned = rep("--assign", second.data["ticketnumber"], "avery.agent@sandbox.example")

    assert "is now Cancelled (Cancelled)" in cancelled
    second.refresh_from_db()
    assert "assigned: case" in assigned
    assert second.data["ownerid"]["id"] != first.data["ownerid"]["id"]


def test_it_says_what_is_wrong_with_an_unknown_case_or_user(dataverse):
    case = new_case(dataverse)

    with pytest.raises(CommandError, match="No case with the case number 'CAS-99999-NOPE'"):
        rep("--resolve", "CAS-99999-NOPE")
    with pytest.raises(CommandError, match="No user 'Nobody' in this org \\(users: Avery Agent\\)"):
        rep("--assign", case.data["ticketnumber"], "Nobody")


def test_it_refuses_resolving_a_resolved_case(dataverse):
    number = new_case(dataverse).data["ticketnumber"]
    rep("--resolve", number)

    with pytest.raises(CommandError, match=f"Cannot resolve case {number}: This case has already"):
        rep("--resolve", number)

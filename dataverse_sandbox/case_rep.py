"""`sandbox_rep --resolve/--cancel/--assign`: what a rep does to a case, from the shell.

TICKET_NUMBER is the case number (CAS-…) the product shows on its session page.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dataverse_sandbox import cases
from dataverse_sandbox.errors import ApiError
from dataverse_sandbox.models import Org, Record

DEFAULT_RESOLUTION = "Resolved by the rep"


def _case(org: Org, ticket_number: str) -> Record:
    try:
        return cases.find_case(org, ticket_number)
    except ApiError as exc:
        raise CommandError(exc.message) from None


def _state(case: Record) -> str:
    case.refresh_from_db()
    state = cases.STATE.get(case.data.get("statecode"), "?")
    reason = cases.STATUS.get(case.data.get("statuscode"), "?")
    return f"{state} ({reason})"


DONE = {"resolve": "resolved", "cancel": "cancelled", "assign": "assigned"}


def _doing(verb: str, action, command: BaseCommand, case: Record) -> None:
    number = case.data.get("ticketnumber")
    try:
        action()
    except ApiError as exc:
        raise CommandError(f"Cannot {verb} case {number}: {exc.message}") from None
    command.stdout.write(f"{DONE[verb]}: case {number} is now {_state(case)}")


def resolve(command: BaseCommand, org: Org, values: list[str], options: dict) -> None:
    """--resolve TICKET_NUMBER [--resolution TEXT]: CloseIncident with the text as resolution."""
    case = _case(org, values[0])
    text = options.get("resolution") or DEFAULT_RESOLUTION
    _doing("resolve", lambda: cases.resolve(cases.rep_caller(org), case, text), command, case)


def cancel(command: BaseCommand, org: Org, values: list[str], options: dict) -> None:
    """--cancel TICKET_NUMBER."""
    case = _case(org, values[0])
    _doing("cancel", lambda: cases.cancel(cases.rep_caller(org), case), command, case)


def assign(command: BaseCommand, org: Org, values: list[str], options: dict) -> None:
    """--assign TICKET_NUMBER USER (full name or email of a person user)."""
    case = _case(org, values[0])
    try:
        user = cases.find_user(org, values[1])
    except ApiError as exc:
        raise CommandError(exc.message) from None
    _doing("assign", lambda: cases.assign(cases.rep_caller(org), case, user), command, case)

"""What a rep does to a case: resolve it (CloseIncident), cancel it, or assign it to someone.

Resolving follows the CloseIncident action: a completed case resolution activity
(incidentresolution) holds the text the rep typed in the Resolve dialog's "Resolution" box (its
`subject`; "Remarks" is its `description`), and the case turns Resolved with the status reason
given ("Resolution Type").
Reference: https://learn.microsoft.com/en-us/previous-versions/dynamicscrm-2016/developers-guide/mt607498(v=crm.8)
Reference: https://learn.microsoft.com/en-us/dynamics365/customer-service/use/customer-service-hub-user-guide-resolve-cancel-reassign-a-case
The same functions serve the Web API action, the record page and `manage.py sandbox_rep`.
"""

from __future__ import annotations

import json

from django.db import transaction

from dataverse_sandbox import store
from dataverse_sandbox.errors import ApiError, bad_request, not_found
from dataverse_sandbox.facts.incident import DEFAULT_STATUS, STATE, STATUS, STATUS_STATE
from dataverse_sandbox.models import Org, Record
from dataverse_sandbox.schema import tables_for
from dataverse_sandbox.security import Caller, all_privileges
from dataverse_sandbox.validation import parse_binding

__all__ = ["STATE", "STATUS", "assign", "cancel", "close_incident", "resolve"]

ACTIVE, RESOLVED, CANCELLED = 0, 1, 2
RESOLUTION_COMPLETED, RESOLUTION_CLOSED = 1, 2  # incidentresolution statecode / statuscode


def statuses_of(state: int) -> dict[int, str]:
    """The status reasons (value → label) a case can have in `state`."""
    return {value: STATUS[value] for value, owner in STATUS_STATE.items() if owner == state}


def people(org: Org) -> list[Record]:
    """The org's person users (not application users), who can own cases."""
    users = Record.objects.filter(org=org, entity="systemuser").order_by("created_at", "id")
    return [u for u in users if not u.data.get("applicationid")]


def rep_caller(org: Org, user: Record | None = None) -> Caller:
    """A rep signed in to the org (the first person user unless given): may do anything."""
    user = user or next(iter(people(org)), None)
    if user is None:
        raise bad_request("The org has no person user to act as: add one first.", "0x80040203")
    return Caller(org, None, str(user.record_id), frozenset(all_privileges()), 1)


def find_case(org: Org, ticket_number: str) -> Record:
    """The case with this case number (any letter case), or ApiError 404."""
    wanted = ticket_number.strip()
    cases = Record.objects.filter(org=org, entity="incident", data__ticketnumber__iexact=wanted)
    for case in cases.order_by("created_at", "id"):
        return case
    raise ApiError(404, "0x80040217", f"No case with the case number '{wanted}' in this org.")


def find_user(org: Org, text: str) -> Record:
    """A person user by full name or email (any letter case), or ApiError 404."""
    wanted = text.strip().casefold()
    for user in people(org):
        names = (user.data.get("fullname"), user.data.get("internalemailaddress"))
        if wanted in (str(n or "").casefold() for n in names):
            return user
    known = ", ".join(str(u.data.get("fullname")) for u in people(org))
    raise ApiError(404, "0x80040217", f"No user '{text}' in this org (users: {known}).")


def _lock(caller: Caller, case: Record) -> Record:
    # The org's row first, in the order every write takes it (Record.save), then a fresh case.
    Org.objects.select_for_update().filter(pk=caller.org.pk).first()
    case.refresh_from_db()
    return case


def _require_active(case: Record, done: str) -> None:
    state = case.data.get("statecode", ACTIVE)
    if state == RESOLVED and done == "resolved":
        # CaseAlreadyResolved, code and message from the error catalogue (status inferred).
        # Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/web-service-error-codes
        raise ApiError(
            400,
            "0x800404cf",
            "This case has already been resolved. Close and reopen the case record to see the "
            "updates.",
        )
    if state != ACTIVE:
        # Inferred wording: a resolved or cancelled case is read-only until reactivated.
        raise bad_request(
            f"Only an active case can be {done}; this one is {STATE.get(state, state)}.",
            "0x80040203",
        )


def resolve(
    caller: Caller, case: Record, resolution: str, *, status: int = 0, remarks: str = ""
) -> Record:
    """CloseIncident: add the completed resolution, then mark the case Resolved."""
    status = status or DEFAULT_STATUS[RESOLVED]
    if status not in statuses_of(RESOLVED):
        choices = ", ".join(f"{v} ({label})" for v, label in statuses_of(RESOLVED).items())
        raise bad_request(
            f"{status} is not a status reason of a resolved case: use {choices}.", "0x80040203"
        )
    if not resolution.strip():
        raise bad_request("A case resolution needs its Resolution text (subject).", "0x80040203")
    tables = tables_for(caller.org)
    with transaction.atomic():
        case = _lock(caller, case)
        _require_active(case, "resolved")
        body = {
            "subject": resolution.strip(),
            "statecode": RESOLUTION_COMPLETED,
            "statuscode": RESOLUTION_CLOSED,
            "incidentid@odata.bind": f"/incidents({case.record_id})",
        }
        if remarks.strip():
            body["description"] = remarks.strip()
        done = store.create(caller, tables["incidentresolution"], body)
        closed = {"statecode": RESOLVED, "statuscode": status}
        store.update(caller, tables["incident"], case, closed)
    return done


def cancel(caller: Caller, case: Record, *, status: int = 0) -> Record:
    """Cancel an active case (status reason Cancelled unless another cancelled one is given)."""
    status = status or DEFAULT_STATUS[CANCELLED]
    if status not in statuses_of(CANCELLED):
        raise bad_request(f"{status} is not a status reason of a cancelled case.", "0x80040203")
    with transaction.atomic():
        case = _lock(caller, case)
        _require_active(case, "cancelled")
        body = {"statecode": CANCELLED, "statuscode": status}
        return store.update(caller, tables_for(caller.org)["incident"], case, body)


def assign(caller: Caller, case: Record, user: Record) -> Record:
    """Make `user` the owner of an active case."""
    with transaction.atomic():
        case = _lock(caller, case)
        _require_active(case, "assigned")
        body = {"ownerid@odata.bind": f"/systemusers({user.record_id})"}
        return store.update(caller, tables_for(caller.org)["incident"], case, body)


def close_incident(caller: Caller, raw_body: bytes) -> None:
    """The Web API's CloseIncident action: {"IncidentResolution": {...}, "Status": n}."""
    try:
        body = json.loads(raw_body or b"{}")
    except ValueError:
        raise bad_request("The request body is not valid JSON.", "0x80048d19") from None
    resolution = body.get("IncidentResolution") if isinstance(body, dict) else None
    if not isinstance(resolution, dict):
        raise bad_request("CloseIncident needs an 'IncidentResolution' object.", "0x80040203")
    table = tables_for(caller.org)["incidentresolution"]
    binding = parse_binding(table, "incidentid", resolution.get("incidentid@odata.bind"))
    case = store.find(caller.org, tables_for(caller.org)["incident"], binding.target_id)
    if case is None:
        raise not_found("incident", binding.target_id)
    status = body.get("Status")
    if not isinstance(status, int) or isinstance(status, bool):
        raise bad_request("CloseIncident needs 'Status': the case's new status reason.")
    resolve(
        caller,
        case,
        str(resolution.get("subject") or ""),
        status=status,
        remarks=str(resolution.get("description") or ""),
    )

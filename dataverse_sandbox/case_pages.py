"""A case's record page as a rep uses it: Resolve, Cancel, Assign, and its resolutions.

Plain forms (POST, CSRF-protected) that redirect back to the record, like the rep workspace.
The rep is the org's first person user (Avery Agent in a new org).
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from dataverse_sandbox import cases
from dataverse_sandbox.errors import ApiError
from dataverse_sandbox.models import Org, Record
from dataverse_sandbox.pages import record_url


def panel(org: Org, case: Record) -> dict:
    """What the record page needs to offer a rep's actions on `case`."""
    resolutions = Record.objects.filter(
        org=org, entity="incidentresolution", data__incidentid__id=str(case.record_id)
    ).order_by("-created_at", "-id")
    return {
        "active": case.data.get("statecode", cases.ACTIVE) == cases.ACTIVE,
        "resolution_types": cases.statuses_of(cases.RESOLVED),
        "people": [
            (str(u.record_id), u.data.get("fullname") or u.data.get("internalemailaddress"))
            for u in cases.people(org)
        ],
        "resolutions": list(resolutions),
    }


def _run(request: HttpRequest, org: Org, case: Record, action: str) -> str:
    caller = cases.rep_caller(org)
    if action == "resolve":
        status = request.POST.get("status", "")
        cases.resolve(
            caller,
            case,
            request.POST.get("resolution", ""),
            status=int(status) if status.isdigit() else 0,
            remarks=request.POST.get("remarks", ""),
        )
        return "Case resolved."
    if action == "cancel":
        cases.cancel(caller, case)
        return "Case cancelled."
    if action == "assign":
        user = get_object_or_404(
            Record, org=org, entity="systemuser", record_id=request.POST.get("user") or None
        )
        cases.assign(caller, case, user)
        return f"Case assigned to {user.data.get('fullname')}."
    raise Http404(f"No case action {action!r}.")


@require_POST
def act(request: HttpRequest, org: str, record: object, action: str) -> HttpResponse:
    """resolve, cancel or assign; back to the case with what happened (or what went wrong)."""
    sandbox_org = get_object_or_404(Org, slug=org)
    case = get_object_or_404(Record, org=sandbox_org, entity="incident", record_id=record)
    try:
        flash.success(request, _run(request, sandbox_org, case, action))
    except ApiError as exc:
        flash.error(request, exc.message)
    return redirect(record_url(sandbox_org, "incident", case.record_id))

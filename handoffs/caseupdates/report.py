"""Applying what a poll saw to a session: store it, audit it, and tell OpenCX once.

Each case is decided again under its session's row lock, so two polls of the same change (a
retried task, a full sync after an expired token) report it once.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from handoffs.caseupdates import snapshot
from handoffs.caseupdates.snapshot import REPORT, AsCreated, CaseRow, CaseView
from handoffs.lifecycle import outbox
from handoffs.models import HandoffEvent, HandoffSession

EVENT = "case.updated"


def _store(session: HandoffSession, view: CaseView) -> None:
    session.case_state = view.state
    session.case_status_reason = view.status_reason
    session.case_owner = view.owner
    session.case_resolution = view.resolution
    session.case_updated_at = timezone.now()
    fields = ["case_state", "case_status_reason", "case_owner", "case_resolution"]
    session.save(update_fields=[*fields, "case_updated_at", "updated_at"])


def _detail(view: CaseView, **extra: str) -> dict:
    shown = {
        "state": view.state,
        "status_reason": view.status_reason,
        "owner": view.owner,
        "resolution": view.resolution,
    }
    return {k: v for k, v in {**shown, **extra}.items() if v}


def _announce(session: HandoffSession, view: CaseView, occurred_at: datetime) -> None:
    event_id = uuid.uuid4()
    body = snapshot.body(session, view, event_id=str(event_id), occurred_at=occurred_at)
    outbox.record(session, EVENT, body, event_id=event_id)
    HandoffEvent.objects.create(
        session=session,
        kind=HandoffEvent.Kind.CASE_UPDATED,
        detail=_detail(view, event_id=str(event_id)),
    )


def apply(session_pk: int, row: CaseRow, resolution: str, created: AsCreated) -> bool:
    """Store the case as seen; report it when it changed. True when OpenCX was told."""
    with transaction.atomic():
        session = (
            HandoffSession.objects.select_for_update(of=("self",))
            .select_related("tenant")
            .filter(pk=session_pk)
            .first()
        )
        if session is None:
            return False
        seen = row.view(resolution)
        finished = session.completed_at or session.received_at
        decided = snapshot.verdict(
            CaseView.stored(session),
            seen,
            first_sight_changed=snapshot.changed_since_created(row, created),
            before_updates=finished < session.tenant.case_updates_since,
        )
        if decided == snapshot.NOTHING:
            return False
        _store(session, seen)
        if decided == REPORT:
            _announce(session, seen, row.modified_on or timezone.now())
        return decided == REPORT


def removed(session_pk: int) -> None:
    """The case was deleted in Dynamics: note it on the session (OpenCX has no such state)."""
    with transaction.atomic():
        session = HandoffSession.objects.select_for_update().filter(pk=session_pk).first()
        if session is None or session.case_state == snapshot.DELETED:
            return
        _store(session, CaseView(snapshot.DELETED, "", "", ""))
        HandoffEvent.objects.create(
            session=session,
            kind=HandoffEvent.Kind.CASE_UPDATED,
            detail={"state": snapshot.DELETED, "reported": "no: OpenCX has no deleted state"},
        )

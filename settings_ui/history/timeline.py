"""The audit timeline of one session, one readable row per event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handoffs.models import HandoffEvent, HandoffSession
from settings_ui.history.explain import explain
from settings_ui.history.formatting import human_duration

# Detail keys shown in their own columns; anything else is listed under "Details".
COLUMN_KEYS = {"method", "path", "status", "http_status", "duration_ms", "code", "error_code"}


@dataclass
class TimelineRow:
    at: datetime
    kind: str
    label: str
    call: str
    status: str
    duration: str
    code: str
    meaning: str
    other: list[tuple[str, str]]


def row_for(event: HandoffEvent) -> TimelineRow:
    """Turn an event's JSON detail into the columns of the timeline."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    code = str(detail.get("code") or detail.get("error_code") or "")
    status = detail.get("status", detail.get("http_status"))
    duration_ms = detail.get("duration_ms")
    call = " ".join(str(detail[k]) for k in ("method", "path") if detail.get(k))
    return TimelineRow(
        at=event.created_at,
        kind=event.kind,
        label=event.get_kind_display(),
        call=call,
        status="" if status is None else str(status),
        duration=human_duration(duration_ms / 1000) if isinstance(duration_ms, int | float) else "",
        code=code,
        # The fix belongs to the session's outcome (shown above the timeline), not each call.
        meaning=explain(code, str(detail.get("message") or "")).message if code else "",
        other=[
            (key, str(value))
            for key, value in detail.items()
            if key not in COLUMN_KEYS
            and not (key == "message" and code)  # already explained in "meaning"
            and value not in (None, "")
        ],
    )


def timeline(session: HandoffSession) -> list[TimelineRow]:
    """Every event of the session, oldest first."""
    return [row_for(event) for event in session.events.order_by("created_at", "id")]

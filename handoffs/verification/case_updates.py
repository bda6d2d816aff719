"""The checklist line for case updates: change tracking must be on for cases.

Only when the tenant sends case updates (Settings → Webhook); the privileges it needs are on
the privileges lines.
"""

from __future__ import annotations

from typing import Any

from handoffs.dynamics import changes
from handoffs.errors import HandoffError
from handoffs.models import DynamicsConnection
from handoffs.verification.checklist import FAIL, PASS, Check, failed

KEY = "change_tracking"
TITLE = "Change tracking on cases (to tell OpenCX when a rep changes a case)"
ANCHOR = "checklist-change-tracking"


def check_change_tracking(client: Any) -> Check:
    """The Case table's "Track changes" (EntityMetadata.ChangeTrackingEnabled) is on."""
    try:
        enabled = changes.tracking_enabled(client, "incident")
    except HandoffError as exc:
        return failed(KEY, TITLE, exc)
    if enabled:
        return Check(KEY, PASS, TITLE, "Track changes is on for cases.")
    return Check(
        KEY,
        FAIL,
        TITLE,
        "Track changes is off for the Case table, so the service cannot see what reps change.",
        "In Power Apps (make.powerapps.com) → your environment → Tables → Case → Properties → "
        "Advanced options, turn on Track changes and save; or turn off 'Send case updates to "
        "OpenCX' under Settings → Webhook.",
        ANCHOR,
    )


def checks(client: Any, connection: DynamicsConnection) -> list[Check]:
    """The case updates lines, when the tenant sends case updates."""
    if not connection.tenant.sends_case_updates:
        return []
    return [check_change_tracking(client)]

"""Queues: put a case in the default queue with the AddToQueue action."""

from __future__ import annotations

from typing import Any

from handoffs.errors import HandoffError

# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/reference/addtoqueue

ALREADY_QUEUED = "0x80040526"  # ActiveQueueItemAlreadyExists: an earlier attempt queued it


def add_to_queue(api: Any, queue_id: str, incident_id: str) -> str | None:
    """Queue the case; return the queue item id, or None when it was already queued."""
    target = {"incidentid": incident_id, "@odata.type": "Microsoft.Dynamics.CRM.incident"}
    try:
        data = api.post(f"queues({queue_id})/Microsoft.Dynamics.CRM.AddToQueue", {"Target": target})
    except HandoffError as error:
        if error.dataverse_code == ALREADY_QUEUED:
            return None
        raise
    return str(data.get("QueueItemId") or "") or None

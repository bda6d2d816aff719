"""Omnichannel conversations (msdyn_ocliveworkitem): create with our own activity id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError

# Reference: https://learn.microsoft.com/en-us/dynamics365/customer-service/develop/reference/entities/msdyn_ocliveworkitem

ENTITY_SET = "msdyn_ocliveworkitems"
SELECT = "activityid"


def _activity_id(data: dict[str, Any]) -> str:
    if not data.get("activityid"):
        raise HandoffError(
            "dataverse_unexpected_response", detail="The conversation came without an id."
        )
    return str(data["activityid"])


def find(api: DataverseApi, activity_id: str) -> str | None:
    """The conversation's id when it exists, else None."""
    try:
        return _activity_id(api.get(f"{ENTITY_SET}({activity_id})", params={"$select": SELECT}))
    except HandoffError as error:
        if error.http_status == 404:
            return None
        raise


def create(api: DataverseApi, body: Mapping[str, Any], select: str = SELECT) -> str:
    """Create the conversation with its note; 412 when its id already exists."""
    data = api.post(
        ENTITY_SET, body, params={"$select": select}, headers={"Prefer": "return=representation"}
    )
    return _activity_id(data)

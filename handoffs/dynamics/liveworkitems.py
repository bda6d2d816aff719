"""Omnichannel conversations (msdyn_ocliveworkitem): create with our own activity id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError

# Reference: https://learn.microsoft.com/en-us/dynamics365/customer-service/develop/reference/entities/msdyn_ocliveworkitem

ENTITY_SET = "msdyn_ocliveworkitems"


def _activity_id(data: dict[str, Any]) -> str:
    if not data.get("activityid"):
        raise HandoffError(
            "dataverse_unexpected_response", detail="The conversation came without an id."
        )
    return str(data["activityid"])


def read(api: DataverseApi, activity_id: str) -> str:
    """Confirm a conversation exists and return its id."""
    return _activity_id(api.get(f"{ENTITY_SET}({activity_id})", params={"$select": "activityid"}))


def create(api: DataverseApi, body: Mapping[str, Any], select: str) -> str:
    """Create the conversation (with its note) once; a 412 means it is already there."""
    try:
        data = api.post(
            ENTITY_SET,
            body,
            params={"$select": select},
            headers={"Prefer": "return=representation"},
        )
    except HandoffError as error:
        if error.code != "dataverse_duplicate_record":
            raise
        return read(api, body["activityid"])
    return _activity_id(data)

"""Contacts: find by email or phone (oldest active first); a new one's id is derived."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError

# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/filter-rows

# Fixed forever: changing it would make new ids for customers that already have a contact.
CONTACT_NAMESPACE = uuid.UUID("5b0f1f4e-3c9a-4f1e-9d0e-0c7d3a1e2b41")


def literal(value: str) -> str:
    """An OData string literal: quotes doubled so O'Brien cannot break the filter."""
    return "'" + value.replace("'", "''") + "'"


def derived_id(tenant_pk: int, key: str) -> uuid.UUID:
    """The same contact id for the same tenant and key, so concurrent creates converge."""
    return uuid.uuid5(CONTACT_NAMESPACE, f"{tenant_pk}:{key}")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _first_id(data: dict[str, Any]) -> str | None:
    rows = data.get("value")
    if not isinstance(rows, list):
        raise HandoffError(
            "dataverse_unexpected_response", detail="A query answered without value."
        )
    if not rows:
        return None
    contact_id = rows[0].get("contactid") if isinstance(rows[0], dict) else None
    if not contact_id:
        raise HandoffError("dataverse_unexpected_response", detail="A contact came without an id.")
    return str(contact_id)


def _query(api: DataverseApi, condition: str) -> str | None:
    params = {
        "$select": "contactid",
        "$filter": f"({condition}) and statecode eq 0",
        # Several matches are possible (reps create contacts too): the oldest one wins, always.
        "$orderby": "createdon asc",
        "$top": "1",
    }
    return _first_id(api.get("contacts", params=params))


def find_by_email(api: DataverseApi, email: str) -> str | None:
    """The oldest active contact with this emailaddress1 (Dataverse compares case-insensitively)."""
    return _query(api, f"emailaddress1 eq {literal(normalise_email(email))}")


def find_by_phone(api: DataverseApi, phone: str) -> str | None:
    """The oldest active contact with this business or mobile phone."""
    value = literal(phone.strip())
    return _query(api, f"telephone1 eq {value} or mobilephone eq {value}")


def split_name(name: str) -> tuple[str, str]:
    """(firstname, lastname); a single word is a last name, as Dynamics requires one."""
    parts = name.split()
    if len(parts) < 2:
        return "", name.strip()
    return " ".join(parts[:-1]), parts[-1]


def create(api: DataverseApi, contact_id: str, fields: Mapping[str, Any]) -> str:
    """Create a contact with our own id; if it already exists (412), it is the same customer."""
    # Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/create-entity-web-api
    try:
        api.post("contacts", {"contactid": contact_id, **fields})
    except HandoffError as error:
        if error.code != "dataverse_duplicate_record":
            raise
    return contact_id

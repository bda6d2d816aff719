"""Which Dynamics customer a handoff is linked to: a case is never sent without one.

Email → the oldest active contact with that email, else a new contact whose id is derived from
tenant + email. No email → phone lookup (when enabled), else the configured fallback customer,
else the tenant's "Anonymous OpenCX customer" contact, created once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handoffs.dynamics import contacts
from handoffs.models import DynamicsConnection, HandoffSession

ANONYMOUS_FIRST_NAME = "Anonymous"
ANONYMOUS_LAST_NAME = "OpenCX customer"
ENTITY_SETS = {"contact": "contacts", "account": "accounts"}


@dataclass(frozen=True)
class Customer:
    """A contact or account in Dynamics, by id."""

    entity: str
    id: str

    @property
    def reference(self) -> str:
        """The @odata.bind value, e.g. /contacts(<guid>)."""
        return f"/{ENTITY_SETS[self.entity]}({self.id})"

    @property
    def contact_id(self) -> str | None:
        return self.id if self.entity == "contact" else None


def _given(session: HandoffSession) -> dict[str, str]:
    raw = session.payload.get("customer") or {}
    return {key: " ".join(str(raw.get(key) or "").split()) for key in ("name", "email", "phone")}


def new_contact_fields(session: HandoffSession) -> dict[str, Any]:
    """A new contact's columns from what the customer told the AI agent."""
    given = _given(session)
    email = contacts.normalise_email(given["email"])
    first, last = contacts.split_name(given["name"] or email)
    fields: dict[str, Any] = {
        "firstname": first,
        "lastname": last or email[: contacts.NAME_LIMIT],
        "emailaddress1": email[: contacts.EMAIL_LIMIT],
        "description": f"Created by OpenCX for handoff {session.session_id}."[:2000],
    }
    if given["phone"]:
        fields["mobilephone"] = given["phone"][: contacts.PHONE_LIMIT]
    return {key: value for key, value in fields.items() if value}


def anonymous_contact(api: Any, connection: DynamicsConnection) -> str:
    """The tenant's catch-all contact for customers who gave nothing to match on."""
    if connection.anonymous_contact_id:
        return str(connection.anonymous_contact_id)
    contact_id = contacts.create(
        api,
        contacts.derived_id(connection.tenant_id, "anonymous"),
        {
            "firstname": ANONYMOUS_FIRST_NAME,
            "lastname": ANONYMOUS_LAST_NAME,
            "description": "Linked to OpenCX handoffs from customers who gave no email or "
            "phone. Created once by the OpenCX integration.",
        },
    )
    DynamicsConnection.objects.filter(pk=connection.pk).update(anonymous_contact_id=contact_id)
    connection.anonymous_contact_id = contact_id
    return contact_id


def resolve(api: Any, session: HandoffSession, connection: DynamicsConnection) -> Customer:
    """Find or create the customer this handoff belongs to."""
    given = _given(session)
    if given["email"]:
        found = contacts.find_by_email(api, given["email"])
        if found:
            return Customer("contact", found)
        key = contacts.normalise_email(given["email"])
        new_id = contacts.derived_id(session.tenant_id, key)
        return Customer("contact", contacts.create(api, new_id, new_contact_fields(session)))
    if given["phone"] and connection.phone_lookup:
        found = contacts.find_by_phone(api, given["phone"])
        if found:
            return Customer("contact", found)
    if connection.fallback_customer_type and connection.fallback_customer_id:
        return Customer(connection.fallback_customer_type, str(connection.fallback_customer_id))
    return Customer("contact", anonymous_contact(api, connection))

"""Which Dynamics customer a handoff is linked to: a case is never sent without one.

Email → the contact remembered for that email (a returning customer costs no lookup), else the
oldest active contact with that email, else a new contact whose id is derived from tenant +
email. No email → phone lookup (when enabled), else the configured fallback customer, else the
tenant's "Anonymous OpenCX customer" contact, created once. A new contact is only described
(Customer.new_fields); the writer creates it inside the record's own request.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from handoffs.delivery import text
from handoffs.delivery.plan import Customer
from handoffs.dynamics import contacts
from handoffs.dynamics.classify import missing_record
from handoffs.dynamics.protocol import DataverseApi
from handoffs.dynamics.schema import CONTACT, OrgSchema
from handoffs.errors import HandoffError
from handoffs.models import ContactLink, DynamicsConnection, HandoffSession

ANONYMOUS_FIRST_NAME = "Anonymous"
ANONYMOUS_LAST_NAME = "OpenCX customer"


def new_contact_fields(session: HandoffSession, schema: OrgSchema) -> dict[str, Any]:
    """A new contact's columns from what the customer told the AI agent."""
    given = text.customer_given(session)
    email = contacts.normalise_email(given["email"])
    first, last = contacts.split_name(given["name"] or email)

    def fit(column: str, value: str) -> str:
        return text.clip(value, schema.limit(CONTACT, column))

    fields: dict[str, Any] = {
        "firstname": fit("firstname", first),
        "lastname": fit("lastname", last or email),
        "emailaddress1": fit("emailaddress1", email),
        "description": fit("description", f"Created by OpenCX for handoff {session.session_id}."),
    }
    if given["phone"]:
        fields["mobilephone"] = fit("mobilephone", given["phone"])
    return {key: value for key, value in fields.items() if value}


def anonymous_customer(connection: DynamicsConnection) -> Customer:
    """The tenant's catch-all contact for customers who gave nothing to match on."""
    if connection.anonymous_contact_id:
        return Customer(CONTACT, str(connection.anonymous_contact_id))
    fields = {
        "firstname": ANONYMOUS_FIRST_NAME,
        "lastname": ANONYMOUS_LAST_NAME,
        "description": "Linked to OpenCX handoffs from customers who gave no email or "
        "phone. Created once by the OpenCX integration.",
    }
    contact_id = str(contacts.derived_id(connection.tenant_id, "anonymous"))
    return Customer(CONTACT, contact_id, fields, anonymous=True)


def remembered(tenant_id: int, email: str) -> str | None:
    """The contact remembered for this email, while the link is fresh."""
    fresh_since = timezone.now() - timedelta(seconds=settings.CONTACT_LINK_MAX_AGE)
    link = ContactLink.objects.filter(
        tenant_id=tenant_id, email=email, learned_at__gte=fresh_since
    ).first()
    return str(link.contact_id) if link else None


def remember(tenant_id: int, customer: Customer) -> None:
    """Keep the email → contact link a handoff just looked up or created (fresh from now).

    A link used as remembered keeps its age: however often the customer returns, it is looked
    up again once it is CONTACT_LINK_MAX_AGE old (a rep may have merged the contact).
    """
    if customer.email and customer.entity == CONTACT and not customer.from_link:
        ContactLink.objects.update_or_create(
            tenant_id=tenant_id,
            email=customer.email[:254],
            defaults={"contact_id": customer.id, "learned_at": timezone.now()},
        )


def forget_if_gone(tenant_id: int, customer: Customer, error: HandoffError) -> bool:
    """Forget a remembered link when Dataverse says its contact does not exist; True if so."""
    missing = missing_record(error)
    if not customer.from_link or missing != (CONTACT, customer.id.lower()):
        return False
    ContactLink.objects.filter(tenant_id=tenant_id, email=customer.email).delete()
    return True


def resolve(api: DataverseApi, session: HandoffSession, connection: DynamicsConnection) -> Customer:
    """Find the customer this handoff belongs to, or describe the contact to create."""
    given = text.customer_given(session)
    if given["email"]:
        key = contacts.normalise_email(given["email"])
        linked = remembered(session.tenant_id, key)
        if linked:
            return Customer(CONTACT, linked, email=key, from_link=True)
        found = contacts.find_by_email(api, given["email"])
        if found:
            return Customer(CONTACT, found, email=key)
        new_id = str(contacts.derived_id(session.tenant_id, key))
        schema = OrgSchema.from_stored(connection.dataverse_schema)
        return Customer(CONTACT, new_id, new_contact_fields(session, schema), email=key)
    if given["phone"] and connection.phone_lookup:
        found = contacts.find_by_phone(api, given["phone"])
        if found:
            return Customer(CONTACT, found)
    if connection.fallback_customer_type and connection.fallback_customer_id:
        return Customer(connection.fallback_customer_type, str(connection.fallback_customer_id))
    return anonymous_customer(connection)

"""What a conversation leaves in Dataverse: the matched contact and its conversation row.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-create
Customers are identified by email and phone; an existing contact's names win over the body's.
The conversation row (msdyn_ocliveworkitem, id = the conversation id) follows the states of
https://learn.microsoft.com/en-us/dynamics365/customer-service/use/oc-conversation-state
"""

from __future__ import annotations

from django.db.models import Q

from dataverse_sandbox.messaging.models import Conversation
from dataverse_sandbox.models import Org, Record
from dataverse_sandbox.store import now_iso

# Conversation state → (statecode, statuscode) of msdyn_ocliveworkitem.
ROW_STATES = {
    Conversation.OPEN: (0, 1),
    Conversation.ACTIVE: (1, 2),
    Conversation.CLOSED: (3, 4),
    Conversation.WRAPUP: (4, 5),
}
CUSTOM_CHANNEL_SOURCE = "192350002"  # msdyn_channel "Custom"


def matching_contact(org: Org, customer: dict[str, str]) -> Record | None:
    """The contact whose email or phone the customer context carries, if any."""
    email, phone = customer.get("email", ""), customer.get("phonenumber", "")
    if not email and not phone:
        return None
    query = Q()
    if email:
        query |= Q(data__emailaddress1__iexact=email)
    if phone:
        query |= Q(data__telephone1=phone) | Q(data__mobilephone=phone)
    return Record.objects.filter(org=org, entity="contact").filter(query).order_by("id").first()


def display_name(conversation: Conversation) -> str:
    """The name a rep sees: the contact's, else preferredname, else first and last name."""
    if conversation.contact_id:
        contact = Record.objects.filter(
            org=conversation.org_id, record_id=conversation.contact_id
        ).first()
        if contact is not None and contact.data.get("fullname"):
            return contact.data["fullname"]
    customer = conversation.customer
    joined = " ".join(p for p in (customer.get("firstname"), customer.get("lastname")) if p)
    return customer.get("preferredname") or joined or customer.get("customerid") or "Customer"


def create_row(conversation: Conversation, workstream: object) -> None:
    """The conversation's msdyn_ocliveworkitem row, as Omnichannel creates one per chat."""
    stamp = now_iso()
    state, status = ROW_STATES[conversation.state]
    data = {
        "createdon": stamp,
        "modifiedon": stamp,
        "subject": f"Chat with {display_name(conversation)}"[:400],
        "msdyn_channel": CUSTOM_CHANNEL_SOURCE,
        "msdyn_liveworkstreamid": workstream,
        "statecode": state,
        "statuscode": status,
    }
    if conversation.contact_id:
        data["msdyn_customer"] = {"id": str(conversation.contact_id), "entity": "contact"}
    Record.objects.create(
        org_id=conversation.org_id,
        entity="msdyn_ocliveworkitem",
        record_id=conversation.id,
        data=data,
    )


def sync_row(conversation: Conversation) -> None:
    """Copy the conversation's state (and its rep, as owner) onto its row."""
    row = Record.objects.filter(
        org=conversation.org_id, entity="msdyn_ocliveworkitem", record_id=conversation.id
    ).first()
    if row is None:
        return
    row.data["statecode"], row.data["statuscode"] = ROW_STATES[conversation.state]
    if conversation.agent_id:
        row.data["ownerid"] = {"id": str(conversation.agent_id), "entity": "systemuser"}
    row.data["modifiedon"] = now_iso()
    row.version += 1
    row.save()

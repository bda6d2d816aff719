"""Delivering a handoff to Dynamics 365: resolve the customer, plan, write (see plan.py).

The door is `deliver()`; the lifecycle calls it once per attempt.
"""

from __future__ import annotations

from handoffs.delivery import customers, writer
from handoffs.delivery.plan import Customer, HandoffPlan, plan_handoff
from handoffs.delivery.writer import Delivered
from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError
from handoffs.models import DynamicsConnection, HandoffSession

__all__ = ["Delivered", "deliver"]

PRODUCT_FIX = {
    "dataverse_undeclared_property": "The product sent {name}, which this org does not declare "
    "as a navigation property. Verify the connection (Settings → Verify now) so the product "
    "reads this org's navigation names, then retry the handoff.",
    "dataverse_unknown_property": "The product sent {name}, a column this org does not have. "
    "Verify the connection so the product reads this org's tables, then retry the handoff.",
    "dataverse_value_too_long": "The product wrote {name} longer than this org allows. Verify "
    "the connection so the product reads this org's column limits, then retry the handoff.",
}
TICKET_PROPERTY_FIX = {
    "dataverse_undeclared_property": "{name} comes from your ticket properties: write the "
    "lookup as its navigation property (Settings → Ticket properties lists them) and retry.",
    "dataverse_unknown_property": "{name} comes from your ticket properties: correct the key "
    "to a column's logical name (Settings → Ticket properties lists them) and retry.",
    "dataverse_value_too_long": "{name} comes from your ticket properties: shorten its value "
    "or widen the column in Dynamics, then retry.",
}


def blame(error: HandoffError, plan: HandoffPlan) -> HandoffError:
    """The error with a fix that says whether the offending property came from the admin or us."""
    if error.code not in PRODUCT_FIX or not error.subject:
        return error
    name = error.subject
    from_mapping = any(
        key == name or key.split("@", 1)[0] == name for key in plan.ticket_property_keys
    )
    fixes = TICKET_PROPERTY_FIX if from_mapping else PRODUCT_FIX
    return HandoffError(
        error.code,
        detail=error.message.removeprefix(error.kind.message).strip(),
        fix=fixes[error.code].format(name=f"'{name}'"),
        http_status=error.http_status,
        dataverse_code=error.dataverse_code,
        subject=name,
    )


def _write(
    api: DataverseApi, session: HandoffSession, connection: DynamicsConnection
) -> tuple[Delivered, Customer]:
    customer = customers.resolve(api, session, connection)
    plan = plan_handoff(session, connection, customer)
    try:
        return writer.write(api, plan), customer
    except HandoffError as error:
        if customers.forget_if_gone(session.tenant_id, customer, error):
            # The remembered contact was deleted or merged away: look it up afresh, once.
            return _write(api, session, connection)
        raise blame(error, plan) from None


def deliver(
    api: DataverseApi, session: HandoffSession, connection: DynamicsConnection
) -> Delivered:
    """Write the session's record in Dynamics (safe to repeat: the ids are the session's own)."""
    if connection.target_for(session.channel) == HandoffSession.Target.LIVE_CHAT:
        # Live chats open a conversation through the Messaging API (handoffs.livechat); imported
        # here because that package builds on this one.
        from handoffs.livechat import handoff

        return handoff.deliver(api, session, connection)
    delivered, customer = _write(api, session, connection)
    customers.remember(session.tenant_id, customer)
    if customer.anonymous:
        connection.remember_anonymous_contact(customer.id)
    return delivered

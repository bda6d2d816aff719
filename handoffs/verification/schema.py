"""The checklist line that reads what the org declares for the tables a handoff writes."""

from __future__ import annotations

from handoffs.dynamics import org_schema
from handoffs.dynamics.protocol import DataverseApi
from handoffs.dynamics.schema import CONTACT, CONVERSATION, INCIDENT, NOTE, QUEUE_ITEM, OrgSchema
from handoffs.errors import HandoffError
from handoffs.models import DynamicsConnection
from handoffs.verification.checklist import FAIL, PASS, Check, failed

KEY = "schema"
TITLE = "Navigation names and column limits of the tables a handoff writes"
ANCHOR = "checklist-schema"


def check_schema(
    client: DataverseApi, connection: DynamicsConnection
) -> tuple[Check, OrgSchema | None]:
    """Read the org's navigation names and text limits; fail when a lookup we bind is missing."""
    try:
        found = org_schema.read_org_schema(client)
    except HandoffError as exc:
        return failed(KEY, TITLE, exc), None
    written: tuple[str, ...] = (INCIDENT, NOTE, CONTACT)
    if connection.chat_target == DynamicsConnection.ChatTarget.LIVE_WORK_ITEM:
        written += (CONVERSATION,)
    if connection.default_queue_id:
        written += (QUEUE_ITEM,)
    missing = org_schema.undeclared(found, written)
    if missing:
        return (
            Check(
                KEY,
                FAIL,
                TITLE,
                "This org does not declare the lookups the handoff binds: " + "; ".join(missing),
                "A customisation removed or renamed a relationship the handoff needs. Ask the "
                "Dynamics admin to restore it, or send this checklist to support.",
                ANCHOR,
            ),
            found,
        )
    limits = found.max_lengths.get(INCIDENT, {})
    detail = (
        "Read from the org: the handoff binds lookups by their declared names and cuts text to "
        f"each column's limit (case description: {found.limit(INCIDENT, 'description')} "
        "characters)."
    )
    if not limits:
        detail = "The org's metadata listed no text columns; Microsoft's documented limits apply."
    return Check(KEY, PASS, TITLE, detail), found

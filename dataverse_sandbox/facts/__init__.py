"""Microsoft's facts about the tables the sandbox serves, one module per table.

Each module names the Learn page its facts come from; a fact read elsewhere, or inferred
because the page is silent, says so beside it. The sandbox enforces these facts and its
EntityDefinitions answer from them, so what a client reads as "the org's metadata" is what
the sandbox refuses.

ObjectTypeCode values are the built-in tables' well-known codes (the reference pages omit
them); tables added by a solution get theirs when installed, so 10702 and 10703 are the
sandbox's own choice.
"""

from __future__ import annotations

from dataverse_sandbox.facts.account import ACCOUNT
from dataverse_sandbox.facts.annotation import ANNOTATION
from dataverse_sandbox.facts.contact import CONTACT
from dataverse_sandbox.facts.incident import INCIDENT
from dataverse_sandbox.facts.incidentresolution import INCIDENT_RESOLUTION
from dataverse_sandbox.facts.liveworkitem import LIVE_WORK_ITEM
from dataverse_sandbox.facts.messagingchannel import CUSTOM_MESSAGING_CHANNEL
from dataverse_sandbox.facts.model import Collection, Column, Nav, Table
from dataverse_sandbox.facts.queue import QUEUE, QUEUEITEM
from dataverse_sandbox.facts.systemuser import SYSTEMUSER
from dataverse_sandbox.facts.workstream import WORKSTREAM

ALL_TABLES: tuple[Table, ...] = (
    INCIDENT, INCIDENT_RESOLUTION, CONTACT, ACCOUNT, ANNOTATION, QUEUE, QUEUEITEM, SYSTEMUSER,
    LIVE_WORK_ITEM, WORKSTREAM, CUSTOM_MESSAGING_CHANNEL,
)  # fmt: skip

__all__ = [
    "ACCOUNT", "ALL_TABLES", "ANNOTATION", "CONTACT", "CUSTOM_MESSAGING_CHANNEL", "INCIDENT",
    "INCIDENT_RESOLUTION",
    "LIVE_WORK_ITEM", "QUEUE", "QUEUEITEM", "SYSTEMUSER", "WORKSTREAM", "Collection", "Column",
    "Nav", "Table",
]  # fmt: skip

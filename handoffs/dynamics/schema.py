"""The names and limits of the Dataverse tables a handoff writes: the org's, else Microsoft's.

Dataverse binds a lookup through the navigation property its table declares (which is not
always the lookup column's name: msdyn_ocliveworkitem declares
`msdyn_cdsqueueid_msdyn_ocliveworkitem` for `msdyn_cdsqueueid`), and counts text limits in
UTF-16 code units. Verification reads both from the org's metadata
(handoffs.dynamics.org_schema.read_org_schema) and stores them with the
connection; until then, Microsoft's documented defaults below apply. Everything here is pure data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

INCIDENT = "incident"
CONVERSATION = "msdyn_ocliveworkitem"
NOTE = "annotation"
CONTACT = "contact"
QUEUE_ITEM = "queueitem"
TABLES = (INCIDENT, CONVERSATION, NOTE, CONTACT, QUEUE_ITEM)

# Microsoft's documented defaults, per table: the lookups we bind (column, referenced table) →
# navigation property, and the text columns we write → MaxLength. An owner lookup references
# the `owner` table in metadata, though the bound value names a systemuser (or a team).
# Reference: https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/incident
# Reference: https://learn.microsoft.com/en-us/dynamics365/customer-service/develop/reference/entities/msdyn_ocliveworkitem
# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/annotation
# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/contact
DOCUMENTED_NAVIGATIONS: dict[str, dict[tuple[str, str], str]] = {
    INCIDENT: {
        ("customerid", "contact"): "customerid_contact",
        ("customerid", "account"): "customerid_account",
        ("ownerid", "owner"): "ownerid",
    },
    CONVERSATION: {
        ("msdyn_customer", "contact"): "msdyn_customer_msdyn_ocliveworkitem_contact",
        ("msdyn_customer", "account"): "msdyn_customer_msdyn_ocliveworkitem_account",
        ("msdyn_cdsqueueid", "queue"): "msdyn_cdsqueueid_msdyn_ocliveworkitem",
        ("msdyn_liveworkstreamid", "msdyn_liveworkstream"): (
            "msdyn_liveworkstreamid_msdyn_ocliveworkitem"
        ),
        ("ownerid", "owner"): "ownerid_msdyn_ocliveworkitem",
    },
    NOTE: {},
    CONTACT: {},
    QUEUE_ITEM: {("queueid", "queue"): "queueid"},
}
# The collection a child row is deep-inserted through, per (child table, parent table): the
# child's many-to-one relationship on `objectid` names it (ReferencedEntityNavigationPropertyName).
# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/create-entity-web-api#create-related-table-rows-in-one-operation
# Reference: https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/queueitem
DOCUMENTED_COLLECTIONS: dict[tuple[str, str], str] = {
    (NOTE, INCIDENT): "Incident_Annotation",
    (NOTE, CONVERSATION): "msdyn_ocliveworkitem_Annotations",
    (NOTE, CONTACT): "Contact_Annotation",
    (QUEUE_ITEM, INCIDENT): "Incident_QueueItem",
}
DOCUMENTED_MAX_LENGTHS: dict[str, dict[str, int]] = {
    INCIDENT: {"title": 200, "description": 2000},
    CONVERSATION: {"subject": 200, "description": 2000},
    NOTE: {"subject": 500, "notetext": 100_000, "filename": 255},
    QUEUE_ITEM: {},
    CONTACT: {
        "firstname": 50,
        "lastname": 50,
        "emailaddress1": 100,
        "mobilephone": 50,
        "telephone1": 50,
        "description": 2000,
    },
}
# What each table's entity set is called (the table reference pages' EntitySetName).
ENTITY_SETS = {
    INCIDENT: "incidents",
    CONVERSATION: "msdyn_ocliveworkitems",
    NOTE: "annotations",
    CONTACT: "contacts",
    "account": "accounts",
    "systemuser": "systemusers",
    "queue": "queues",
    "msdyn_liveworkstream": "msdyn_liveworkstreams",
}


def utf16_length(text: str) -> int:
    """The length Dataverse checks MaxLength against: UTF-16 code units (.NET string length).

    A lone surrogate (JSON allows "\\ud800") counts as the one unit it is.
    """
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _key(column: str, target: str) -> str:
    return f"{column}:{target}"


@dataclass(frozen=True)
class OrgSchema:
    """Navigation names and text limits of the tables we write, as one org declares them."""

    navigations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    max_lengths: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    # "child:parent" → the parent's collection-valued navigation property for that child
    collections: Mapping[str, str] = field(default_factory=dict)
    read_from_org: bool = False

    def bind_key(self, table: str, column: str, target: str) -> str:
        """The `<navigation>@odata.bind` key that sets `column` to a `target` row."""
        declared = self.navigations.get(table, {}).get(_key(column, target))
        nav = declared or DOCUMENTED_NAVIGATIONS[table][(column, target)]
        return f"{nav}@odata.bind"

    def limit(self, table: str, column: str) -> int:
        """The column's MaxLength in UTF-16 code units."""
        declared = self.max_lengths.get(table, {}).get(column)
        return declared or DOCUMENTED_MAX_LENGTHS[table][column]

    def nested_key(self, table: str, column: str, target: str) -> str:
        """The navigation property a new `target` row is deep-inserted through (no @odata.bind)."""
        return self.bind_key(table, column, target).removesuffix("@odata.bind")

    def collection(self, child: str, parent: str) -> str:
        """The collection-valued navigation property that deep-inserts `child` rows on `parent`."""
        declared = self.collections.get(_key(child, parent))
        return declared or DOCUMENTED_COLLECTIONS[(child, parent)]

    def notes_collection(self, table: str) -> str:
        """The collection-valued navigation property that deep-inserts a note on `table`."""
        return self.collection(NOTE, table)

    def as_dict(self) -> dict[str, Any]:
        return {
            "navigations": {t: dict(n) for t, n in self.navigations.items()},
            "max_lengths": {t: dict(m) for t, m in self.max_lengths.items()},
            "collections": dict(self.collections),
        }

    @classmethod
    def from_stored(cls, data: Mapping[str, Any] | None) -> OrgSchema:
        """The schema stored with a connection; an empty one (documented defaults) if none."""
        if not data:
            return cls()
        return cls(
            navigations=data.get("navigations") or {},
            max_lengths=data.get("max_lengths") or {},
            collections=data.get("collections") or {},
            read_from_org=True,
        )


def needed_navigations(table: str) -> dict[str, tuple[str, str]]:
    """key → (column, target) for the lookups the product binds on `table`."""
    return {_key(c, t): (c, t) for c, t in DOCUMENTED_NAVIGATIONS[table]}


def entity_set(table: str) -> str:
    return ENTITY_SETS[table]

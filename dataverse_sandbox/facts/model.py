"""The shape of a table fact: columns, navigation properties, and where each fact comes from."""

from __future__ import annotations

from dataclasses import dataclass, field

LOOKUP_TYPES = frozenset({"Lookup", "Customer", "Owner"})


@dataclass(frozen=True)
class Column:
    """One column as its table's reference page states it (SchemaName lowercased)."""

    name: str
    type: str
    label: str = ""
    max_length: int | None = None
    required: str = "None"
    create: bool = True
    update: bool = True
    options: dict[int, str] = field(default_factory=dict)
    targets: tuple[str, ...] = ()
    custom: bool = False  # an org's own column, not Microsoft's

    @property
    def is_lookup(self) -> bool:
        return self.type in LOOKUP_TYPES


@dataclass(frozen=True)
class Nav:
    """A single-valued navigation property: what `<name>@odata.bind` sets."""

    column: str  # ReferencingAttribute
    target: str  # ReferencedEntity
    relationship: str  # the relationship's SchemaName


@dataclass(frozen=True)
class Collection:
    """A collection-valued navigation property: the rows a deep insert creates with the record."""

    child: str  # ReferencingEntity
    back: str  # the child's single-valued navigation property pointing back at us
    relationship: str


@dataclass(frozen=True)
class Table:
    """A table: names, columns and relationships, with the Learn page they are read from."""

    logical: str
    entity_set: str
    pk: str
    primary_name: str
    otc: int
    privilege: str  # the <Entity> part of prv<Verb><Entity>
    source: str
    columns: dict[str, Column]
    navs: dict[str, Nav]
    collections: dict[str, Collection] = field(default_factory=dict)
    display: str = ""
    change_tracking: bool = False


def columns(*items: Column) -> dict[str, Column]:
    return {c.name: c for c in items}


def system_columns(pk: str, pk_label: str, *, owned: bool = True) -> tuple[Column, ...]:
    """The columns every table has: its key, timestamps, version and (if user-owned) owner."""
    # Reference: each table page lists these among its columns; createdon, modifiedon and
    # versionnumber are under "Read-only columns", the key is valid for create only.
    base = (
        Column(pk, "Uniqueidentifier", pk_label, required="SystemRequired", update=False),
        Column("createdon", "DateTime", "Created On", create=False, update=False),
        Column("modifiedon", "DateTime", "Modified On", create=False, update=False),
        Column("versionnumber", "BigInt", "Version Number", create=False, update=False),
    )
    owner = Column(
        "ownerid", "Owner", "Owner", required="SystemRequired", targets=("systemuser", "team")
    )
    return (*base, owner) if owned else base


ACTIVE_INACTIVE_STATE = {0: "Active", 1: "Inactive"}
ACTIVE_INACTIVE_STATUS = {1: "Active", 2: "Inactive"}

"""The tables an org serves: Microsoft's facts (dataverse_sandbox.facts) plus the org's overrides.

A real org can be customised: an admin widens a column or turns change tracking off. An org's
`schema_overrides` records such changes, so its metadata and its refusals both follow them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dataverse_sandbox.facts import (
    ALL_TABLES,
    ANNOTATION,
    CONTACT,
    INCIDENT,
    LIVE_WORK_ITEM,
    QUEUE,
    QUEUEITEM,
    SYSTEMUSER,
    Collection,
    Column,
    Nav,
    Table,
)

__all__ = [
    "ANNOTATION", "BY_SET", "CONTACT", "EXTERNAL_TARGETS", "INCIDENT", "LIVE_WORK_ITEM",
    "QUEUE", "QUEUEITEM", "SYSTEMUSER", "TABLES", "Collection", "Column", "Nav", "Table",
    "has_table", "table_for_set", "tables_for",
]  # fmt: skip

TABLES: dict[str, Table] = {t.logical: t for t in ALL_TABLES}
BY_SET: dict[str, Table] = {t.entity_set: t for t in ALL_TABLES}
# Tables that exist only when the Omnichannel solution is installed.
OMNICHANNEL_TABLES = frozenset(
    {"msdyn_ocliveworkitem", "msdyn_liveworkstream", "msdyn_occustommessagingchannel"}
)
# Targets that are valid in a binding but whose rows the sandbox does not serve.
EXTERNAL_TARGETS = frozenset({"businessunit", "team"})
# Entity sets a client may address directly (queue items are made by AddToQueue or deep insert).
PUBLIC_SETS = frozenset(t.entity_set for t in ALL_TABLES) - {"queueitems"}
TEXT_TYPES = frozenset({"String", "Memo"})


def _overridden(table: Table, override: dict[str, Any]) -> Table:
    columns = dict(table.columns)
    for name, change in (override.get("columns") or {}).items():
        if name in columns and "max_length" in change:
            columns[name] = replace(columns[name], max_length=int(change["max_length"]))
    tracking = override.get("change_tracking", table.change_tracking)
    return replace(table, columns=columns, change_tracking=bool(tracking))


def tables_for(org: Any) -> dict[str, Table]:
    """Every table as `org` has it: Microsoft's facts with the org's customisations applied."""
    overrides = getattr(org, "schema_overrides", None) or {}
    return {
        name: _overridden(table, overrides[name]) if name in overrides else table
        for name, table in TABLES.items()
    }


def table_for_set(org: Any, entity_set: str) -> Table | None:
    """The table served under `entity_set`, or None (404) when the org lacks it."""
    table = BY_SET.get(entity_set)
    if table is None or entity_set not in PUBLIC_SETS:
        return None
    if table.logical in OMNICHANNEL_TABLES and not org.omnichannel:
        return None
    return tables_for(org)[table.logical]


def has_table(org: Any, logical: str) -> bool:
    """Whether the org has `logical` at all (Omnichannel tables need the solution)."""
    return logical in TABLES and (logical not in OMNICHANNEL_TABLES or org.omnichannel)

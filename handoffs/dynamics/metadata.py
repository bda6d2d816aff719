"""What the org's `incident` table accepts: columns, types, lengths, option sets, lookups.

Read from Dataverse's EntityDefinitions so custom field mappings (ticket_properties) and the
priority picker are checked against the real org, not a guess.
Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query-metadata-web-api
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError
from handoffs.models import DynamicsConnection

ENTITY = "EntityDefinitions(LogicalName='{name}')"
LOOKUP_TYPES = frozenset({"Lookup", "Customer", "Owner"})
FALLBACK_PRIORITIES = {1: "High", 2: "Normal", 3: "Low"}


@dataclass(frozen=True)
class Column:
    """One column of a table, as far as creating a record is concerned."""

    name: str
    type: str
    label: str = ""
    valid_for_create: bool = True
    max_length: int | None = None
    options: dict[int, str] = field(default_factory=dict)
    targets: tuple[str, ...] = ()

    @property
    def is_lookup(self) -> bool:
        return self.type in LOOKUP_TYPES


@dataclass(frozen=True)
class TableMetadata:
    """A table's columns and its lookup navigation properties (name → (column, target))."""

    name: str
    columns: dict[str, Column]
    navigations: dict[str, tuple[str, str]]

    def navigations_of(self, column: str) -> list[str]:
        """The navigation properties that set `column` (one per target for polymorphic ones)."""
        return sorted(nav for nav, (col, _) in self.navigations.items() if col == column)

    def priority_options(self) -> dict[int, str]:
        """prioritycode's options, or the out-of-the-box ones when the org has none."""
        column = self.columns.get("prioritycode")
        return dict(column.options) if column and column.options else dict(FALLBACK_PRIORITIES)


def _label(item: dict[str, Any]) -> str:
    label = item.get("DisplayName") or item.get("Label") or {}
    localized = (label or {}).get("UserLocalizedLabel") or {}
    return str(localized.get("Label") or "")


def _attribute_type(item: dict[str, Any]) -> str:
    type_name = ((item.get("AttributeTypeName") or {}).get("Value")) or ""
    if type_name == "MultiSelectPicklistType":
        return "MultiSelectPicklist"
    return str(item.get("AttributeType") or type_name.removesuffix("Type") or "Unknown")


def _options(item: dict[str, Any]) -> dict[int, str]:
    option_set = item.get("OptionSet") or item.get("GlobalOptionSet") or {}
    options: dict[int, str] = {}
    for option in option_set.get("Options") or []:
        if isinstance(option, dict) and isinstance(option.get("Value"), int):
            options[option["Value"]] = _label(option)
    return options


def _column(item: dict[str, Any]) -> Column:
    max_length = item.get("MaxLength")
    return Column(
        name=str(item["LogicalName"]),
        type=_attribute_type(item),
        label=_label(item),
        valid_for_create=bool(item.get("IsValidForCreate", True)),
        max_length=max_length if isinstance(max_length, int) else None,
        options=_options(item),
        targets=tuple(item.get("Targets") or ()),
    )


def values_of(answer: dict[str, Any], what: str) -> list[dict[str, Any]]:
    values = answer.get("value")
    if not isinstance(values, list) or not all(
        isinstance(v, dict) and (v.get("LogicalName") or v.get("ReferencingAttribute"))
        for v in values
    ):
        raise HandoffError(
            "dataverse_unexpected_response", detail=f"The {what} answer has no list of values."
        )
    return values


def attributes(client: DataverseApi, table: str) -> dict[str, Column]:
    """Every column of `table` with its type, length and create flag."""
    # Without $select, each attribute comes back with its derived type's properties
    # (MaxLength, Targets, …).
    answer = client.get(f"{ENTITY.format(name=table)}/Attributes")
    return {c.name: c for c in map(_column, values_of(answer, "Attributes"))}


def option_sets(client: DataverseApi, table: str) -> dict[str, dict[int, str]]:
    """The options of every choice (picklist) column of `table`."""
    path = (
        f"{ENTITY.format(name=table)}/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata"
    )
    answer = client.get(
        path,
        params={
            "$select": "LogicalName",
            "$expand": "OptionSet($select=Options),GlobalOptionSet($select=Options)",
        },
    )
    return {str(v["LogicalName"]): _options(v) for v in values_of(answer, "option set")}


def navigations(client: DataverseApi, table: str) -> dict[str, tuple[str, str]]:
    """Lookup navigation property → (lookup column, target table), for @odata.bind keys."""
    answer = client.get(
        f"{ENTITY.format(name=table)}/ManyToOneRelationships",
        params={
            "$select": "ReferencingAttribute,ReferencingEntityNavigationPropertyName,"
            "ReferencedEntity"
        },
    )
    found: dict[str, tuple[str, str]] = {}
    for relation in values_of(answer, "ManyToOneRelationships"):
        nav = relation.get("ReferencingEntityNavigationPropertyName")
        if nav:
            found[str(nav)] = (
                str(relation["ReferencingAttribute"]),
                str(relation.get("ReferencedEntity") or ""),
            )
    return found


def table_metadata(client: DataverseApi, table: str = "incident") -> TableMetadata:
    """Columns, option sets and lookups of `table` (three metadata requests)."""
    # Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query-metadata-web-api
    columns = attributes(client, table)
    for name, options in option_sets(client, table).items():
        if name in columns and options:
            column = columns[name]
            columns[name] = Column(**{**column.__dict__, "options": options})
    return TableMetadata(table, columns, navigations(client, table))


METADATA_CACHE_SECONDS = 600


def incident_metadata_for(connection: DynamicsConnection, *, fresh: bool = False) -> TableMetadata:
    """The connection's incident metadata, cached briefly (a schema rarely changes)."""
    from django.core.cache import cache

    from handoffs.dynamics.client import client_for, credentials_fingerprint

    # The fingerprint in the key: new credentials may point at another org.
    key = f"dynamics-incident-metadata:{connection.pk}:{credentials_fingerprint(connection)[:16]}"
    if not fresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    table = table_metadata(client_for(connection), "incident")
    cache.set(key, table, METADATA_CACHE_SECONDS)
    return table

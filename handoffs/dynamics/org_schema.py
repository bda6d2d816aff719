"""Reading, from an org's metadata, the navigation names and text limits a handoff depends on.

Three metadata requests per table (many-to-one relationships, string and memo lengths), made
during verification only; the result is stored with the connection (see handoffs.dynamics.schema).
Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query-metadata-web-api
"""

from __future__ import annotations

from typing import Any

from handoffs.dynamics import schema
from handoffs.dynamics.metadata import ENTITY, values_of
from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError

RELATIONSHIP_FIELDS = (
    "ReferencingAttribute,ReferencedEntity,ReferencingEntityNavigationPropertyName,"
    "ReferencedEntityNavigationPropertyName"
)
TEXT_TYPES = ("StringAttributeMetadata", "MemoAttributeMetadata")


def _relationships(client: DataverseApi, table: str) -> list[dict[str, Any]]:
    answer = client.get(
        f"{ENTITY.format(name=table)}/ManyToOneRelationships",
        params={"$select": RELATIONSHIP_FIELDS},
    )
    return values_of(answer, "ManyToOneRelationships")


def _max_lengths(client: DataverseApi, table: str) -> dict[str, int]:
    wanted = schema.DOCUMENTED_MAX_LENGTHS[table]
    found: dict[str, int] = {}
    if not wanted:
        return found
    for cast in TEXT_TYPES:
        answer = client.get(
            f"{ENTITY.format(name=table)}/Attributes/Microsoft.Dynamics.CRM.{cast}",
            params={"$select": "LogicalName,MaxLength"},
        )
        for column in values_of(answer, cast):
            name, length = column.get("LogicalName"), column.get("MaxLength")
            if name in wanted and isinstance(length, int) and length > 0:
                found[name] = length
    return found


def _navigations(relations: list[dict[str, Any]], table: str) -> dict[str, str]:
    needed = schema.needed_navigations(table)
    found: dict[str, str] = {}
    for relation in relations:
        key = f"{relation.get('ReferencingAttribute')}:{relation.get('ReferencedEntity')}"
        nav = relation.get("ReferencingEntityNavigationPropertyName")
        if key in needed and nav:
            found[key] = str(nav)
    return found


def _collections(relations: list[dict[str, Any]], child: str) -> dict[str, str]:
    """ "child:parent" → the parent's collection that deep-inserts `child` rows (via objectid)."""
    found: dict[str, str] = {}
    for relation in relations:
        parent = relation.get("ReferencedEntity")
        collection = relation.get("ReferencedEntityNavigationPropertyName")
        if relation.get("ReferencingAttribute") == "objectid" and parent and collection:
            found[f"{child}:{parent}"] = str(collection)
    return found


def missing_table(error: HandoffError) -> bool:
    """The org has no such table (Omnichannel not installed): its defaults simply never apply."""
    return error.http_status == 404


def read_org_schema(client: DataverseApi) -> schema.OrgSchema:
    """What this org declares for every table a handoff writes (tables it lacks are skipped)."""
    navigations: dict[str, dict[str, str]] = {}
    max_lengths: dict[str, dict[str, int]] = {}
    collections: dict[str, str] = {}
    for table in schema.TABLES:
        try:
            relations = _relationships(client, table)
            max_lengths[table] = _max_lengths(client, table)
        except HandoffError as error:
            if not missing_table(error):
                raise
            continue
        navigations[table] = _navigations(relations, table)
        if table in (schema.NOTE, schema.QUEUE_ITEM):
            collections |= _collections(relations, table)
    return schema.OrgSchema(navigations, max_lengths, collections, read_from_org=True)


def undeclared(found: schema.OrgSchema, tables: tuple[str, ...]) -> list[str]:
    """'table: column → target' for each lookup we bind that an existing table does not declare."""
    missing = []
    for table in tables:
        if table not in found.navigations:
            continue  # the table is not in this org
        declared = found.navigations[table]
        for key, (column, target) in schema.needed_navigations(table).items():
            if key not in declared:
                missing.append(f"{table}: {column} → {target}")
    return missing

"""EntityDefinitions: table and column metadata, read-only, as the Web API shapes it.

Everything comes from the org's tables (schema.tables_for): the facts the sandbox enforces.
Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query-metadata-web-api
"""

from __future__ import annotations

import uuid

from django.http import QueryDict

from dataverse_sandbox.errors import ApiError, unknown_property
from dataverse_sandbox.facts import Column, Table
from dataverse_sandbox.odata_filter import compile_filter
from dataverse_sandbox.schema import TABLES

TYPE_NAMES = {
    "MultiSelectPicklist": ("Virtual", "MultiSelectPicklistType", "MultiSelectPicklist"),
    "Uniqueidentifier": ("Uniqueidentifier", "UniqueidentifierType", "UniqueIdentifier"),
    "EntityName": ("EntityName", "EntityNameType", "EntityName"),
}


def _metadata_id(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "dataverse-sandbox:metadata:" + ":".join(parts)))


def label(text: str) -> dict:
    localized = {"Label": text, "LanguageCode": 1033, "IsManaged": True}
    return {"LocalizedLabels": [localized], "UserLocalizedLabel": localized}


def _schema_name(name: str) -> str:
    # Inferred: SchemaName capitalises the logical name of system columns; a custom column
    # keeps its publisher prefix in lower case.
    return name if name.startswith(("new_", "msdyn_")) else name[:1].upper() + name[1:]


def attribute(table: Table, column: Column, expand: str = "") -> dict:
    """One column's AttributeMetadata (type-specific properties included)."""
    attribute_type, type_name, cast = TYPE_NAMES.get(
        column.type, (column.type, f"{column.type}Type", column.type)
    )
    row = {
        "@odata.type": f"#Microsoft.Dynamics.CRM.{cast}AttributeMetadata",
        "MetadataId": _metadata_id(table.logical, column.name),
        "LogicalName": column.name,
        "SchemaName": _schema_name(column.name),
        "EntityLogicalName": table.logical,
        "AttributeType": attribute_type,
        "AttributeTypeName": {"Value": type_name},
        "DisplayName": label(column.label or column.name),
        "RequiredLevel": {
            "Value": column.required,
            "CanBeChanged": column.required != "SystemRequired",
            "ManagedPropertyLogicalName": "canmodifyrequirementlevelsettings",
        },
        "IsValidForCreate": column.create,
        "IsValidForUpdate": column.update,
        "IsValidForRead": True,
        "IsCustomAttribute": column.custom,
        "IsPrimaryId": column.name == table.pk,
        "IsPrimaryName": column.name == table.primary_name,
    }  # fmt: skip
    if column.max_length is not None:
        row["MaxLength"] = column.max_length
    if column.targets:
        row["Targets"] = list(column.targets)
    if column.options and "OptionSet" in expand:
        row["OptionSet"] = option_set(table, column)
    return row


def option_set(table: Table, column: Column) -> dict:
    return {
        "MetadataId": _metadata_id(table.logical, column.name, "options"),
        "Name": f"{table.logical}_{column.name}",
        "IsGlobal": False,
        "OptionSetType": "Picklist" if column.type != "State" else column.type,
        "Options": [
            {"Value": value, "Label": label(text), "Color": None, "IsManaged": True}
            for value, text in column.options.items()
        ],
    }


def entity(table: Table) -> dict:
    return {
        "MetadataId": _metadata_id(table.logical),
        "LogicalName": table.logical,
        "SchemaName": _schema_name(table.logical),
        "EntitySetName": table.entity_set,
        "PrimaryIdAttribute": table.pk,
        "PrimaryNameAttribute": table.primary_name,
        "ObjectTypeCode": table.otc,
        "DisplayName": label(table.display or table.logical),
        "IsCustomEntity": table.logical.startswith("msdyn_"),
        # https://learn.microsoft.com/en-us/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
        "ChangeTrackingEnabled": table.change_tracking,
    }


def many_to_one(table: Table, params: QueryDict) -> list[dict]:
    """One relationship per single-valued navigation property (the names @odata.bind takes)."""
    rows = []
    for name, nav in table.navs.items():
        referenced, key = _referenced(table, nav.column, nav.target)
        row = {
            "MetadataId": _metadata_id(table.logical, "relationship", name),
            "SchemaName": nav.relationship,
            "ReferencedEntity": referenced,
            "ReferencedAttribute": key,
            "ReferencingEntity": table.logical,
            "ReferencingAttribute": nav.column,
            "ReferencingEntityNavigationPropertyName": name,
            "ReferencedEntityNavigationPropertyName": _collection_back(table, name, nav.target),
            "RelationshipType": "OneToManyRelationship",
        }
        rows.append(select_keys(row, params, ("MetadataId",)))
    return rows


def _collection_back(table: Table, nav_name: str, target: str) -> str | None:
    """The referenced table's collection-valued navigation property for this relationship."""
    parent = TABLES.get(target)
    for collection_name, collection in (parent.collections if parent else {}).items():
        if collection.child == table.logical and collection.back == nav_name:
            return collection_name
    return None


def _referenced(table: Table, column: str, target: str) -> tuple[str, str]:
    # Owner lookups reference the "owner" table on every page (e.g. owner_incidents), though
    # @odata.bind names a systemuser or team.
    if table.columns[column].type == "Owner":
        return "owner", "ownerid"
    return target, TABLES[target].pk if target in TABLES else f"{target}id"


def select_keys(row: dict, params: QueryDict, always: tuple[str, ...]) -> dict:
    raw = params.get("$select")
    if not raw:
        return row
    wanted = [n.strip() for n in raw.split(",") if n.strip()]
    return {k: v for k, v in row.items() if k in wanted or k in always or k.startswith("@")}


def attributes(
    table: Table, params: QueryDict, *, only: str | None = None, cast: str | None = None
) -> list[dict]:
    """Columns of `table`, optionally one (`only`) or one type (`cast`), with $filter/$select."""
    expand = params.get("$expand", "")
    rows = [attribute(table, c, expand) for c in table.columns.values()]
    if only is not None:
        rows = [r for r in rows if r["LogicalName"] == only]
        if not rows:
            raise unknown_property(only, table.logical)
    if cast is not None:
        rows = [r for r in rows if r["@odata.type"] == f"#Microsoft.Dynamics.CRM.{cast}"]
    if params.get("$filter"):
        predicate = compile_filter(params["$filter"], _metadata_key)
        rows = [r for r in rows if predicate(r)]
    return [select_keys(r, params, ("MetadataId", "OptionSet")) for r in rows]


def _metadata_key(name: str) -> str:
    if name in ("LogicalName", "SchemaName", "AttributeType", "IsValidForCreate",
                "IsValidForUpdate", "IsCustomAttribute", "MaxLength"):  # fmt: skip
        return name
    raise ApiError(
        400,
        "0x80060888",
        f"Could not find a property named '{name}' on type "
        "'Microsoft.Dynamics.CRM.AttributeMetadata'.",
    )

"""Reading rows out: $select, $filter, $orderby, $top, and the JSON shape of a row."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

from dataverse_sandbox.errors import bad_request, unknown_property
from dataverse_sandbox.models import Org, Record
from dataverse_sandbox.odata_filter import compile_with_equalities
from dataverse_sandbox.prefer import Preferences
from dataverse_sandbox.schema import TABLES, Table
from dataverse_sandbox.validation import parse_guid

# Annotation terms, and what they hold: a lookup's table, and the formatted value (an option's
# label, or a lookup's primary name).
# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/select-columns
LOOKUP_TERM = "Microsoft.Dynamics.CRM.lookuplogicalname"
FORMATTED_TERM = "OData.Community.Display.V1.FormattedValue"
LOOKUP_NAME = f"@{LOOKUP_TERM}"
FORMATTED = f"@{FORMATTED_TERM}"


def row_key(table: Table, name: str) -> str:
    """The column a query name refers to (`_x_value` for lookups), or 400 0x80060888."""
    if name.startswith("_") and name.endswith("_value"):
        column = table.columns.get(name[1:-6])
        if column is not None and column.is_lookup:
            return name
    column = table.columns.get(name)
    if column is not None and not column.is_lookup:
        return name
    raise unknown_property(name, table.logical)


def parse_select(table: Table, params: QueryDict) -> list[str] | None:
    raw = params.get("$select")
    if not raw:
        return None
    return [row_key(table, name.strip()) for name in raw.split(",") if name.strip()]


def flat(table: Table, record: Record) -> dict:
    """A row as the Web API names its values (lookups as `_x_value`)."""
    row: dict = {}
    for name, column in table.columns.items():
        value = record.data.get(name)
        if column.is_lookup:
            row[f"_{name}_value"] = value["id"] if value else None
        elif name == table.pk:
            row[name] = str(record.record_id)
        elif name == "versionnumber":
            row[name] = record.version
        else:
            row[name] = value
    return row


def serialize(
    table: Table, record: Record, select: list[str] | None, *, annotate: Preferences | None = None
) -> dict:
    """One row as JSON, restricted to `select` (the primary key is always included)."""
    row = flat(table, record)
    keys = select if select is not None else list(row)
    out: dict = {"@odata.etag": f'W/"{record.version}"'}
    for key in keys:
        if annotate is not None and annotate.wants_annotations:
            _annotate(table, record, key, out, annotate)
        out[key] = row.get(key)
    out[table.pk] = str(record.record_id)
    return out


def primary_name(org_id: int, reference: dict) -> str | None:
    """The primary name of the row a lookup points at (its formatted value)."""
    target = TABLES.get(reference.get("entity", ""))
    row = Record.objects.filter(
        org_id=org_id, entity=reference.get("entity"), record_id=reference.get("id")
    ).first()
    if target is None or row is None:
        return None
    return row.data.get(target.primary_name)


def _annotate(table: Table, record: Record, key: str, out: dict, wanted: Preferences) -> None:
    if key.startswith("_") and key.endswith("_value"):
        value = record.data.get(key[1:-6])
        if value and wanted.annotation_wanted(FORMATTED_TERM):
            name = primary_name(record.org_id, value)
            if name is not None:
                out[key + FORMATTED] = name
        if value and wanted.annotation_wanted(LOOKUP_TERM):
            out[key + LOOKUP_NAME] = value["entity"]
        return
    column = table.columns.get(key)
    value = record.data.get(key)
    wanted_label = wanted.annotation_wanted(FORMATTED_TERM)
    if column is not None and column.options and value is not None and wanted_label:
        out[key + FORMATTED] = column.options.get(value, str(value))


def run_query(org: Org, table: Table, params: QueryDict) -> list[Record]:
    """The rows matching $filter, ordered by $orderby, cut at $top."""
    rows = Record.objects.filter(org=org, entity=table.logical)
    if params.get("$filter"):
        predicate, required = compile_with_equalities(
            params["$filter"], lambda name: row_key(table, name)
        )
        records = [r for r in _narrow(rows, table, required) if predicate(flat(table, r))]
    else:
        records = list(rows)
    for key, descending in reversed(_orderby(table, params.get("$orderby", ""))):
        records.sort(key=lambda r, k=key: _sort_value(flat(table, r).get(k)), reverse=descending)
    top = params.get("$top")
    if top is not None:
        if not top.isdigit():
            raise bad_request(f"Invalid value '{top}' for $top query option found.")
        records = records[: int(top)]
    return records


def _narrow(rows: QuerySet, table: Table, required: list[tuple[str, Any]]) -> QuerySet:
    """Let the database drop rows that cannot match, so a lookup by email stays fast.

    The Python predicate still decides; this only has to be no stricter than it.
    """
    for key, value in required:
        if isinstance(value, bool) or not isinstance(value, str | int):
            continue
        if key == table.pk:
            rows = rows.filter(record_id=value) if parse_guid(value) else rows.none()
        elif key.startswith("_") and key.endswith("_value"):
            rows = rows.filter(**{f"data__{key[1:-6]}__id": str(value).lower()})
        elif isinstance(value, int):
            rows = rows.filter(**{f"data__{key}": value})
        elif value.isascii():
            # SQLite's LIKE folds ASCII case only, so other text is left to the predicate.
            rows = rows.filter(**{f"data__{key}__iexact": value})
    return rows


def _orderby(table: Table, raw: str) -> list[tuple[str, bool]]:
    order = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        name, _, direction = part.partition(" ")
        direction = direction.strip().lower() or "asc"
        if direction not in ("asc", "desc"):
            raise bad_request(f"Syntax error in $orderby near '{part}'.")
        order.append((row_key(table, name), direction == "desc"))
    return order


def _sort_value(value: object) -> tuple:
    if value is None:
        return (0, "")
    if isinstance(value, str):
        return (1, value.casefold())
    return (1, value)

"""Checking a create/update body against a table: names, types, lengths, options, bindings."""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from dataverse_sandbox.errors import ApiError, bad_request, too_long, unknown_property
from dataverse_sandbox.schema import BY_SET, TABLES, Column, Table

BIND_RE = re.compile(r"(?:^|/)([A-Za-z_][A-Za-z0-9_]*)\(\{?([0-9a-fA-F-]{36})\}?\)$")


@dataclass
class Binding:
    column: str
    target: str  # logical name of the target table
    target_id: str


@dataclass
class Changes:
    """A body split into plain values, bindings and nested records to insert with it."""

    values: dict[str, Any] = field(default_factory=dict)
    bindings: list[Binding] = field(default_factory=list)
    # single-valued deep insert: column -> (target table, nested body)
    nested: dict[str, tuple[Table, dict]] = field(default_factory=dict)
    # collection deep insert: (child table, child's navigation back to the parent, bodies)
    children: list[tuple[Table, str, list[dict]]] = field(default_factory=list)


def payload_error(table: Table, detail: str) -> ApiError:
    return ApiError(
        400,
        "0x80048d19",
        f"Error identified in Payload provided by the user for Entity :'{table.entity_set}', "
        f"For more information on this error please follow this help link "
        f"https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : "
        f"Microsoft.OData.ODataException: {detail}",
    )


def parse_guid(value: object) -> str | None:
    try:
        return str(uuid.UUID(str(value).strip("{}")))
    except ValueError:
        return None


def split_body(table: Table, body: object, *, creating: bool) -> Changes:
    """Split a request body into Changes, refusing what Dataverse would refuse."""
    if not isinstance(body, dict):
        raise payload_error(table, "The request body must be a JSON object.")
    changes = Changes()
    for key, value in body.items():
        if key.endswith("@odata.bind"):
            changes.bindings.append(parse_binding(table, key.removesuffix("@odata.bind"), value))
        elif "@" in key:
            continue  # instance annotations such as @odata.type carry no column value
        elif key in table.collections and isinstance(value, list):
            child, back = table.collections[key]
            changes.children.append((TABLES[child], back, value))
        elif key in table.navs and isinstance(value, dict):
            column, target = table.navs[key]
            changes.nested[column] = (TABLES[target], value)
        elif key in table.columns and not table.columns[key].is_lookup:
            changes.values[key] = check_value(table, table.columns[key], value, creating=creating)
        else:
            raise unknown_property(key, table.logical)
    return changes


def parse_binding(table: Table, nav: str, value: object) -> Binding:
    if nav not in table.navs:
        raise unknown_property(nav, table.logical)
    column, target = table.navs[nav]
    match = BIND_RE.search(str(value or "").split("?")[0])
    if match is None:
        raise bad_request(
            f"The value '{value}' of '{nav}@odata.bind' is not a valid entity reference: "
            f"use '/{TABLES[target].entity_set}(<guid>)'.",
            "0x80048d19",
        )
    entity_set, target_id = match.groups()
    bound = BY_SET.get(entity_set)
    if bound is None or bound.logical != target:
        raise bad_request(
            f"'{nav}' expects a {target} reference like '/{TABLES[target].entity_set}(<guid>)', "
            f"got '{value}'.",
            "0x80048d19",
        )
    return Binding(column, target, str(uuid.UUID(target_id)))


def check_value(table: Table, column: Column, value: Any, *, creating: bool) -> Any:
    """The value to store for `column`, or ApiError 400."""
    if creating and not column.create or not creating and not column.update:
        verb = "create" if creating else "update"
        raise bad_request(
            f"The '{column.name}' attribute of the '{table.logical}' entity is not valid for "
            f"{verb}: Dataverse sets it.",
            "0x80040203",
        )
    if value is None:
        return None
    checker = CHECKS.get(column.type)
    return checker(table, column, value) if checker else value


def _string(table: Table, column: Column, value: Any) -> str:
    if not isinstance(value, str):
        raise payload_error(table, f"Cannot convert the literal '{value}' to 'Edm.String'.")
    if column.max_length is not None and len(value) > column.max_length:
        raise too_long(column.name, table.logical, column.max_length)
    return value


def _option(table: Table, column: Column, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise payload_error(table, f"Cannot convert the literal '{value}' to 'Edm.Int32'.")
    if value not in column.options:
        accepted = ",".join(str(v) for v in column.options)
        raise bad_request(
            f"A validation error occurred. The value {value} of '{column.name}' on record of "
            f"type '{table.logical}' is outside the valid range. Accepted Values: {accepted}",
            "0x8004431a",
        )
    return value


def _multi_option(table: Table, column: Column, value: Any) -> str:
    parts = str(value).split(",") if isinstance(value, str | int) else None
    if not parts or not all(p.strip().lstrip("-").isdigit() for p in parts):
        raise payload_error(table, f"Cannot convert the literal '{value}' to 'Edm.String'.")
    for part in parts:
        _option(table, column, int(part))
    return ",".join(p.strip() for p in parts)


def _guid(table: Table, column: Column, value: Any) -> str:
    parsed = parse_guid(value) if isinstance(value, str) else None
    if parsed is None:
        raise payload_error(table, f"Cannot convert the literal '{value}' to 'Edm.Guid'.")
    return parsed


def _boolean(table: Table, column: Column, value: Any) -> bool:
    if not isinstance(value, bool):
        raise payload_error(table, f"Cannot convert the literal '{value}' to 'Edm.Boolean'.")
    return value


def _integer(table: Table, column: Column, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise payload_error(table, f"Cannot convert the literal '{value}' to 'Edm.Int32'.")
    return value


CHECKS = {
    "String": _string,
    "Memo": _string,
    "Picklist": _option,
    "State": _option,
    "Status": _option,
    "MultiSelectPicklist": _multi_option,
    "Uniqueidentifier": _guid,
    "Boolean": _boolean,
    "Integer": _integer,
}


def decoded_size(table: Table, documentbody: str) -> int:
    """Bytes in a base64 attachment body, or 400 when it is not base64."""
    try:
        return len(base64.b64decode(documentbody, validate=True))
    except (binascii.Error, ValueError):
        raise bad_request(
            "The 'documentbody' attribute of the 'annotation' entity must be base64-encoded.",
            "0x80040203",
        ) from None

"""Checking one column value: its JSON type, its length in UTF-16 code units, its options."""

from __future__ import annotations

import uuid
from typing import Any

from dataverse_sandbox.errors import ApiError, bad_request, payload_error, too_long
from dataverse_sandbox.facts import Column, Table

JSON_TYPES = ((bool, "Edm.Boolean"), (int, "Edm.Int32"), (float, "Edm.Double"))


def utf16_length(text: str) -> int:
    """Length as Dataverse counts it: .NET strings count UTF-16 code units (an emoji is 2)."""
    # Inferred: Microsoft's pages say "MaxLength" without a unit; Dataverse runs on .NET,
    # whose String.Length counts UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


def mismatch(table: Table, value: Any, expected: str) -> ApiError:
    """The OData reader's refusal of a JSON value of the wrong kind (wrapped as 0x80048d19)."""
    # Wording inferred from the OData library Dataverse uses (Microsoft.OData.Core); the
    # 0x80048d19 wrapper is Dataverse's (errors.CLIENT_ERRORS).
    if isinstance(value, list | dict):
        node = "StartArray" if isinstance(value, list) else "StartObject"
        detail = (
            f"An unexpected '{node}' node was found when reading from the JSON reader. "
            "A 'PrimitiveValue' node was expected."
        )
    elif isinstance(value, str):
        detail = f"Cannot convert the literal '{value}' to the expected type '{expected}'."
    else:
        found = next((edm for kind, edm in JSON_TYPES if isinstance(value, kind)), "null")
        detail = (
            f"Cannot convert a value of type '{found}' to the expected target type '{expected}'."
        )
    return payload_error(table.entity_set, detail)


def check_value(table: Table, column: Column, value: Any, *, creating: bool) -> Any:
    """The value to store for `column`, or the ApiError Dataverse would answer."""
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


def _text(table: Table, column: Column, value: Any) -> str:
    if not isinstance(value, str):
        raise mismatch(table, value, "Edm.String")
    if column.max_length is not None and utf16_length(value) > column.max_length:
        raise too_long(column.name, table.logical, column.max_length)
    return value


def _option(table: Table, column: Column, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise mismatch(table, value, "Edm.Int32")
    if value not in column.options:
        accepted = ",".join(str(v) for v in column.options)
        raise bad_request(
            f"A validation error occurred. The value {value} of '{column.name}' on record of "
            f"type '{table.logical}' is outside the valid range. Accepted Values: {accepted}",
            "0x8004431a",
        )
    return value


def _multi_option(table: Table, column: Column, value: Any) -> str:
    """A choices column takes a string of comma-separated option numbers, nothing else."""
    # Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/multi-select-picklist
    # ("1, 9": spaces after the commas are allowed).
    if not isinstance(value, str):
        raise mismatch(table, value, "Edm.String")
    parts = [p.strip() for p in value.split(",")]
    if not all(p.lstrip("-").isdigit() for p in parts):
        raise bad_request(
            f"'{value}' is not a list of option numbers for '{column.name}': send them as one "
            'string of comma-separated numbers, e.g. "192360000".',
            "0x80040203",
        )
    for part in parts:
        _option(table, column, int(part))
    return ",".join(parts)


def _guid(table: Table, column: Column, value: Any) -> str:
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value.strip("{}")))
        except ValueError:
            pass
    raise mismatch(table, value, "Edm.Guid")


def _boolean(table: Table, column: Column, value: Any) -> bool:
    if not isinstance(value, bool):
        raise mismatch(table, value, "Edm.Boolean")
    return value


def _integer(table: Table, column: Column, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise mismatch(table, value, "Edm.Int32")
    return value


CHECKS = {
    "String": _text,
    "Memo": _text,
    "Picklist": _option,
    "State": _option,
    "Status": _option,
    "MultiSelectPicklist": _multi_option,
    "Uniqueidentifier": _guid,
    "Boolean": _boolean,
    "Integer": _integer,
}

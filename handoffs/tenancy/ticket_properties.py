"""Checking a tenant's ticket_properties (extra case columns) against the org's own metadata.

Everything Dataverse would refuse at handoff time is refused here, at save time, one message per
key, so a mapping never breaks handoffs later.
"""

from __future__ import annotations

import difflib
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from handoffs.dynamics.metadata import Column, TableMetadata
from handoffs.dynamics.schema import utf16_length

BIND_SUFFIX = "@odata.bind"
BIND_VALUE = re.compile(r"^/([A-Za-z0-9_]+)\(([0-9a-fA-F-]{36})\)$")
# Written by the service on every case: a mapping must not fight them. Refused at save time,
# and left out when a case is planned (handoffs.delivery.plan), so an old mapping cannot either.
SERVICE_COLUMNS = frozenset({"incidentid", "title", "description", "customerid"})


def sets_service_column(key: str) -> bool:
    """True when a mapping key would set a column the service writes itself.

    A lookup key is its navigation property, named after the column (customerid_contact).
    """
    name = key.removesuffix(BIND_SUFFIX)
    return any(name == column or name.startswith(f"{column}_") for column in SERVICE_COLUMNS)


TYPE_WORDS = {
    "String": "text",
    "Memo": "multi-line text",
    "Integer": "whole number",
    "BigInt": "whole number",
    "Decimal": "decimal number",
    "Double": "number",
    "Money": "currency amount",
    "Boolean": "true or false",
    "Picklist": "choice (option number)",
    "State": "status (option number)",
    "Status": "status reason (option number)",
    "MultiSelectPicklist": 'choices ("1,2")',
    "DateTime": "date/time (ISO 8601)",
    "Uniqueidentifier": "GUID",
}


@dataclass(frozen=True)
class WritableColumn:
    """A key an admin may use in ticket_properties, with what it takes."""

    key: str
    label: str
    takes: str
    options: dict[int, str]


def _options_text(options: dict[int, str]) -> str:
    return ", ".join(
        f"{value} ({label})" if label else str(value) for value, label in options.items()
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_choice(column: Column, value: Any) -> str:
    if isinstance(value, str):
        for number, label in column.options.items():
            if label.lower() == value.strip().lower():
                return f"Use the option's number, not its label: {label!r} is {number}."
    if not _is_int(value):
        return f"{column.name} is a choice: give the option's number, e.g. {_first(column)}."
    if column.options and value not in column.options:
        return (
            f"{value} is not an option of {column.name} in this org. "
            f"Choose one of: {_options_text(column.options)}."
        )
    return ""


def _first(column: Column) -> int:
    return next(iter(column.options), 1)


def _check_multi(column: Column, value: Any) -> str:
    parts = value.split(",") if isinstance(value, str) else None
    if not parts or not all(p.strip().lstrip("-").isdigit() for p in parts):
        return f'{column.name} takes option numbers separated by commas, e.g. "{_first(column)}".'
    unknown = [p.strip() for p in parts if column.options and int(p) not in column.options]
    if unknown:
        return (
            f"{', '.join(unknown)} is not an option of {column.name} in this org. "
            f"Choose from: {_options_text(column.options)}."
        )
    return ""


def _check_text(column: Column, value: Any) -> str:
    if not isinstance(value, str):
        return f"{column.name} is text: put the value in double quotes."
    length = utf16_length(value)  # as Dataverse counts: an emoji is two
    if column.max_length is not None and length > column.max_length:
        return (
            f"Too long for {column.name}: {length} characters, the column holds at most "
            f"{column.max_length}."
        )
    return ""


def _check_datetime(column: Column, value: Any) -> str:
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
            return ""
        except ValueError:
            try:
                date.fromisoformat(value)
                return ""
            except ValueError:
                pass
    return f'{column.name} is a date: write it as "2025-01-31" or "2025-01-31T09:00:00Z".'


def _check_guid(column: Column, value: Any) -> str:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return f"{column.name} takes a GUID like 00000000-0000-0000-0000-000000000000."
    return ""


def _check_number(column: Column, value: Any) -> str:
    whole = column.type in ("Integer", "BigInt")
    ok = _is_int(value) or (not whole and isinstance(value, float))
    if not ok:
        kind = "a whole number" if whole else "a number"
        return f"{column.name} takes {kind}, without quotes."
    return ""


def _check_boolean(column: Column, value: Any) -> str:
    if not isinstance(value, bool):
        return f"{column.name} takes true or false, without quotes."
    return ""


CHECKS = {
    "String": _check_text,
    "Memo": _check_text,
    "Integer": _check_number,
    "BigInt": _check_number,
    "Decimal": _check_number,
    "Double": _check_number,
    "Money": _check_number,
    "Boolean": _check_boolean,
    "Picklist": _check_choice,
    "State": _check_choice,
    "Status": _check_choice,
    "MultiSelectPicklist": _check_multi,
    "DateTime": _check_datetime,
    "Uniqueidentifier": _check_guid,
}


def _bind_hint(table: TableMetadata, column: str) -> str:
    navs = table.navigations_of(column)
    example = navs[0] if navs else column
    named = " or ".join(f'"{n}{BIND_SUFFIX}"' for n in navs) or f'"{column}{BIND_SUFFIX}"'
    return (
        f"{column} is a lookup: write it as {named} with a value like "
        f'"/<entity set>(<guid>)", e.g. "{example}{BIND_SUFFIX}": "/contacts(<guid>)".'
    )


def declared_navigation(table: TableMetadata, key: str) -> str | None:
    """The declared navigation property a `<lookup column>@odata.bind` key means, if only one.

    Dataverse binds through navigation properties, which are not always named like their column
    (a custom lookup's carries its SchemaName's capitals; a polymorphic one has one per table).
    """
    name = key.removesuffix(BIND_SUFFIX)
    if name in table.navigations:
        return name
    navs = table.navigations_of(name) or [
        nav for nav in table.navigations if nav.lower() == name.lower()
    ]
    return navs[0] if len(navs) == 1 else None


def translate(properties: dict[str, Any], table: TableMetadata) -> tuple[dict[str, Any], list[str]]:
    """The mapping with lookup keys renamed to the navigation properties the org declares.

    Returns (mapping, what was renamed, in words). Keys that cannot be translated stay as they
    are, for validate() to refuse with a clear message.
    """
    renamed: dict[str, Any] = {}
    notes: list[str] = []
    for key, value in properties.items():
        nav = declared_navigation(table, key) if key.endswith(BIND_SUFFIX) else None
        new_key = f"{nav}{BIND_SUFFIX}" if nav else key
        if new_key != key:
            notes.append(f"{key} is saved as {new_key}, the navigation property this org declares.")
        renamed[new_key] = value
    return renamed, notes


def _check_bind(table: TableMetadata, key: str, value: Any) -> str:
    nav = key[: -len(BIND_SUFFIX)]
    if nav not in table.navigations:
        navs = table.navigations_of(nav)
        if len(navs) > 1:
            named = " or ".join(f"{n}{BIND_SUFFIX}" for n in navs)
            return f"{nav} points at more than one table: write {named}."
        lookups = ", ".join(sorted(table.navigations)) or "none"
        return f"{nav} is not a lookup of the case. Lookups you can bind: {lookups}."
    column_name, target = table.navigations[nav]
    column = table.columns.get(column_name)
    if column_name in SERVICE_COLUMNS:
        return f"{column_name} is set by the service on every case; remove it from the mapping."
    if column is not None and not column.valid_for_create:
        return f"Dynamics does not accept {column_name} when a case is created."
    if not isinstance(value, str) or not BIND_VALUE.match(value.strip()):
        return (
            f'{key} takes a reference like "/<entity set of {target or "the target"}>(<guid>)", '
            f'e.g. "/{target or "contact"}s(00000000-0000-0000-0000-000000000000)".'
        )
    return ""


def _unknown(table: TableMetadata, key: str) -> str:
    names = list(table.columns) + [n + BIND_SUFFIX for n in table.navigations]
    close = difflib.get_close_matches(key.lower(), names, n=1)
    hint = f" Did you mean {close[0]}?" if close else ""
    return (
        f"The case has no column named {key} in this org.{hint} Use logical names "
        f"(lowercase; custom columns carry their publisher prefix, e.g. new_)."
    )


def check_property(table: TableMetadata, key: str, value: Any) -> str:
    """The reason Dataverse would refuse `key: value` on a new case, or ''."""
    if key.endswith(BIND_SUFFIX):
        return _check_bind(table, key, value)
    column = table.columns.get(key)
    if column is None:
        return _unknown(table, key)
    if key in SERVICE_COLUMNS:
        return f"{key} is set by the service on every case; remove it from the mapping."
    if column.is_lookup:
        return _bind_hint(table, key)
    if not column.valid_for_create:
        return f"Dynamics does not accept {key} when a case is created (it is read-only)."
    check = CHECKS.get(column.type)
    if check is None:
        return f"{key} ({column.type}) cannot be set through ticket properties."
    return check(column, value)


def validate(properties: Any, table: TableMetadata) -> dict[str, str]:
    """Key → what is wrong with it; empty when Dataverse will accept every key."""
    if not isinstance(properties, dict):
        return {"": 'Ticket properties must be a JSON object, e.g. {"casetypecode": 2}.'}
    problems = {key: check_property(table, key, value) for key, value in properties.items()}
    return {key: problem for key, problem in problems.items() if problem}


def writable_columns(table: TableMetadata) -> list[WritableColumn]:
    """The keys an admin can map, sorted, with what each takes."""
    found: list[WritableColumn] = []
    for column in table.columns.values():
        if not column.valid_for_create or column.name in SERVICE_COLUMNS:
            continue
        if column.is_lookup:
            for nav in table.navigations_of(column.name):
                target = table.navigations[nav][1]
                found.append(
                    WritableColumn(nav + BIND_SUFFIX, column.label, f"lookup to {target}", {})
                )
        elif column.type in CHECKS:
            takes = TYPE_WORDS.get(column.type, column.type)
            if column.max_length:
                takes += f", up to {column.max_length} characters"
            found.append(WritableColumn(column.name, column.label, takes, column.options))
    return sorted(found, key=lambda c: c.key)

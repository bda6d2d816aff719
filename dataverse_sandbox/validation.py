"""Splitting a create/update body by the table's facts: columns, bindings, nested records."""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from dataverse_sandbox.errors import (
    bad_request,
    invalid_property,
    payload_error,
    undeclared_navigation,
)
from dataverse_sandbox.facts import Table
from dataverse_sandbox.schema import BY_SET
from dataverse_sandbox.values import check_value, mismatch

BY_SET_OF = {t.logical: entity_set for entity_set, t in BY_SET.items()}
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


def parse_guid(value: object) -> str | None:
    try:
        return str(uuid.UUID(str(value).strip("{}")))
    except ValueError:
        return None


def split_body(table: Table, body: object, *, creating: bool, tables: dict[str, Table]) -> Changes:
    """Split a request body into Changes, refusing what Dataverse would refuse."""
    if not isinstance(body, dict):
        raise payload_error(table.entity_set, "The request body must be a JSON object.")
    changes = Changes()
    for key, value in body.items():
        if key.endswith("@odata.bind"):
            changes.bindings.append(parse_binding(table, key.removesuffix("@odata.bind"), value))
        elif "@" in key:
            continue  # instance annotations such as @odata.type carry no column value
        elif key in table.collections:
            collection = table.collections[key]
            if not isinstance(value, list):
                expected = f"Collection(Microsoft.Dynamics.CRM.{collection.child})"
                raise mismatch(table, value, expected)
            changes.children.append((tables[collection.child], collection.back, value))
        elif key in table.navs:
            nav = table.navs[key]
            if not isinstance(value, dict):
                raise mismatch(table, value, f"Microsoft.Dynamics.CRM.{nav.target}")
            changes.nested[nav.column] = (tables[nav.target], value)
        elif key in table.columns and not table.columns[key].is_lookup:
            changes.values[key] = check_value(table, table.columns[key], value, creating=creating)
        else:
            # A lookup's logical name is no property either: lookups are set through their
            # navigation properties.
            raise invalid_property(key, table.logical)
    return changes


def parse_binding(table: Table, name: str, value: object) -> Binding:
    """`<name>@odata.bind`: `name` must be a declared single-valued navigation property."""
    nav = table.navs.get(name)
    if nav is None:
        raise undeclared_navigation(table.entity_set, name)
    match = BIND_RE.search(str(value or "").split("?")[0])
    target = BY_SET.get(match.group(1)) if match else None
    if match is None or target is None or target.logical != nav.target:
        expected = BY_SET_OF.get(nav.target, f"{nav.target}s")
        raise payload_error(
            table.entity_set,
            f"The value '{value}' of '{name}@odata.bind' is not a reference to a "
            f"{nav.target}: use '/{expected}(<guid>)'.",
        )
    return Binding(nav.column, nav.target, str(uuid.UUID(match.group(2))))


def decoded_size(documentbody: str) -> int:
    """Bytes in a base64 attachment body, or 400 when it is not base64."""
    try:
        return len(base64.b64decode(documentbody, validate=True))
    except (binascii.Error, ValueError):
        raise bad_request(
            "The 'documentbody' attribute of the 'annotation' entity must be base64-encoded.",
            "0x80040203",
        ) from None

"""Creating, updating and reading rows the way Dataverse does (defaults, bindings, deep insert)."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from dataverse_sandbox.errors import (
    bad_request,
    duplicate_record,
    not_found,
    queue_item_exists,
)
from dataverse_sandbox.facts import Table
from dataverse_sandbox.models import Org, Record, numbered_together, written_in_this_block
from dataverse_sandbox.schema import EXTERNAL_TARGETS, TABLES, tables_for
from dataverse_sandbox.security import Caller, require
from dataverse_sandbox.validation import Changes, decoded_size, parse_guid, split_body


def find(org: Org, table: Table, record_id: str) -> Record | None:
    parsed = parse_guid(record_id)
    if parsed is None:
        return None
    # A deep insert's children are bound to the rows it just wrote: no need to read them back.
    written = written_in_this_block(org.pk, table.logical, parsed)
    if written is not None:
        return written
    return Record.objects.filter(org=org, entity=table.logical, record_id=parsed).first()


def get_or_404(org: Org, table: Table, record_id: str) -> Record:
    record = find(org, table, record_id)
    if record is None:
        raise not_found(table.logical, record_id)
    return record


def now_iso() -> str:
    return timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")


def create(caller: Caller, table: Table, body: object, *, record_id: str | None = None) -> Record:
    """Insert one row (and its deep-inserted relatives) or raise ApiError."""
    require(caller, "Create", table)
    tables = tables_for(caller.org)
    changes = split_body(table, body, creating=True, tables=tables)
    pk = record_id or changes.values.pop(table.pk, None) or str(uuid.uuid4())
    changes.values.pop(table.pk, None)
    # No savepoint: a failure anywhere in a deep insert fails the whole request.
    with transaction.atomic(savepoint=False), numbered_together() as numbering:
        for column, (target, nested_body) in changes.nested.items():
            nested = create(caller, target, nested_body)
            changes.values[column] = {"id": str(nested.record_id), "entity": target.logical}
        data = _initial_data(caller, table, changes)
        record = _insert(caller.org, table, pk, data)
        if table.logical == "incident" and not data.get("ticketnumber"):
            # Inferred: a case number sent on create is kept (the column is valid for create);
            # otherwise the org's auto-numbering makes one, as the create completes.
            numbering.cases.append(record)
        _create_children(caller, table, record, changes)
    return record


def _insert(org: Org, table: Table, pk: str, data: dict) -> Record:
    try:
        return Record.objects.create(org=org, entity=table.logical, record_id=pk, data=data)
    except IntegrityError:
        raise duplicate_record() from None


def _initial_data(caller: Caller, table: Table, changes: Changes) -> dict:
    data = dict(changes.values)
    apply_bindings(caller, table, changes, data)
    stamp = now_iso()
    data.update(createdon=stamp, modifiedon=stamp)
    if "ownerid" in table.columns:
        data.setdefault("ownerid", {"id": caller.user_id, "entity": "systemuser"})
    if "createdby" in table.columns:
        data["createdby"] = {"id": caller.user_id, "entity": "systemuser"}
    if "statecode" in table.columns:
        data.setdefault("statecode", 0)
        data.setdefault("statuscode", 1)
    if table.logical == "incident":
        _new_case(caller, data)
    if table.logical == "queueitem":
        _new_queue_item(caller, data)
    _derive(table, data)
    return data


def _new_case(caller: Caller, data: dict) -> None:
    if not data.get("customerid"):
        raise bad_request("You should specify a parent contact or account.", "0x80040203")
    data.setdefault("prioritycode", 2)  # the page's DefaultFormValue


def _new_queue_item(caller: Caller, data: dict) -> None:
    """One active queue item per record (0x80040526); its title is the record's name."""
    regarding = data.get("objectid") or {}
    if active_queue_item(caller.org, regarding.get("id", "")) is not None:
        raise queue_item_exists()
    target = find(caller.org, TABLES[regarding["entity"]], regarding["id"]) if regarding else None
    if target is not None:
        data["title"] = target.data.get(TABLES[target.entity].primary_name)


def active_queue_item(org: Org, record_id: str) -> Record | None:
    """The active queue item holding `record_id`, if any."""
    items = Record.objects.filter(org=org, entity="queueitem", data__statecode=0)
    return items.regarding(record_id).order_by("created_at", "id").first()


def _derive(table: Table, data: dict) -> None:
    """Columns Dataverse computes from others."""
    if table.logical in ("contact", "systemuser"):
        parts = [data.get("firstname") or "", data.get("lastname") or ""]
        data["fullname"] = " ".join(p for p in parts if p)
    if table.logical == "annotation":
        body = data.get("documentbody")
        data["isdocument"] = bool(body)
        data["filesize"] = decoded_size(body) if body else 0
        regarding = data.get("objectid")
        data["objecttypecode"] = regarding["entity"] if regarding else None


def apply_bindings(caller: Caller, table: Table, changes: Changes, data: dict) -> None:
    """Set each bound lookup; the target must exist (404 0x80040217, as a read would answer)."""
    for binding in changes.bindings:
        target = TABLES.get(binding.target)
        if binding.target not in EXTERNAL_TARGETS:
            if target is None or find(caller.org, target, binding.target_id) is None:
                # Code and wording of ObjectDoesNotExist (errors.not_found); the 404 status
                # for a missing bind target is inferred from how reads answer it.
                raise not_found(binding.target, binding.target_id)
            require(caller, "AppendTo", target)
            require(caller, "Append", table)
        data[binding.column] = {"id": binding.target_id, "entity": binding.target}


def _create_children(caller: Caller, table: Table, parent: Record, changes: Changes) -> None:
    for child_table, back_nav, bodies in changes.children:
        for child_body in bodies:
            if not isinstance(child_body, dict):
                raise bad_request(f"Deep insert into '{table.logical}' needs JSON objects.")
            bound = {
                **child_body,
                f"{back_nav}@odata.bind": f"/{table.entity_set}({parent.record_id})",
            }
            create(caller, child_table, bound)


def update(caller: Caller, table: Table, record: Record, body: object) -> Record:
    """Apply a PATCH body to an existing row."""
    require(caller, "Write", table)
    body = _without_own_key(table, record, body)
    changes = split_body(table, body, creating=False, tables=tables_for(caller.org))
    if changes.nested or changes.children:
        raise bad_request("Deep insert is only supported when creating a record.", "0x80040203")
    data = dict(record.data)
    data.update(changes.values)
    apply_bindings(caller, table, changes, data)
    data["modifiedon"] = now_iso()
    _derive(table, data)
    record.data = data
    record.version += 1
    record.save()
    return record


def _without_own_key(table: Table, record: Record, body: object) -> object:
    if isinstance(body, dict) and parse_guid(body.get(table.pk, "")) == str(record.record_id):
        return {k: v for k, v in body.items() if k != table.pk}
    return body

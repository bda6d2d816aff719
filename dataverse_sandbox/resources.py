"""Entity-set handlers: collection GET/POST and one record's GET/PATCH/DELETE."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest

from dataverse_sandbox import changes, store
from dataverse_sandbox.errors import (
    ApiError,
    bad_request,
    duplicate_record,
    not_found,
    odata_response,
)
from dataverse_sandbox.models import Record
from dataverse_sandbox.prefer import Preferences
from dataverse_sandbox.query import parse_select, run_query, serialize
from dataverse_sandbox.schema import Table
from dataverse_sandbox.security import Caller, require
from dataverse_sandbox.validation import parse_guid


@dataclass
class Call:
    """One Web API request: who calls, what, and the base URL for links."""

    request: HttpRequest
    caller: Caller
    api_base: str  # <environment_url>/api/data/v9.2 as the caller reached it

    @property
    def prefer(self) -> str:
        return self.request.headers.get("Prefer", "")

    @property
    def preferences(self) -> Preferences:
        return Preferences.parse(self.prefer)

    def body(self) -> object:
        try:
            return json.loads(self.request.body or b"null")
        except ValueError:
            raise bad_request("The request body is not valid JSON.", "0x80048d19") from None


def entity_id_url(call: Call, table: Table, record: Record) -> str:
    return f"{call.api_base}/{table.entity_set}({record.record_id})"


def list_records(call: Call, table: Table):
    if changes.is_tracking(call):
        return changes.answer(call, table)
    require(call.caller, "Read", table)
    params = call.request.GET
    select = parse_select(table, params)
    records = run_query(call.caller.org, table, params)
    annotate = call.preferences
    columns = f"({','.join(select)})" if select else ""
    return odata_response(
        200,
        {
            "@odata.context": f"{call.api_base}/$metadata#{table.entity_set}{columns}",
            "value": [serialize(table, r, select, annotate=annotate) for r in records],
        },
    )


def written(call: Call, table: Table, record: Record, *, created: bool):
    """204 + OData-EntityId, or the row itself with Prefer: return=representation."""
    if "return=representation" in call.prefer:
        select = parse_select(table, call.request.GET)
        body = serialize(table, record, select, annotate=call.preferences)
        body = {"@odata.context": f"{call.api_base}/$metadata#{table.entity_set}/$entity", **body}
        headers = {"Preference-Applied": "return=representation"}
        return odata_response(201 if created else 200, body, headers)
    return odata_response(204, None, {"OData-EntityId": entity_id_url(call, table, record)})


def create_record(call: Call, table: Table):
    select_checked = parse_select(table, call.request.GET)  # refuse a bad $select before writing
    del select_checked
    with transaction.atomic():
        record = store.create(call.caller, table, call.body())
    return written(call, table, record, created=True)


def get_record(call: Call, table: Table, record_id: str):
    require(call.caller, "Read", table)
    select = parse_select(table, call.request.GET)
    record = store.get_or_404(call.caller.org, table, record_id)
    body = serialize(table, record, select, annotate=call.preferences)
    context = f"{call.api_base}/$metadata#{table.entity_set}/$entity"
    return odata_response(200, {"@odata.context": context, **body})


def patch_record(call: Call, table: Table, record_id: str):
    """Update, or upsert when the row is missing; If-Match / If-None-Match as conditions."""
    if_match = call.request.headers.get("If-Match", "").strip()
    if_none_match = call.request.headers.get("If-None-Match", "").strip()
    with transaction.atomic():
        record = store.find(call.caller.org, table, record_id)
        if record is None:
            if if_match:
                raise not_found(table.logical, record_id)
            record = store.create(call.caller, table, call.body(), record_id=_guid(record_id))
            return written(call, table, record, created=True)
        if if_none_match == "*":
            raise duplicate_record()
        if if_match and if_match != "*" and if_match != f'W/"{record.version}"':
            raise ApiError(
                412,
                "0x80060882",
                "The version of the existing record doesn't match the RowVersion property "
                "provided.",
            )
        record = store.update(call.caller, table, record, call.body())
    return written(call, table, record, created=False)


def delete_record(call: Call, table: Table, record_id: str):
    require(call.caller, "Delete", table)
    record = store.get_or_404(call.caller.org, table, record_id)
    record.delete()
    return odata_response(204)


def _guid(record_id: str) -> str:
    parsed = parse_guid(record_id)
    if parsed is None:
        raise bad_request(f"'{record_id}' is not a valid record id: use a GUID.")
    return parsed

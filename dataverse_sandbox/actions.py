"""Functions and actions: WhoAmI, AddToQueue, RetrieveUserPrivileges."""

from __future__ import annotations

import json
import uuid

from django.db import transaction

from dataverse_sandbox import store
from dataverse_sandbox.errors import ApiError, bad_request, not_found
from dataverse_sandbox.models import Record, UserRole
from dataverse_sandbox.schema import QUEUE, QUEUEITEM, SYSTEMUSER, TABLES
from dataverse_sandbox.security import Caller, privilege_id, require
from dataverse_sandbox.validation import parse_guid


def who_am_i(caller: Caller, context_base: str) -> dict:
    """The calling application user, its business unit and the organization."""
    return {
        "@odata.context": f"{context_base}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse",
        "BusinessUnitId": str(caller.org.business_unit_id),
        "UserId": caller.user_id,
        "OrganizationId": str(caller.org.organization_id),
    }


def _target(caller: Caller, body: dict) -> Record:
    target = body.get("Target")
    if not isinstance(target, dict):
        raise bad_request("AddToQueue needs a 'Target' entity reference.", "0x80040203")
    logical = str(target.get("@odata.type", "")).removeprefix("#").split(".")[-1]
    table = TABLES.get(logical)
    if table is None or logical not in ("incident", "msdyn_ocliveworkitem"):
        raise bad_request(
            "AddToQueue's Target needs '@odata.type': 'Microsoft.Dynamics.CRM.incident' (or "
            "msdyn_ocliveworkitem) and its primary key.",
            "0x80040203",
        )
    record_id = target.get(table.pk)
    record = store.find(caller.org, table, str(record_id))
    if record is None:
        raise not_found(table.logical, record_id)
    return record


def add_to_queue(caller: Caller, queue_id: str, raw_body: bytes, context_base: str) -> dict:
    """Put a case or conversation in a queue (moving it from another one); 0x80040526 if there."""
    queue = store.get_or_404(caller.org, QUEUE, queue_id)
    try:
        body = json.loads(raw_body or b"{}")
    except ValueError:
        raise bad_request("The request body is not valid JSON.", "0x80048d19") from None
    require(caller, "AppendTo", QUEUE)
    require(caller, "Create", QUEUEITEM)
    with transaction.atomic():
        target = _target(caller, body if isinstance(body, dict) else {})
        item = _existing_item(caller, target)
        if item is not None and item.data["queueid"]["id"] == str(queue.record_id):
            raise ApiError(
                400,
                "0x80040526",
                f"The {target.entity} is already in the queue '{queue.data.get('name')}'.",
            )
        if item is None:
            item = _new_item(caller, target, queue)
        else:
            item.data["queueid"] = {"id": str(queue.record_id), "entity": "queue"}
            item.data["modifiedon"] = store.now_iso()
            item.version += 1
            item.save()
    return {
        "@odata.context": f"{context_base}/$metadata#Microsoft.Dynamics.CRM.AddToQueueResponse",
        "QueueItemId": str(item.record_id),
    }


def _existing_item(caller: Caller, target: Record) -> Record | None:
    items = Record.objects.filter(
        org=caller.org, entity=QUEUEITEM.logical, data__objectid__id=str(target.record_id)
    )
    return items.order_by("created_at", "id").first()


def _new_item(caller: Caller, target: Record, queue: Record) -> Record:
    table = TABLES[target.entity]
    stamp = store.now_iso()
    return Record.objects.create(
        org=caller.org,
        entity=QUEUEITEM.logical,
        record_id=uuid.uuid4(),
        data={
            "queueid": {"id": str(queue.record_id), "entity": "queue"},
            "objectid": {"id": str(target.record_id), "entity": target.entity},
            "objecttypecode": target.entity,
            "title": target.data.get(table.primary_name),
            "createdon": stamp,
            "modifiedon": stamp,
        },
    )


def retrieve_user_privileges(caller: Caller, user_id: str, context_base: str) -> dict:
    """The privileges a user holds through its roles (all at Global depth)."""
    require(caller, "Read", SYSTEMUSER)
    if parse_guid(user_id) is None or store.find(caller.org, SYSTEMUSER, user_id) is None:
        raise not_found("systemuser", user_id)
    names: set[str] = set()
    for user_role in UserRole.objects.filter(org=caller.org, systemuserid=parse_guid(user_id)):
        names.update(user_role.role.privileges)
    return {
        "@odata.context": (
            f"{context_base}/$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse"
        ),
        "RolePrivileges": [
            {
                "Depth": "Global",
                "PrivilegeId": privilege_id(name),
                "BusinessUnitId": str(caller.org.business_unit_id),
                "PrivilegeName": name,
            }
            for name in sorted(names)
        ],
    }

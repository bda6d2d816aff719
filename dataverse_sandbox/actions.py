"""Functions and actions: WhoAmI, AddToQueue, RetrieveUserPrivileges."""

from __future__ import annotations

import json
import uuid

from django.db import transaction

from dataverse_sandbox import store
from dataverse_sandbox.errors import bad_request, not_found, queue_item_exists
from dataverse_sandbox.models import Record, UserRole
from dataverse_sandbox.schema import QUEUE, QUEUEITEM, SYSTEMUSER, TABLES
from dataverse_sandbox.security import (
    ORGANIZATION_OTC,
    READ_ORGANIZATION,
    Caller,
    privilege_id,
    require,
    require_privilege,
)
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
    """Put a case or conversation in a queue, moving it from another one.

    Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/reference/addtoqueue
    ("Moves an entity record from a source queue to a destination queue").
    """
    queue = store.get_or_404(caller.org, QUEUE, queue_id)
    try:
        body = json.loads(raw_body or b"{}")
    except ValueError:
        raise bad_request("The request body is not valid JSON.", "0x80048d19") from None
    # The one privilege Microsoft lists for AddToQueue (primary entity queueitem):
    # https://learn.microsoft.com/en-us/previous-versions/dynamicscrm-2013/developers-guide/gg334652(v=crm.6)
    require(caller, "AppendTo", QUEUE)
    with transaction.atomic():
        target = _target(caller, body if isinstance(body, dict) else {})
        item = store.active_queue_item(caller.org, str(target.record_id))
        if item is not None and item.data["queueid"]["id"] == str(queue.record_id):
            # Inferred: Microsoft's pages do not say what a second AddToQueue to the same
            # queue answers; one active queue item per record is the documented rule.
            raise queue_item_exists()
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
            "title": target.data.get(table.primary_name),
            "statecode": 0,
            "statuscode": 1,
            "createdon": stamp,
            "modifiedon": stamp,
        },
    )


def retrieve_user_privileges(caller: Caller, user_id: str, context_base: str) -> dict:
    """The privileges a user holds through its roles (all at Global depth)."""
    # Reference: https://learn.microsoft.com/en-us/previous-versions/dynamicscrm-2016/developers-guide/gg309700(v=crm.8)
    # (prvReadUser and prvReadOrganization).
    require(caller, "Read", SYSTEMUSER)
    require_privilege(caller, READ_ORGANIZATION, ORGANIZATION_OTC, "organization")
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

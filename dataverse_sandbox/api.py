"""The Web API entry point: authenticate, apply the org's faults, route, count."""

from __future__ import annotations

import logging
import re

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from dataverse_sandbox import actions, cases, faults, metadata, resources
from dataverse_sandbox.errors import ApiError, error_response, odata_response, resource_not_found
from dataverse_sandbox.models import Org
from dataverse_sandbox.resources import Call
from dataverse_sandbox.schema import has_table, table_for_set, tables_for
from dataverse_sandbox.security import authenticate

logger = logging.getLogger(__name__)

GUID = r"\{?([0-9a-fA-F-]{36})\}?"
WHO_AM_I = re.compile(r"^WhoAmI(\(\))?$")
CLOSE_INCIDENT = re.compile(r"^CloseIncident$")
ADD_TO_QUEUE = re.compile(rf"^queues\({GUID}\)/Microsoft\.Dynamics\.CRM\.AddToQueue$")
PRIVILEGES = re.compile(
    rf"^systemusers\({GUID}\)/Microsoft\.Dynamics\.CRM\.RetrieveUserPrivileges(\(\))?$"
)
DEFINITION = re.compile(
    r"^EntityDefinitions\(LogicalName='(\w+)'\)"
    r"(?:/(Attributes|ManyToOneRelationships)"
    r"(?:\(LogicalName='(\w+)'\))?(?:/Microsoft\.Dynamics\.CRM\.(\w+))?)?$"
)
BY_ID = re.compile(r"^(\w+)\(([^)]*)\)$")
COLLECTION = re.compile(r"^(\w+)$")


def method_not_allowed(method: str) -> ApiError:
    return ApiError(
        405, "0x80060888", f"The requested resource does not support http method '{method}'."
    )


@csrf_exempt
def dispatch(request: HttpRequest, org: str, resource: str) -> HttpResponse:
    """Answer one Web API request for the org named in the URL."""
    arrived = timezone.now()
    sandbox_org = Org.objects.filter(slug=org).first()
    if sandbox_org is None:
        return error_response(ApiError(404, "0x80060888", f"No sandbox organization '{org}'."))
    fault = ""
    try:
        caller = authenticate(request, sandbox_org)
        org_faults = faults.faults_for(sandbox_org)
        with faults.concurrency_slot(sandbox_org, org_faults) as refusal:
            if refusal is not None:
                fault = "concurrency"
                raise refusal
            fault = faults.next_fault(org_faults) if org_faults else ""
            faults.add_latency(org_faults, fault)
            if fault == faults.CUT and faults.drop_connection(request):
                raise faults.Cut
            if fault == faults.THROTTLE:
                raise faults.throttled(org_faults)
            if fault == faults.UNAVAILABLE:
                raise faults.unavailable()
            api_base = request.build_absolute_uri(f"/sandbox/{org}/api/data/v9.2")
            response = route(Call(request, caller, api_base), resource)
    except faults.Cut:
        response = HttpResponse(status=204)  # the connection is gone before anything happened
    except ApiError as exc:
        response = error_response(exc)
    except Exception:
        # A sandbox bug still answers like the service does (a retryable 500), and says so here.
        logger.exception("sandbox: %s %s failed", request.method, request.path)
        response = error_response(ApiError(500, "0x80040216", "An unexpected error occurred."))
    if fault == faults.DROP and faults.drop_connection(request):
        response = HttpResponse(status=204)  # never reaches the client
    faults.log_request(
        sandbox_org, "api", request.method, request.path, response.status_code, fault, arrived
    )
    return response


def route(call: Call, resource: str) -> HttpResponse:
    method = call.request.method
    base = call.api_base
    if WHO_AM_I.match(resource):
        _only(method, "GET")
        return odata_response(200, actions.who_am_i(call.caller, base))
    if CLOSE_INCIDENT.match(resource):
        _only(method, "POST")
        cases.close_incident(call.caller, call.request.body)
        return odata_response(204)
    if match := ADD_TO_QUEUE.match(resource):
        _only(method, "POST")
        body = actions.add_to_queue(call.caller, match.group(1), call.request.body, base)
        return odata_response(200, body)
    if match := PRIVILEGES.match(resource):
        _only(method, "GET")
        return odata_response(200, actions.retrieve_user_privileges(call.caller, match[1], base))
    if match := DEFINITION.match(resource):
        _only(method, "GET")
        return definitions(call, *match.groups())
    if match := BY_ID.match(resource):
        table = _table(call, match.group(1))
        handler = {
            "GET": resources.get_record,
            "PATCH": resources.patch_record,
            "DELETE": resources.delete_record,
        }.get(method)
        if handler is None:
            raise method_not_allowed(method)
        return handler(call, table, match.group(2))
    if match := COLLECTION.match(resource):
        table = _table(call, match.group(1))
        handler = {"GET": resources.list_records, "POST": resources.create_record}.get(method)
        if handler is None:
            raise method_not_allowed(method)
        return handler(call, table)
    raise resource_not_found(resource)


def _only(method: str, allowed: str) -> None:
    if method != allowed:
        raise method_not_allowed(method)


def _table(call: Call, entity_set: str):
    table = table_for_set(call.caller.org, entity_set)
    if table is None:
        raise resource_not_found(entity_set)
    return table


def definitions(
    call: Call, logical: str, part: str | None, only: str | None, cast: str | None
) -> HttpResponse:
    if not has_table(call.caller.org, logical):
        raise ApiError(
            404, "0x80040217", f"Could not find an entity with the logical name '{logical}'."
        )
    table = tables_for(call.caller.org)[logical]
    params = call.request.GET
    prefix = f"{call.api_base}/$metadata#EntityDefinitions('{logical}')"
    if not part:
        body = metadata.select_keys(metadata.entity(table), params, ("MetadataId",))
        return odata_response(200, {"@odata.context": f"{prefix}/$entity", **body})
    if part == "ManyToOneRelationships":
        rows = metadata.many_to_one(table, params)
        return odata_response(200, {"@odata.context": f"{prefix}/{part}", "value": rows})
    rows = metadata.attributes(table, params, only=only, cast=cast)
    if only is not None:
        return odata_response(200, {"@odata.context": f"{prefix}/Attributes/$entity", **rows[0]})
    return odata_response(200, {"@odata.context": f"{prefix}/Attributes", "value": rows})

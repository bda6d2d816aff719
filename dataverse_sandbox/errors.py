"""Web API answers shaped like Dataverse's: OData headers and {"error": {"code", "message"}}.

Each refusal carries the status, code and wording Dataverse uses, with where it was seen.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

ODATA_JSON = "application/json; odata.metadata=minimal"
# Status, code and wording of client errors, as Microsoft's troubleshooting page shows them.
CLIENT_ERRORS = (
    "https://learn.microsoft.com/en-us/troubleshoot/power-platform/dataverse/"
    "dataverse-web-api-and-sdk/web-api-client-errors"
)
# Error names, codes and catalog messages.
ERROR_CODES = (
    "https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/"
    "web-service-error-codes"
)
PAYLOAD_HELP = "https://go.microsoft.com/fwlink/?linkid=2195293"


class ApiError(Exception):
    """A refusal the Web API answers with `status` and a Dataverse error code."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def odata_response(status: int, body: Any = None, headers: dict[str, str] | None = None):
    """An OData JSON response (or an empty one when `body` is None)."""
    content = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
    response = HttpResponse(content, status=status)
    if body is not None:
        response["Content-Type"] = ODATA_JSON
    else:
        del response["Content-Type"]
    response["OData-Version"] = "4.0"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(error: ApiError):
    body = {"error": {"code": error.code, "message": error.message}}
    return odata_response(error.status, body, error.headers)


def not_found(table_logical: str, record_id: object) -> ApiError:
    """404 0x80040217 ObjectDoesNotExist, worded as Dataverse words it (ERROR_CODES)."""
    return ApiError(404, "0x80040217", f"{table_logical} With Id = {record_id} Does Not Exist")


def payload_error(entity_set: str, detail: str) -> ApiError:
    """400 0x80048d19: the OData reader refused the body (CLIENT_ERRORS)."""
    return ApiError(
        400,
        "0x80048d19",
        f"Error identified in Payload provided by the user for Entity :'{entity_set}', "
        f"For more information on this error please follow this help link {PAYLOAD_HELP}  "
        f"---->  InnerException : Microsoft.OData.ODataException: {detail}",
    )


def undeclared_navigation(entity_set: str, name: str) -> ApiError:
    """`<name>@odata.bind` where `name` is no navigation property of the table (CLIENT_ERRORS)."""
    return payload_error(
        entity_set,
        f"An undeclared property '{name}' which only has property annotations in the payload "
        "but no property value was found in the payload. In OData, only declared navigation "
        "properties and declared named streams can be represented as properties without "
        "values.",
    )


def invalid_property(name: str, table_logical: str) -> ApiError:
    """A body key that is no column of the table: 400, code 0x0 (CLIENT_ERRORS)."""
    return ApiError(
        400,
        "0x0",
        "An error occurred while validating input parameters: Microsoft.Crm.CrmException: "
        f"Invalid property '{name}' was found in entity 'Microsoft.Dynamics.CRM.{table_logical}'."
        " ---> Microsoft.OData.ODataException: Does not support untyped value in non-open type.",
    )


def unknown_property(name: str, table_logical: str) -> ApiError:
    """A $select/$filter/$orderby name that is no property of the table."""
    # Wording: CLIENT_ERRORS. Its example shows code 0x0, but current services answer query
    # option errors with 0x80060888 (e.g. https://github.com/microsoft/PowerAppsCodeApps/issues/395)
    # and public clients note that code for this very message; the sandbox follows the service.
    return ApiError(
        400,
        "0x80060888",
        f"Could not find a property named '{name}' on type "
        f"'Microsoft.Dynamics.CRM.{table_logical}'.",
    )


def resource_not_found(segment: str) -> ApiError:
    """An entity set, function or action the org does not have: 404 0x8006088a (CLIENT_ERRORS)."""
    return ApiError(404, "0x8006088a", f"Resource not found for the segment '{segment}'.")


def bad_request(message: str, code: str = "0x80060888") -> ApiError:
    """400 with a sandbox-worded message, for cases Microsoft's pages do not word.

    The default code is the one OData query errors carry (observed, see unknown_property);
    body problems pass 0x80040203 (InvalidArgument, ERROR_CODES).
    """
    return ApiError(400, code, message)


def duplicate_record() -> ApiError:
    """412 0x80040237 DuplicateRecord, on a second create with the same key."""
    # Status and wording: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api
    return ApiError(412, "0x80040237", "A record with matching key values already exists.")


def too_long(column: str, table_logical: str, limit: int) -> ApiError:
    """A text longer than the column's MaxLength (counted in UTF-16 code units)."""
    # Wording as Dataverse answers it, two spaces included; seen in
    # https://github.com/microsoft/powerapps-tools/issues/403 and in
    # https://github.com/microsoft/Power-CAT-Copilot-Studio-Kit/issues/321.
    return ApiError(
        400,
        "0x80044331",
        "A validation error occurred.  The length of the "
        f"'{column}' attribute of the '{table_logical}' entity exceeded the maximum allowed "
        f"length of '{limit}'.",
    )


def queue_item_exists() -> ApiError:
    """0x80040526 ActiveQueueItemAlreadyExists, with its catalog message (ERROR_CODES).

    The status is inferred: Microsoft's pages do not show this answer's status.
    """
    return ApiError(
        400,
        "0x80040526",
        "An active queue item already exists for the given object. Cannot create more than one "
        "active queue item for this object.",
    )

"""Web API answers shaped like Dataverse's: OData headers and {"error": {"code", "message"}}."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

ODATA_JSON = "application/json; odata.metadata=minimal"


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
    return ApiError(404, "0x80040217", f"{table_logical} With Id = {record_id} Does Not Exist")


def unknown_property(name: str, table_logical: str) -> ApiError:
    return ApiError(
        400,
        "0x80060888",
        f"Could not find a property named '{name}' on type "
        f"'Microsoft.Dynamics.CRM.{table_logical}'.",
    )


def bad_request(message: str, code: str = "0x80060888") -> ApiError:
    return ApiError(400, code, message)


def duplicate_record() -> ApiError:
    return ApiError(412, "0x80040237", "A record with matching key values already exists.")


def too_long(column: str, table_logical: str, limit: int) -> ApiError:
    return ApiError(
        400,
        "0x80044331",
        "A validation error occurred.  The length of the "
        f"'{column}' attribute of the '{table_logical}' entity exceeded the maximum allowed "
        f"length of '{limit}'.",
    )

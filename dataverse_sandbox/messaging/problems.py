"""Messaging API refusals: RFC 7807 bodies carrying the 300xx code, and a correlation id.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/error-handling
The page names the codes and says bodies follow RFC 7807, not which member holds the code. The
sandbox puts it in an extension member `errorCode` (a number) by default, RFC 7807's place for
extra data; the org's `error_code_in` switch moves it into `title` or the front of `detail`.
"""

from __future__ import annotations

import json
import uuid

from django.http import HttpResponse

from dataverse_sandbox.messaging.facts import ERRORS

PROBLEM_JSON = "application/problem+json"
RFC9110 = "https://tools.ietf.org/html/rfc9110#section-"
# status: (title, type). The type URIs are the ones ASP.NET Core's problem details use
# (inferred: the page's own sample carries a placeholder).
STATUSES = {
    400: ("Bad Request", f"{RFC9110}15.5.1"),
    401: ("Unauthorized", f"{RFC9110}15.5.2"),
    404: ("Not Found", f"{RFC9110}15.5.5"),
    405: ("Method Not Allowed", f"{RFC9110}15.5.6"),
    429: ("Too Many Requests", "https://tools.ietf.org/html/rfc6585#section-4"),
    500: ("Internal Server Error", f"{RFC9110}15.6.1"),
    503: ("Service Unavailable", f"{RFC9110}15.6.4"),
}


class MessagingError(Exception):
    """A refusal: HTTP status, optional 300xx code, what was wrong, extra headers."""

    def __init__(
        self,
        status: int,
        detail: str,
        code: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.headers = headers or {}


def coded(code: int, detail: str = "") -> MessagingError:
    """The documented refusal for a 300xx code, with `detail` saying what exactly was wrong."""
    status, message = ERRORS[code]
    return MessagingError(status, f"{message} {detail}".strip(), code)


def problem_body(error: MessagingError, code_in: str = "errorCode") -> dict:
    """The RFC 7807 body for `error`, the code placed as the org's switch says."""
    title, type_uri = STATUSES.get(error.status, ("Error", "about:blank"))
    detail = error.detail
    body: dict = {"type": type_uri, "title": title}
    if error.code is not None and code_in == "title":
        body["title"] = str(error.code)
    elif error.code is not None and code_in == "detail":
        detail = f"{error.code}: {detail}"
    body["status"] = error.status
    body["detail"] = detail
    if error.code is not None and code_in == "errorCode":
        body["errorCode"] = error.code
    return body


def problem_response(error: MessagingError, code_in: str = "errorCode") -> HttpResponse:
    """The HTTP answer for `error`, with the x-ms-correlation-id every failure carries."""
    content = json.dumps(problem_body(error, code_in), ensure_ascii=False).encode()
    response = HttpResponse(content, status=error.status, content_type=PROBLEM_JSON)
    response["x-ms-correlation-id"] = str(uuid.uuid4())
    for name, value in error.headers.items():
        response[name] = value
    return response


def json_response(body: object, status: int = 200) -> HttpResponse:
    content = json.dumps(body, ensure_ascii=False).encode()
    return HttpResponse(content, status=status, content_type="application/json; charset=utf-8")

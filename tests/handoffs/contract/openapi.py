"""docs/openapi.yaml as a checker: real answers and callback bodies must match what it promises."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.http import HttpResponse
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_PATH = Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"
BASE = "urn:opencx-handoffs-openapi"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    # RFC 3339 date-times as Python reads them (without another package for the check).
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None or "T" not in value:
            raise ValueError(f"{value!r} is not an RFC 3339 date-time with an offset")
    return True


@cache
def document() -> dict:
    """The parsed document."""
    return yaml.safe_load(DOCUMENT_PATH.read_text())


def escape(token: str) -> str:
    """A JSON pointer token for a key such as a path template (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def _at(pointer: str) -> Any:
    node: Any = document()
    for token in pointer.lstrip("/").split("/") if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def follow(pointer: str) -> tuple[str, Any]:
    """The node at `pointer` with $refs followed, and the pointer where it really lives."""
    node = _at(pointer)
    while isinstance(node, dict) and "$ref" in node:
        pointer = node["$ref"].removeprefix("#")
        node = _at(pointer)
    return pointer, node


def schema_errors(pointer: str, instance: Any) -> list[str]:
    """Every way `instance` breaks the schema at `pointer` (empty when it conforms)."""
    resource = Resource.from_contents(document(), default_specification=DRAFT202012)
    registry = Registry().with_resource(BASE, resource)
    validator = Draft202012Validator(
        {"$ref": f"{BASE}#{pointer}"}, registry=registry, format_checker=FORMATS
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def operations() -> list[tuple[str, str, str, dict]]:
    """(path template, method, operation pointer, operation) for every documented operation."""
    found = []
    for template in document()["paths"]:
        item_pointer, item = follow(f"/paths/{escape(template)}")
        for method in METHODS:
            if method in item:
                found.append((template, method, f"{item_pointer}/{method}", item[method]))
    return found


def planned(template: str) -> bool:
    """Whether the path is documented ahead of being served (`x-planned: true`)."""
    return bool(follow(f"/paths/{escape(template)}")[1].get("x-planned"))


def documented_answers(template: str, method: str) -> set[tuple[int, str | None]]:
    """(status, error code or None) for every answer documented for the operation."""
    item_pointer, _ = follow(f"/paths/{escape(template)}")
    _, responses = follow(f"{item_pointer}/{method}/responses")
    answers: set[tuple[int, str | None]] = set()
    for status in responses:
        _, response = follow(f"{item_pointer}/{method}/responses/{status}")
        answers |= {(int(status), code) for code in response_codes(response)}
    return answers


def response_codes(response: dict) -> list[str | None]:
    """The error codes a documented response narrows its schema to, or [None] for a success."""
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    for part in schema.get("allOf", []):
        code = part.get("properties", {}).get("error", {}).get("properties", {}).get("code", {})
        if "enum" in code:
            return list(code["enum"])
    return [None]


def _check_json(response: HttpResponse, pointer: str, spec: dict) -> list[str]:
    problems = []
    for name, header in spec.get("headers", {}).items():
        header_pointer, header = follow(f"{pointer}/headers/{escape(name)}")
        if name not in response:
            problems.append(f"header {name} missing")
        else:
            problems += schema_errors(f"{header_pointer}/schema", response[name])
    if "content" in spec:
        if response["Content-Type"] != "application/json":
            return [*problems, f"Content-Type is {response['Content-Type']}"]
        body = json.loads(response.content)
        problems += schema_errors(f"{pointer}/content/application~1json/schema", body)
    return problems


def answer_problems(response: HttpResponse, template: str, method: str) -> list[str]:
    """How a real answer departs from the operation's documented answer for its status."""
    item_pointer, _ = follow(f"/paths/{escape(template)}")
    responses_pointer = f"{item_pointer}/{method.lower()}/responses"
    status = str(response.status_code)
    if status not in _at(responses_pointer):
        return [f"status {status} is not documented for {method.upper()} {template}"]
    pointer, spec = follow(f"{responses_pointer}/{status}")
    return _check_json(response, pointer, spec)


def component_answer_problems(response: HttpResponse, name: str) -> list[str]:
    """How a real answer departs from a documented components/responses entry."""
    pointer, spec = follow(f"/components/responses/{escape(name)}")
    return _check_json(response, pointer, spec)


def event_problems(name: str, body: Any, headers: dict[str, str]) -> list[str]:
    """How a callback sent to OpenCX departs from the documented webhook `name`."""
    pointer, item = follow(f"/webhooks/{escape(name)}")
    problems = schema_errors(f"{pointer}/post/requestBody/content/application~1json/schema", body)
    for index, _ in enumerate(item["post"].get("parameters", [])):
        parameter_pointer, parameter = follow(f"{pointer}/post/parameters/{index}")
        value = headers.get(parameter["name"])
        if value is None:
            problems.append(f"header {parameter['name']} missing")
        else:
            problems += schema_errors(f"{parameter_pointer}/schema", value)
    if headers.get("X-OpenCX-Event") != name:
        problems.append(f"X-OpenCX-Event is {headers.get('X-OpenCX-Event')!r}, not {name!r}")
    event_id = body.get("event_id") if isinstance(body, dict) else None
    if event_id is not None and event_id != headers.get("X-OpenCX-Event-Id"):
        problems.append("the body's event_id differs from X-OpenCX-Event-Id")
    return problems

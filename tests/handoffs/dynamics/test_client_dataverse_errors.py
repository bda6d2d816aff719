"""Dataverse refusals are classified by status and error.code, retryable or not."""

from __future__ import annotations

import pytest
import requests

from handoffs.errors import HandoffError
from tests.handoffs.dynamics.fakes import dataverse_error

PRIVILEGE_MESSAGE = (
    "Principal user (Id=0a1b, type=8, roleCount=1, privilegeCount=0, accessMode=4), is missing "
    "prvCreateIncident privilege (Id=9f2c) on OTC=112 for entity 'incident'."
)


@pytest.mark.parametrize(
    ("status", "code", "message", "expected", "retryable"),
    [
        (403, "0x80072560", "The user is not a member of the organization.",
         "dataverse_no_application_user", False),
        (403, "0x80040220", PRIVILEGE_MESSAGE, "dataverse_missing_privilege", False),
        (403, "0x80040000", "Access denied.", "dataverse_forbidden", False),
        (404, "0x80040217", "queue With Id = 1 Does Not Exist", "dataverse_not_found", False),
        (412, "0x80040237", "A record with matching key values already exists.",
         "dataverse_duplicate_record", False),
        (400, "0x80044331", "The length of the 'title' attribute of the 'incident' entity "
         "exceeded the maximum allowed length of '200'.", "dataverse_value_too_long", False),
        (400, "0x80060888", "Could not find a property named 'new_x' on type "
         "'Microsoft.Dynamics.CRM.incident'.", "dataverse_unknown_property", False),
        (400, "", "You should specify a parent contact or account.",
         "dataverse_customer_required", False),
        (400, "0x80040265", "A plug-in said no.", "dataverse_bad_request", False),
        (429, "0x80072322", "Number of requests exceeded the limit.", "rate_limited", True),
        (500, "", "Internal error", "dataverse_unavailable", True),
        (503, "", "Service unavailable", "dataverse_unavailable", True),
        (405, "", "Method not allowed", "dataverse_rejected", False),
    ],
)  # fmt: skip
def test_it_classifies_each_dataverse_refusal(
    client, dynamics, status, code, message, expected, retryable
):
    dynamics.add("POST", "incidents", status=status, body=dataverse_error(code, message))

    with pytest.raises(HandoffError) as caught:
        client.post("incidents", {"title": "x"})

    assert caught.value.code == expected
    assert caught.value.retryable is retryable
    assert caught.value.http_status == status
    assert caught.value.hint


def test_it_names_the_missing_privilege(client, dynamics):
    dynamics.add("POST", "incidents", 403, dataverse_error("0x80040220", PRIVILEGE_MESSAGE))

    with pytest.raises(HandoffError) as caught:
        client.post("incidents", {})

    assert "prvCreateIncident on incident" in caught.value.message


def test_it_quotes_the_column_that_is_too_long(client, dynamics):
    text = "The length of the 'title' attribute of the 'incident' entity exceeded 200."
    dynamics.add("POST", "incidents", 400, dataverse_error("0x80044331", text))

    with pytest.raises(HandoffError) as caught:
        client.post("incidents", {})

    assert "'title' attribute" in caught.value.message


def test_it_keeps_retry_after_from_a_throttled_answer(client, dynamics):
    dynamics.add(
        "GET",
        "WhoAmI",
        429,
        dataverse_error("0x80072322", "Too many"),
        headers={"Retry-After": "42"},
    )

    with pytest.raises(HandoffError) as caught:
        client.get("WhoAmI")

    assert caught.value.code == "rate_limited"
    assert caught.value.retry_after == 42.0


def test_it_tells_an_org_without_omnichannel_to_write_chats_as_cases(client, dynamics):
    message = "Resource not found for the segment 'msdyn_ocliveworkitems'."
    dynamics.add("POST", "msdyn_ocliveworkitems", 404, dataverse_error("0x80060888", message))

    with pytest.raises(HandoffError) as caught:
        client.post("msdyn_ocliveworkitems", {})

    assert caught.value.code == "omnichannel_not_installed"
    assert "Case" in caught.value.hint


@pytest.mark.parametrize(
    ("failure", "expected"),
    [(requests.ConnectTimeout(), "timeout"), (requests.ConnectionError(), "connection_failed")],
)
def test_it_retries_when_nothing_answers(client, dynamics, failure, expected):
    dynamics.mock.add("GET", dynamics.api("WhoAmI"), body=failure)

    with pytest.raises(HandoffError) as caught:
        client.get("WhoAmI")

    assert caught.value.code == expected
    assert caught.value.retryable is True


def test_it_refuses_an_answer_that_is_not_json(client, dynamics):
    dynamics.mock.add("GET", dynamics.api("WhoAmI"), body="<html>portal</html>")

    with pytest.raises(HandoffError) as caught:
        client.get("WhoAmI")

    assert caught.value.code == "dataverse_unexpected_response"

"""docs/openapi.yaml is a valid OpenAPI 3.1 document that names what the product really has."""

from __future__ import annotations

from openapi_spec_validator import validate

from handoffs import channels
from handoffs.models import HandoffSession
from tests.handoffs.contract.openapi import document, follow, schema_errors


def test_it_is_a_valid_openapi_3_1_document():
    validate(document())

    assert document()["openapi"].startswith("3.1.")


def test_it_lists_exactly_the_channels_of_the_registry():
    assert follow("/components/schemas/Channel")[1]["enum"] == list(channels.CODES)


def test_it_lists_exactly_the_session_statuses():
    status = follow("/components/schemas/StatusDocument")[1]["properties"]["status"]
    assert status["enum"] == list(HandoffSession.Status.values)


def test_it_lists_every_target_a_session_can_have():
    target = follow("/components/schemas/StatusDocument")[1]["properties"]["target"]
    assert set(HandoffSession.Target.values) <= set(target["enum"])


def test_it_documents_the_signature_scheme_headers():
    schemes = document()["components"]["securitySchemes"]

    assert {s["name"] for s in schemes.values()} == {"X-OpenCX-Timestamp", "X-OpenCX-Signature"}
    assert "300 seconds" in schemes["opencxTimestamp"]["description"]
    assert "callback" in schemes["opencxSignature"]["description"]


def test_it_documents_every_event_a_callback_can_carry():
    assert set(document()["webhooks"]) == {
        "status",
        "agent.joined",
        "agent.message",
        "agent.typing",
        "conversation.transferred",
        "conversation.ended",
        "case.updated",
    }


def test_its_examples_conform_to_their_own_schemas():
    checked = 0
    for name, schema in document()["components"]["schemas"].items():
        for index, example in enumerate(schema.get("examples", [])):
            assert schema_errors(f"/components/schemas/{name}", example) == [], (name, index)
            checked += 1
    body = document()["components"]["requestBodies"]["Handoff"]["content"]["application/json"]
    assert schema_errors("/components/schemas/Handoff", body["example"]) == []
    assert checked >= 3

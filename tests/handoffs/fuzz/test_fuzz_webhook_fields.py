"""Any value in any field of a correctly signed handoff gets a documented answer, never a 5xx."""

from __future__ import annotations

from hypothesis import given

from handoffs.inbound import signing
from tests.handoffs.fuzz.checks import WEBHOOK, assert_answer_is_documented, exchange
from tests.handoffs.fuzz.strategies import MutatedBody, encoded_bodies, handoff_bodies


def _post(webhook, raw: bytes):
    headers = signing.signed_headers(webhook.tenant.webhook_secret, raw)
    return exchange(
        lambda: webhook.client.generic(
            "POST", webhook.url, raw, content_type="application/json", headers=headers
        )
    )


@given(mutated=handoff_bodies())
def test_it_answers_any_field_value_with_a_documented_answer(webhook, mutated: MutatedBody):
    assert_answer_is_documented(_post(webhook, mutated.encode(True, "utf-8")), WEBHOOK)


@given(raw=encoded_bodies())
def test_it_answers_any_encoding_of_any_field_with_a_documented_answer(webhook, raw: bytes):
    assert_answer_is_documented(_post(webhook, raw), WEBHOOK)

"""A signed body with bytes changed anywhere gets a documented answer, never a 5xx."""

from __future__ import annotations

from hypothesis import given

from handoffs.inbound import signing
from tests.handoffs.fuzz.checks import WEBHOOK, assert_answer_is_documented, exchange
from tests.handoffs.fuzz.strategies import byte_mutations


@given(raw=byte_mutations())
def test_it_answers_any_byte_mutation_with_a_documented_answer(webhook, raw: bytes):
    headers = signing.signed_headers(webhook.tenant.webhook_secret, raw)

    answer = exchange(
        lambda: webhook.client.generic(
            "POST", webhook.url, raw, content_type="application/json", headers=headers
        )
    )

    assert_answer_is_documented(answer, WEBHOOK)

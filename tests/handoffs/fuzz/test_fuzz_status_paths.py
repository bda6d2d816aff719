"""Any session id in the status path, encoded any way, with any headers: a documented answer."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoffs.channels import sample_handoff
from handoffs.inbound import signing
from handoffs.inbound.intake import accept
from tests.handoffs.fuzz.checks import STATUS, assert_answer_is_documented, exchange
from tests.handoffs.fuzz.strategies import EDGE_TEXT, EXTRA_HEADERS, METHODS, signatures, timestamps

KNOWN = ("sess-1", "chat/42 Zoë", "a b+c%20d", "😀")
# Text a URL can carry once percent-encoded: every code point but lone surrogates.
PATH_CHAR = st.characters(exclude_categories=("Cs",))
SESSION_IDS = st.one_of(
    st.sampled_from(KNOWN),
    st.text(PATH_CHAR, max_size=60),
    EDGE_TEXT.filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)),
    st.text(PATH_CHAR, min_size=190, max_size=400),
)
SAFE = st.sampled_from(["", "/", "/:@!$&'()*+,;=", "/ %?#"])


@st.composite
def session_paths(draw: st.DrawFn) -> str:
    """The session part of the path: text percent-encoded fully, partly or not, or any bytes."""
    if draw(st.booleans()):
        return quote(draw(st.binary(max_size=40)), safe="")
    return quote(draw(SESSION_IDS), safe=draw(SAFE))


@pytest.fixture
def known_sessions(tenant):
    for session_id in KNOWN:
        accept(tenant, sample_handoff("phone", session_id))


@given(data=st.data())
def test_it_answers_any_status_request_with_a_documented_answer(webhook, known_sessions, data):
    path = f"/hooks/opencx/{webhook.tenant.webhook_key}/sessions/" + data.draw(session_paths())
    timestamp = data.draw(timestamps())
    signed = data.draw(st.sampled_from([path, unquote(path), "/elsewhere"]))
    signature = data.draw(signatures(signing.sign(webhook.tenant.webhook_secret, timestamp, b"")))
    if data.draw(st.booleans()):
        signature = signing.sign(webhook.tenant.webhook_secret, timestamp, signed.encode())
    headers = {signing.TIMESTAMP_HEADER: timestamp, signing.SIGNATURE_HEADER: signature}
    headers |= data.draw(EXTRA_HEADERS)
    method = data.draw(st.sampled_from(["GET", "GET", "GET"]) | METHODS)

    answer = exchange(lambda: webhook.client.generic(method, path, headers=headers))

    assert answer.added == {} and answer.queued == 0
    assert_answer_is_documented(answer, STATUS, method=method.upper())

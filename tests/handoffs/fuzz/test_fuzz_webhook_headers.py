"""Any method, content type, length, signature, timestamp or header gets a documented answer."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from handoffs import channels
from handoffs.inbound import signing
from tests.handoffs.fuzz.checks import WEBHOOK, assert_answer_is_documented, exchange
from tests.handoffs.fuzz.strategies import (
    CONTENT_TYPES,
    EXTRA_HEADERS,
    METHODS,
    content_lengths,
    encoded_bodies,
    signatures,
    timestamps,
)


@st.composite
def requests(draw: st.DrawFn, secret: str) -> dict:
    """A WSGI environ for the webhook: any body, method and headers, often correctly signed."""
    if draw(st.booleans()):
        raw = json.dumps(channels.sample_handoff(draw(st.sampled_from(channels.CODES)))).encode()
    else:
        raw = draw(encoded_bodies())
    timestamp = draw(timestamps())
    environ = {
        "REQUEST_METHOD": draw(METHODS),
        "wsgi.input": io.BytesIO(raw),
        "HTTP_X_OPENCX_TIMESTAMP": timestamp,
        "HTTP_X_OPENCX_SIGNATURE": draw(signatures(signing.sign(secret, timestamp, raw))),
    }
    for name, value in draw(EXTRA_HEADERS).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    for key, value in (
        ("CONTENT_TYPE", draw(st.none() | CONTENT_TYPES)),
        ("CONTENT_LENGTH", draw(content_lengths(len(raw)))),
        ("HTTP_X_OPENCX_TIMESTAMP", draw(st.just(timestamp) | st.none())),
    ):
        environ.pop(key, None)
        if value is not None:
            environ[key] = value
    return environ


@given(data=st.data())
def test_it_answers_any_request_with_a_documented_answer(webhook, data):
    environ = data.draw(requests(webhook.tenant.webhook_secret))
    url = data.draw(st.sampled_from([webhook.url, webhook.url.rstrip("/")]))

    answer = exchange(lambda: webhook.client.request(PATH_INFO=url, **environ))

    assert_answer_is_documented(answer, WEBHOOK, method=environ["REQUEST_METHOD"].upper())

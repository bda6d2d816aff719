"""Faults that need a real socket: dropped connections and the concurrent-request cap."""

from __future__ import annotations

import concurrent.futures

import pytest

from dataverse_sandbox import provisioning, tokens
from handoffs.outbound import http

pytestmark = pytest.mark.django_db(transaction=True)


def api(live_server, org) -> tuple[str, dict]:
    env = provisioning.environment_url(org, live_server.url)
    token = tokens.issue(org, provisioning.integration_app(org), env)
    return f"{env}/api/data/v9.2", {"Authorization": f"Bearer {token}"}


def test_it_drops_the_connection_after_the_write_landed(live_server):
    org = provisioning.create_org("flaky")
    base, headers = api(live_server, org)
    provisioning.set_faults(org, drop_share=1.0)
    session = http.LoopbackAwareSession()

    with pytest.raises(http.OutboundError) as raised:
        http.send(session, "POST", f"{base}/contacts", json={"lastname": "Lost"}, headers=headers)

    assert raised.value.retryable
    # The answer was lost, the write was not: exactly what makes client-chosen ids matter.
    assert [r.data["lastname"] for r in provisioning.rows(org, "contact")] == ["Lost"]


def test_it_cuts_a_connection_before_the_write(live_server):
    org = provisioning.create_org("cut")
    base, headers = api(live_server, org)
    provisioning.set_faults(org, cut_share=1.0)
    session = http.LoopbackAwareSession()

    with pytest.raises(http.OutboundError) as raised:
        http.send(session, "POST", f"{base}/contacts", json={"lastname": "Never"}, headers=headers)

    assert raised.value.retryable
    assert provisioning.rows(org, "contact") == []


def test_it_caps_concurrent_requests(live_server):
    org = provisioning.create_org("busy")
    base, headers = api(live_server, org)
    provisioning.set_faults(org, max_concurrent=1, latency_ms=400, retry_after=2)

    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        futures = [
            pool.submit(
                http.send, http.LoopbackAwareSession(), "GET", f"{base}/WhoAmI", headers=headers
            )
            for _ in range(3)
        ]
        responses = [f.result()[0] for f in futures]

    codes = sorted(r.status_code for r in responses)
    assert codes[0] == 200 and 429 in codes
    refused = next(r for r in responses if r.status_code == 429)
    assert refused.json()["error"]["code"] == "0x80072326"
    assert refused.headers["Retry-After"] == "2"

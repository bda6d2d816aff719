"""Faults on demand: throttling with Retry-After, outages, latency, and the request count."""

from __future__ import annotations

import io
import json
import time

from django.core.management import call_command

from dataverse_sandbox import provisioning


def statuses(dataverse, n: int) -> list[int]:
    return [dataverse.get("WhoAmI").status_code for _ in range(n)]


def test_it_throttles_an_exact_share_with_retry_after(dataverse, org):
    dataverse.token  # noqa: B018 - fetch the token before faults start counting
    provisioning.set_faults(org, throttle_share=0.5, retry_after=7)

    responses = [dataverse.get("WhoAmI") for _ in range(4)]

    throttled = [r for r in responses if r.status_code == 429]
    assert len(throttled) == 2
    assert throttled[0]["Retry-After"] == "7"
    assert throttled[0].json()["error"]["code"] == "0x80072322"


def test_it_throttles_a_burst_then_recovers(dataverse, org):
    provisioning.set_faults(org, throttle_burst=3)

    assert statuses(dataverse, 5) == [429, 429, 429, 200, 200]


def test_it_answers_503_while_unavailable(dataverse, org):
    provisioning.set_faults(org, unavailable_share=1.0)

    response = dataverse.get("WhoAmI")

    assert response.status_code == 503
    assert set(response.json()["error"]) == {"code", "message"}


def test_it_spreads_several_kinds_of_faults_by_their_shares(dataverse, org):
    dataverse.token  # noqa: B018
    provisioning.set_faults(org, throttle_share=0.2, unavailable_share=0.2)

    codes = statuses(dataverse, 20)

    assert codes.count(429) == 4
    assert codes.count(503) == 4
    assert codes.count(200) == 12


def test_it_slows_a_share_of_the_answers(dataverse, org):
    dataverse.token  # noqa: B018
    provisioning.set_faults(org, slow_share=0.5, slow_ms=300)

    timings = []
    for _ in range(2):
        started = time.monotonic()
        assert dataverse.get("WhoAmI").status_code == 200
        timings.append(time.monotonic() - started)

    assert sum(t >= 0.3 for t in timings) == 1


def test_it_adds_latency(dataverse, org):
    dataverse.token  # noqa: B018
    provisioning.set_faults(org, latency_ms=250)

    started = time.monotonic()
    dataverse.get("WhoAmI")

    assert time.monotonic() - started >= 0.25


def test_it_resets_faults_from_the_command(dataverse, org):
    call_command("sandbox_faults", "contoso", "--throttle-burst", "5", stdout=io.StringIO())
    assert dataverse.get("WhoAmI").status_code == 429

    call_command("sandbox_faults", "contoso", "--reset", stdout=io.StringIO())

    assert dataverse.get("WhoAmI").status_code == 200


def test_it_sets_cut_and_slow_answers_from_the_command(dataverse, org):
    out = io.StringIO()
    call_command("sandbox_faults", "contoso", "--slow-share", "1", "--slow-ms", "200", stdout=out)

    assert "slow_share=1.0" in out.getvalue()
    assert "slow_ms=200" in out.getvalue()
    started = time.monotonic()
    assert dataverse.get("WhoAmI").status_code == 200
    assert time.monotonic() - started >= 0.2


def test_it_counts_api_requests_per_org(dataverse, org):
    provisioning.create_org("quiet")
    dataverse.get("WhoAmI")
    dataverse.new_contact()
    dataverse.get("contacts")

    out = io.StringIO()
    call_command("sandbox_stats", "contoso", stdout=out)

    report = json.loads(out.getvalue())
    assert report["api_requests"] == 3 == provisioning.request_count(org)
    assert report["token_requests"] == 1
    assert provisioning.request_count(org, method="POST") == 1
    quiet = provisioning.create_org("quiet")
    assert provisioning.request_count(quiet) == 0

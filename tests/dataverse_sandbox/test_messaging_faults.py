"""The Messaging API answers injected 429 (with Retry-After), 500 and 503, and is counted."""

from __future__ import annotations

import io
import json

from django.core.management import call_command


def test_it_throttles_a_burst_with_retry_after(messaging, org):
    call_command(
        "sandbox_faults",
        org.slug,
        "--messaging-throttle-burst",
        "2",
        "--messaging-retry-after",
        "7",
        stdout=io.StringIO(),
    )

    statuses = [messaging.get("conversations") for _ in range(3)]

    assert [r.status_code for r in statuses] == [429, 429, 200]
    assert statuses[0]["Retry-After"] == "7"
    assert statuses[0].json()["status"] == 429
    assert statuses[0]["x-ms-correlation-id"]


def test_it_spreads_500s_evenly_and_answers_503s(messaging, org):
    call_command("sandbox_faults", org.slug, "--messaging-error-share", "0.5", stdout=io.StringIO())
    errors = [messaging.get("conversations").status_code for _ in range(4)]
    call_command(
        "sandbox_faults", org.slug, "--reset", "--messaging-unavailable-share", "1",
        stdout=io.StringIO(),
    )  # fmt: skip

    unavailable = messaging.get("conversations")

    assert errors == [200, 500, 200, 500]
    assert unavailable.status_code == 503
    assert unavailable.json()["title"] == "Service Unavailable"


def test_it_leaves_the_web_api_alone(messaging, dataverse, org):
    call_command(
        "sandbox_faults", org.slug, "--messaging-throttle-burst", "5", stdout=io.StringIO()
    )

    assert dataverse.get("WhoAmI").status_code == 200


def test_it_resets_messaging_faults_too(messaging, org):
    call_command(
        "sandbox_faults", org.slug, "--messaging-throttle-burst", "5", stdout=io.StringIO()
    )
    out = io.StringIO()

    call_command("sandbox_faults", org.slug, "--reset", stdout=out)

    assert messaging.get("conversations").status_code == 200
    assert "throttle_burst=0" in out.getvalue().splitlines()[1]


def test_it_counts_messaging_requests_in_sandbox_stats(messaging, org):
    messaging.get("conversations")
    messaging.create("s1")
    out = io.StringIO()

    call_command("sandbox_stats", org.slug, stdout=out)

    report = json.loads(out.getvalue())
    assert report["messaging_requests"] == 2
    kinds = {(g["kind"], g["method"], g["status"]) for g in report["by_kind_method_status"]}
    assert {("messaging", "GET", 200), ("messaging", "POST", 200)} <= kinds

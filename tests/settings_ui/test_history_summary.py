"""The "at a glance" summary: counts per channel per day, success rate, timings, failures."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from handoffs.errors import CATALOGUE
from tests.settings_ui.history_helpers import at, make_session

URL = "/t/acme/sessions/"
RANGE = {"date_from": "2026-11-18", "date_to": "2026-11-21"}


@pytest.fixture
def sessions(tenant):
    # Done in 1, 2, …, 10 seconds on 19 Nov (phone) and 20 Nov (web).
    for seconds in range(1, 11):
        channel = "phone" if seconds <= 6 else "web"
        day = 19 if seconds <= 6 else 20
        make_session(
            tenant,
            f"done-{seconds}",
            channel=channel,
            status="done",
            took=seconds,
            received_at=at(day),
        )
    make_session(
        tenant,
        "f1",
        channel="sms",
        status="failed",
        last_error_code="dataverse_forbidden",
        received_at=at(20),
    )
    make_session(
        tenant,
        "f2",
        channel="sms",
        status="failed",
        last_error_code="dataverse_forbidden",
        received_at=at(21),
    )
    make_session(
        tenant,
        "f3",
        channel="email",
        status="failed",
        last_error_code="integration_not_configured",
        last_error_message="No connection yet. Fix: Connect it.",
        received_at=at(21),
    )
    make_session(tenant, "q1", channel="email", status="queued", received_at=at(21))
    # Outside the range: must not count.
    make_session(
        tenant,
        "old",
        channel="phone",
        status="failed",
        last_error_code="old_code",
        received_at=at(10),
    )


def summary(client, **params):
    return client.get(URL, {**RANGE, **params}).context["summary"]


def test_it_counts_the_handoffs_in_the_range(lead_client, sessions):
    result = summary(lead_client)

    assert (result.total, result.done, result.failed) == (14, 10, 3)


def test_it_computes_the_success_rate_over_finished_handoffs(lead_client, sessions):
    # 10 done out of 13 finished; the queued one is not finished yet.
    assert summary(lead_client).success_rate == pytest.approx(100 * 10 / 13)


def test_it_computes_median_and_p95_webhook_to_record_time(lead_client, sessions):
    result = summary(lead_client)

    # Nearest rank over 1..10 s: the 5th value is the median, the 10th the 95th percentile,
    # read from rollup buckets 5 % wide (so within 2.5 % of the exact value).
    assert result.median_seconds == pytest.approx(5.0, rel=0.025)
    assert result.p95_seconds == pytest.approx(10.0, rel=0.025)


def test_it_groups_current_failures_by_error_code_largest_first(lead_client, sessions):
    failures = summary(lead_client).failures

    assert [(f.code, f.count) for f in failures] == [
        ("dataverse_forbidden", 2),
        ("integration_not_configured", 1),
    ]
    assert failures[1].meaning == CATALOGUE["integration_not_configured"].message


def test_it_counts_handoffs_per_channel_per_day_for_the_chart(lead_client, sessions):
    chart = summary(lead_client).chart

    per_day = {c.start.day: {k: v for k, v in c.counts.items() if v} for c in chart.columns}
    assert per_day == {
        18: {},
        19: {"phone": 6},
        20: {"web": 4, "sms": 1},
        21: {"sms": 1, "email": 2},
    }


def test_it_draws_the_chart_as_svg_bars_with_readable_titles(lead_client, sessions):
    html = lead_client.get(URL, RANGE).content.decode()

    assert re.search(r"<svg [^>]*role=\"img\"", html)
    assert "<title>2026-11-19: 6 Phone</title>" in html
    assert "<title>2026-11-20: 4 Web chat</title>" in html
    assert 'id="stat-success">76.9 %</dd>' in html
    assert 'id="stat-median">5.0 s</dd>' in html


def test_it_narrows_the_summary_to_the_chosen_channel(lead_client, sessions):
    result = summary(lead_client, channel="sms")

    assert (result.total, result.done, result.failed) == (2, 0, 2)
    assert result.success_rate == 0
    assert result.median_seconds is None


def test_it_covers_the_last_14_days_when_no_range_is_chosen(lead_client, tenant):
    make_session(
        tenant, "recent", status="done", took=3, received_at=timezone.now() - timedelta(days=2)
    )
    make_session(
        tenant, "older", status="done", took=3, received_at=timezone.now() - timedelta(days=20)
    )

    result = lead_client.get(URL).context["summary"]

    assert result.total == 1
    assert (result.end - result.start).days == 13
    assert result.end == timezone.now().date()


def test_it_summarises_at_most_the_last_year_of_a_long_range(lead_client, sessions):
    response = lead_client.get(URL, {"date_from": "2001-01-01", "date_to": "2026-11-21"})

    result = response.context["summary"]
    assert (str(result.start), str(result.end)) == ("2025-11-21", "2026-11-21")
    assert len(result.chart.columns) == 53  # weekly bars
    assert result.total == 15
    assert "The summary shows the last year of the chosen range" in response.content.decode()

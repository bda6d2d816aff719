"""Retries wait longer each time, never past the cap, and never before Retry-After."""

from __future__ import annotations

from handoffs.lifecycle.backoff import BASE_SECONDS, CAP_SECONDS, delay_seconds


def test_it_doubles_the_wait_with_jitter_up_to_the_cap():
    for attempt in range(1, 12):
        ceiling = min(CAP_SECONDS, BASE_SECONDS * 2 ** (attempt - 1))
        delays = [delay_seconds(attempt) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert max(delay_seconds(30) for _ in range(50)) <= CAP_SECONDS


def test_it_never_returns_before_retry_after():
    delays = [delay_seconds(1, retry_after=300.0) for _ in range(50)]

    assert all(300.0 <= d <= 305.0 for d in delays)
    assert len(set(delays)) > 1

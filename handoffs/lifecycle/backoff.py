"""When to try again: Retry-After when the server named a time, else capped exponential + jitter."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

BASE_SECONDS = 30.0
CAP_SECONDS = 15 * 60.0


def delay_seconds(
    attempt: int, retry_after: float | None = None, cap: float = CAP_SECONDS
) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    if retry_after is not None:
        # Never earlier than asked (Dataverse extends the penalty for clients that do); a little
        # spread so throttled sessions of one tenant do not return in the same second.
        return retry_after + random.uniform(0, min(5.0, retry_after * 0.1 + 1))  # noqa: S311
    exponential = min(cap, BASE_SECONDS * 2 ** max(0, attempt - 1))
    return random.uniform(exponential / 2, exponential)  # noqa: S311


def next_run(attempt: int, retry_after: float | None = None, cap: float = CAP_SECONDS) -> datetime:
    """The moment of the next attempt."""
    return timezone.now() + timedelta(seconds=delay_seconds(attempt, retry_after, cap))

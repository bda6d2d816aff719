"""Counting failed password attempts and refusing more after too many, for any form that asks."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When

from settings_ui.models import FailedAttempts


def limit() -> int:
    """Failures allowed per window before the form refuses."""
    return int(getattr(settings, "LOGIN_FAILURE_LIMIT", 5))


def window() -> int:
    """Seconds a window lasts, counted from its first failure."""
    return int(getattr(settings, "LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60))


@dataclass(frozen=True)
class Lockout:
    """Attempts are refused until `until` (unix seconds)."""

    until: float

    @property
    def minutes_left(self) -> int:
        return max(1, math.ceil((self.until - time.time()) / 60))

    @property
    def retry_hint(self) -> str:
        """ "Try again in N minute(s), after HH:MM UTC", for the form's message."""
        until = time.strftime("%H:%M", time.gmtime(self.until))
        return f"Try again in {self.minutes_left} minute(s), after {until} UTC"


def record_failure(key: str) -> None:
    """Count one failure; the first one after a window has ended starts a new window."""
    now = time.time()
    for _ in range(3):
        if _add_one(key, now):
            return
        try:
            with transaction.atomic():
                FailedAttempts.objects.create(key=key, count=1, window_start=now)
        except IntegrityError:
            continue  # another process counted the first failure: add ours to it
        # Windows that have ended hold no information; the table keeps only live ones.
        FailedAttempts.objects.filter(window_start__lte=now - window()).delete()
        return


def _add_one(key: str, now: float) -> bool:
    # One UPDATE reading and writing the row: the database applies parallel failures one after
    # another, so none is lost (a read followed by a write would let two requests both write 3).
    ended = Q(window_start__lte=now - window())
    updated = FailedAttempts.objects.filter(key=key).update(
        count=Case(When(ended, then=Value(1)), default=F("count") + 1),
        window_start=Case(When(ended, then=Value(now)), default=F("window_start")),
    )
    return updated > 0


def failures(key: str) -> int:
    """Failures counted in the current window."""
    row = FailedAttempts.objects.filter(key=key).values_list("count", "window_start").first()
    if row is None or row[1] + window() <= time.time():
        return 0
    return row[0]


def lockout_for(key: str) -> Lockout | None:
    """The lockout in force for this key, if any."""
    row = FailedAttempts.objects.filter(key=key).values_list("count", "window_start").first()
    if row is None or row[0] < limit():
        return None
    until = row[1] + window()
    return Lockout(until) if until > time.time() else None


def clear(key: str) -> None:
    """Forget the failures, e.g. after the right password."""
    FailedAttempts.objects.filter(key=key).delete()

"""What the pages store themselves: counts of failed password attempts."""

from __future__ import annotations

from django.db import models


class FailedAttempts(models.Model):
    """Failed password attempts under one key (a sign-in name+address, or a signed-in user).

    A database row rather than a cache entry: every web process sees the same count, and one
    UPDATE adds each failure, so attempts made in parallel are all counted.
    """

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField()
    # Unix seconds (time.time()), the first failure of the current window.
    window_start = models.FloatField(db_index=True)

    class Meta:
        verbose_name_plural = "failed attempts"

    def __str__(self) -> str:
        return f"{self.count} failed attempt(s)"

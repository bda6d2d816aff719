"""Keyset pagination on (received_at, id): every page costs the same at a million sessions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import QueryDict

from handoffs.models import HandoffSession

PAGE_SIZE = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
# Bounded so neither part can overflow a datetime or a bigint primary key.
CURSOR = re.compile(r"^(-?\d{1,18})-(\d{1,18})$")


@dataclass(frozen=True)
class Cursor:
    """A position in the newest-first order: a session's received time and primary key."""

    received_at: datetime
    pk: int

    @classmethod
    def of(cls, session: HandoffSession) -> Cursor:
        return cls(session.received_at, session.pk)

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """Parse `<microseconds since epoch>-<pk>`; None for anything else (first page)."""
        match = CURSOR.match(text or "")
        if not match:
            return None
        try:
            received_at = EPOCH + int(match[1]) * MICROSECOND
        except OverflowError:
            return None
        return cls(received_at, int(match[2]))

    def encode(self) -> str:
        return f"{(self.received_at - EPOCH) // MICROSECOND}-{self.pk}"

    def older(self) -> Q:
        """Rows after this one in the newest-first order."""
        return Q(received_at__lt=self.received_at) | Q(received_at=self.received_at, pk__lt=self.pk)

    def newer(self) -> Q:
        """Rows before this one in the newest-first order."""
        return Q(received_at__gt=self.received_at) | Q(received_at=self.received_at, pk__gt=self.pk)


@dataclass
class Page:
    sessions: list[HandoffSession]
    newer: Cursor | None
    older: Cursor | None
    is_first: bool


def page_of(
    queryset: QuerySet[HandoffSession],
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of sessions, newest first: after `after`, or just before `before`."""
    if before is not None:
        rows = list(queryset.filter(before.newer()).order_by("received_at", "id")[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = True  # `before` itself is an older row
    else:
        if after is not None:
            queryset = queryset.filter(after.older())
        rows = list(queryset.order_by("-received_at", "-id")[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = after is not None
    return Page(
        sessions=rows,
        newer=Cursor.of(rows[0]) if has_newer and rows else None,
        older=Cursor.of(rows[-1]) if has_older and rows else None,
        is_first=not has_newer,
    )


def link(params: QueryDict, **changes: str) -> str:
    """The current query string with the cursor replaced (filters are kept as they are)."""
    query = params.copy()
    for name in ("after", "before"):
        query.pop(name, None)
    for name, value in changes.items():
        query[name] = value
    return "?" + query.urlencode() if query else "?"

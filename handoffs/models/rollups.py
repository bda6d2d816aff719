"""Per tenant, day and channel totals of the sessions, kept current as sessions change.

The history summary (counts, success rate, failures by code, webhook-to-record percentiles, the
chart) reads these rows only, so its cost depends on the date range, never on how many sessions
a tenant has. A session's contribution — its status, its failure code, its duration bucket — is
moved in the same transaction as the session itself (HandoffSession.save); a status cell in one
of SHARDS rows chosen by the session, so a tenant's concurrent webhooks and claims do not all
wait for the same row. Readers sum the shards.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from handoffs.models.tenants import Tenant

# Durations fall into geometric buckets 5 % wide from 10 ms: a percentile read back from them
# is within 2.5 % of the exact value, whatever the number of sessions.
BUCKET_BASE_MS = 10.0
BUCKET_FACTOR = 1.05


def duration_bucket(seconds: float) -> int:
    milliseconds = max(seconds * 1000, BUCKET_BASE_MS)
    return int(math.log(milliseconds / BUCKET_BASE_MS) / math.log(BUCKET_FACTOR))


def bucket_seconds(bucket: int) -> float:
    """The middle of a bucket, in seconds."""
    return BUCKET_BASE_MS * BUCKET_FACTOR ** (bucket + 0.5) / 1000


class SessionRollup(models.Model):
    """How many of a tenant's sessions of one day and channel have one status, code or duration."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status"
        FAILURE = "failure", "Failure code"
        DURATION = "duration", "Duration bucket"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="rollups")
    day = models.DateField()
    channel = models.CharField(max_length=32)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=64)
    # Status cells have SHARDS rows, one chosen by each session: every webhook and every claim of
    # a tenant moves a status cell, and concurrent ones mostly write different rows instead of
    # queueing for one row lock. Failure and duration cells (moved only as a session finishes,
    # at most the tenant's cap at once) keep one row, shard 0. Readers add the shards up.
    shard = models.PositiveSmallIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "day", "channel", "kind", "key", "shard"],
                name="rollup_unique_cell_shard",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.day} {self.channel} {self.kind}:{self.key} = {self.count}"


Cell = tuple[str, str]  # (kind, key)


SHARDS = 8


def shard_of(session_pk: int) -> int:
    return session_pk % SHARDS


def shard_of_sql(column: str) -> str:
    """shard_of() in SQL, for a session id known only to the statement that inserts it."""
    return f"mod({column}, {SHARDS})"


def _cells(changes: dict[Cell, int]) -> list[tuple[str, str, bool, int]]:
    """(kind, key, whether it is sharded, delta) of each change, always in the same order: two
    transactions moving the same cells never wait on each other in a cycle (rows of one
    statement are inserted in order)."""
    return [
        (kind, key, kind == SessionRollup.Kind.STATUS, delta)
        for (kind, key), delta in sorted(changes.items())
        if delta
    ]


def _add_on_conflict() -> str:
    # INSERT … ON CONFLICT DO UPDATE: one atomic statement on PostgreSQL and SQLite alike (the
    # cells are distinct, so no row is touched twice).
    table = SessionRollup._meta.db_table
    return (
        "ON CONFLICT (tenant_id, day, channel, kind, key, shard) "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )


_INSERT = "INSERT INTO {table} (tenant_id, day, channel, kind, key, shard, count) "


def bump(tenant_id: int, day: date, channel: str, changes: dict[Cell, int], shard: int = 0) -> None:
    """Add each delta to its cell (a status cell: its `shard` row), creating it when needed, in
    one statement."""
    cells = _cells(changes)
    if not cells:
        return
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(cells))
    sql = _INSERT.format(table=SessionRollup._meta.db_table) + f"VALUES {rows} {_add_on_conflict()}"
    params = [
        value
        for kind, key, sharded, delta in cells
        for value in (tenant_id, day, channel, kind, key, shard if sharded else 0, delta)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def bump_from(
    source: str, tenant_id: int, day: date, channel: str, changes: dict[Cell, int]
) -> tuple[str, list]:
    """bump()'s statement (SQL, parameters) for a session inserted by the same statement: `source`
    names a common table expression with one row, the session's `id`, whose status cells take
    the shard shard_of gives that id. Empty SQL when nothing changes."""
    cells = _cells(changes)
    selects = []
    params: list = []
    for kind, key, sharded, delta in cells:
        shard = shard_of_sql(f"{source}.id") if sharded else "0"
        selects.append(f"SELECT %s, %s, %s, %s, %s, {shard}, %s FROM {source}")  # noqa: S608
        params += [tenant_id, day, channel, kind, key, delta]
    if not selects:
        return "", []
    sql = _INSERT.format(table=SessionRollup._meta.db_table) + " UNION ALL ".join(selects)
    return f"{sql} {_add_on_conflict()}", params


def rollup_day(received_at: datetime) -> date:
    """The day a session counts for: the day it was received (in the server's time zone)."""
    return timezone.localdate(received_at)


def cells_of(status: str, code: str, received_at: datetime, completed_at: Any) -> list[Cell]:
    """A session's cells from its fields (also usable with migrations' historical models)."""
    cells = [("status", status)]
    if status == "failed":
        cells.append(("failure", code))
    if status == "done" and completed_at:
        cells.append(
            ("duration", str(duration_bucket((completed_at - received_at).total_seconds())))
        )
    return cells


def rebuild(sessions: Any, rollups: Any = None, chunk: int = 5000) -> int:
    """Recount every rollup from the sessions (a data migration, an operator, a benchmark)."""
    rollups = rollups or SessionRollup
    totals: Counter = Counter()
    fields = ("tenant_id", "channel", "status", "last_error_code", "received_at", "completed_at")
    for tenant_id, channel, status, code, received_at, completed_at in sessions.values_list(
        *fields
    ).iterator(chunk_size=chunk):
        day = rollup_day(received_at)
        for kind, key in cells_of(status, code, received_at, completed_at):
            totals[tenant_id, day, channel, kind, key] += 1
    with transaction.atomic():
        rollups.objects.all().delete()
        rollups.objects.bulk_create(
            [
                rollups(tenant_id=t, day=d, channel=c, kind=k, key=key, count=n)
                for (t, d, c, k, key), n in totals.items()
            ],
            batch_size=chunk,
        )
    return len(totals)

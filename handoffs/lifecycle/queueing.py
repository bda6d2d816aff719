"""Handing work to the task worker (django-q2), by function reference.

Tasks run now (`queue_*`) or at a moment (`schedule_*`). A task queued while a transaction writes
its session leaves only once that transaction commits, so the worker never looks for a row it
cannot see yet. A task for later is a row in the database either way, so it survives a worker
restart: with the database broker it is queued at once, not to be taken before its moment (so a
1-second Retry-After waits about a second); with Redis it is a django-q2 Schedule, which the
cluster looks at every 30 seconds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime

from django.db import connection, transaction

from handoffs import tasks


def task_path(func: Callable[..., object]) -> str:
    """The dotted path django-q2 stores for a task function."""
    return f"{func.__module__}.{func.__qualname__}"


def _run_soon(
    func: Callable[..., object], *args: object, group: str, after_commit: bool = False
) -> None:
    from django_q.tasks import async_task

    if after_commit:
        transaction.on_commit(lambda: async_task(func, *args, group=group))
    else:
        async_task(func, *args, group=group)


def _run_at(func: Callable[..., object], when: datetime, *args: object) -> None:
    from django_q.conf import Conf
    from django_q.models import Schedule
    from django_q.tasks import async_task, schedule

    if Conf.ORM and not Conf.SYNC:
        async_task(func, *args, broker=_not_before(when))
    else:
        schedule(task_path(func), *args, schedule_type=Schedule.ONCE, next_run=when)


def _not_before(when: datetime) -> object:
    """django-q2's database broker, queuing one task that is not taken before `when`.

    The broker takes only rows whose `lock` has passed (it moves `lock` forward while a task
    runs, to re-run it if its worker dies); a new row's `lock` is simply set to `when`.
    """
    from django_q.brokers.orm import ORM
    from django_q.conf import Conf

    class NotBefore(ORM):
        def enqueue(self, task: str) -> int:
            row = self.get_connection().create(key=self.list_key, payload=task, lock=when)
            return row.pk

    return NotBefore(list_key=Conf.CLUSTER_NAME)


def queue_handoff(session_pk: int, *, after_commit: bool = False) -> None:
    """Run this session as soon as a worker is free (replays, the sweeper)."""
    _run_soon(tasks.process_handoff, session_pk, group="handoff", after_commit=after_commit)


def queue_next(*, in_transaction: bool = False) -> None:
    """A session became ready: a free worker runs the one that is fairest to run now.

    `in_transaction` queues inside the caller's transaction when the queue lives in the same
    database, so accepting a webhook costs one commit; other brokers are told after it.
    """
    from django_q.conf import Conf

    if in_transaction and Conf.ORM and not Conf.SYNC:
        from django_q.tasks import async_task

        async_task(tasks.process_next, group="handoff")
    else:
        _run_soon(tasks.process_next, group="handoff", after_commit=in_transaction)


def next_in_statement() -> tuple[str, str] | None:
    """The database queue's row for a queue_next() task, as (queue key, signed package), for a
    statement that writes the task together with its session; None when the queue is not this
    database (Redis, or tasks run at once), so the caller queues with queue_next() after it.

    The package is made by django-q2's own async_task, handed a broker that keeps it instead of
    writing its row.
    """
    from django_q.conf import Conf
    from django_q.tasks import async_task

    if connection.alias != Conf.ORM or Conf.SYNC:
        return None
    kept = _keeping_broker()(list_key=Conf.CLUSTER_NAME)
    async_task(tasks.process_next, group="handoff", broker=kept)
    return kept.list_key, kept.package


@functools.cache
def _keeping_broker() -> type:
    """django-q2's database broker, keeping the package it is given instead of writing it."""
    from django_q.brokers.orm import ORM

    class Kept(ORM):
        package = ""

        @staticmethod
        def get_connection(list_key: str | None = None) -> None:
            return None  # it writes nothing (the ORM broker's would close old connections)

        def enqueue(self, task: str) -> None:
            self.package = task

    return Kept


def schedule_next(when: datetime) -> None:
    """A session becomes ready at `when` (a retry): a worker takes it then."""
    _run_at(tasks.process_next, when)


def queue_events(session_pk: int, *, after_commit: bool = False) -> None:
    """Deliver the session's pending callbacks and events to OpenCX."""
    _run_soon(tasks.send_events, session_pk, group="callback", after_commit=after_commit)


def schedule_events(session_pk: int, when: datetime) -> None:
    """Try the session's oldest pending event again at `when`."""
    _run_at(tasks.send_events, when, session_pk)


def queue_customer_messages(session_pk: int, *, after_commit: bool = False) -> None:
    """Send the session's pending customer messages to its live chat, in order."""
    _run_soon(
        tasks.send_customer_messages, session_pk, group="live_chat", after_commit=after_commit
    )


def schedule_customer_messages(session_pk: int, when: datetime) -> None:
    """Try the session's oldest pending customer message again at `when`."""
    _run_at(tasks.send_customer_messages, when, session_pk)


def queue_rep_activities(session_pk: int, *, after_commit: bool = False) -> None:
    """Relay the rep's activities of this session to OpenCX, in the order Dynamics sent them."""
    _run_soon(tasks.relay_rep_activities, session_pk, group="live_chat", after_commit=after_commit)

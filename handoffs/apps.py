from __future__ import annotations

import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)


def on_worker_spawn(**_: object) -> None:
    """A task worker process started: have its queries ready, and resume at once what dead
    workers of this machine held."""
    from handoffs.lifecycle import compiled, sweeper

    try:
        compiled.compile_all()
    except Exception:
        # Each query is compiled when first run anyway.
        logger.exception("could not compile the queries ahead of the first handoff")

    try:
        taken = sweeper.take_back_from_dead_workers()
    except Exception:
        # The sweep a minute later does the same; a worker must start regardless.
        logger.exception("could not take back the sessions of dead workers")
        return
    if taken:
        logger.warning("resumed %s handoffs whose worker process had died", taken)


class HandoffsConfig(AppConfig):
    name = "handoffs"
    verbose_name = "Handoffs"

    def ready(self) -> None:
        from django_q.signals import post_spawn

        post_spawn.connect(on_worker_spawn, dispatch_uid="handoffs.on_worker_spawn")

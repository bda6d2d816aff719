"""`manage.py qcluster`: django-q2's cluster of task workers, started with the task modules loaded.

django-q2 forks its worker processes from this one. Imported here first, the modules the tasks use
are loaded once and shared by every worker, instead of being imported by each worker process (and
again by each one django-q2 recycles after its task limit) during its first handoff. The web app
does not load them (it answers webhooks without the Dynamics client). This command takes the place
of django-q2's own because the handoffs app comes before django_q in INSTALLED_APPS.
"""

from __future__ import annotations

import importlib

from django_q.management.commands import qcluster

# What the task functions (handoffs.tasks) import when they run.
TASK_MODULES = (
    "handoffs.lifecycle.attempt",
    "handoffs.lifecycle.outage",
    "handoffs.lifecycle.outbox",
    "handoffs.lifecycle.sweeper",
    "handoffs.caseupdates.schedule",
    "handoffs.caseupdates.poll",
    "handoffs.livechat.relay.sender",
    "handoffs.livechat.relay.relay",
)


class Command(qcluster.Command):
    def handle(self, *args, **options):
        for name in TASK_MODULES:
            importlib.import_module(name)
        super().handle(*args, **options)

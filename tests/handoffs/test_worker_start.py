"""A task worker process starts ready: the modules its tasks use were loaded before django-q2
forked it (by `manage.py qcluster`), and its queries are compiled before its first handoff."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django_q.signals import post_spawn

from handoffs import tasks
from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.lifecycle import claim, compiled
from handoffs.management.commands.qcluster import TASK_MODULES


def imported_by_tasks() -> set[str]:
    """The modules the task functions import when they run."""
    tree = ast.parse(Path(tasks.__file__).read_text())
    found = set()
    for function in tree.body:
        if isinstance(function, ast.FunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.module.startswith("handoffs"):
                    found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


# `manage.py qcluster` up to the moment django-q2 starts its cluster (and forks its workers):
# which task modules are loaded then, and which would a web process have.
PROBE = """
import sys, django
django.setup()
from django.core.management import call_command
from django_q.management.commands import qcluster
from handoffs.management.commands.qcluster import TASK_MODULES

web = [name for name in TASK_MODULES if name in sys.modules]

class Cluster:
    def start(self):
        print(web, [name for name in TASK_MODULES if name not in sys.modules])

qcluster.Cluster = Cluster
call_command("qcluster")
"""


def test_every_module_a_task_imports_is_loaded_before_the_workers_fork():
    assert imported_by_tasks()
    assert imported_by_tasks() <= set(TASK_MODULES)

    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "opencx_integration.test_settings", "PATH": ""},
    )
    # Not by setting Django up (a web process does not load them), but before the fork.
    assert done.stdout.strip().splitlines()[-1] == "[] []", done.stderr


def test_a_starting_worker_compiles_its_queries_before_its_first_claim(tenant, monkeypatch):
    queries = list(compiled._ALL)
    assert claim._FAIREST in queries
    assert claim._OLDEST_READY in queries
    for query in queries:
        monkeypatch.setattr(query, "_compiled", {})

    assert compiled.compile_all() == len(queries)

    # Building a query again would now fail: the claim runs on what the start compiled.
    for query in queries:
        monkeypatch.setattr(query, "build", None)
    session, _ = accept(tenant, sample_handoff("phone", "first-after-start"))
    claimed = claim.claim_next()
    assert claimed is not None
    assert claimed.pk == session.pk


def test_the_worker_start_signal_compiles_them(tenant, monkeypatch):
    for query in list(compiled._ALL):
        monkeypatch.setattr(query, "_compiled", {})

    post_spawn.send(sender="django_q", proc_name="Process-1")

    assert all(query._compiled for query in compiled._ALL)

"""The chaos run at a small size: nothing lost or duplicated through faults and a killed worker.

bench/chaos.py starts its own web app, workers and sandbox on a fresh database (a new PostgreSQL
database when DATABASE_URL names a server), so this test only runs it and reads its verdict.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def test_sixty_handoffs_land_once_through_faults_and_a_killed_worker():
    run = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "bench/chaos.py", "--handoffs", "60", "--workers", "2",
         "--fault-rate", "0.3", "--finish-timeout", "400"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip

    report = run.stdout
    assert run.returncode == 0, report + run.stderr[-3000:]
    for row in (
        "| handoffs | 60 |",
        "| done | 60 |",
        "| lost (sent, never stored) | 0 |",
        "| duplicate records (cases, conversations, live chats) | 0 |",
        "| duplicate contacts | 0 |",
        "| notes per record | 1 |",
        "| queue items per case | 1 |",
    ):
        assert row in report, report
    killed = re.search(r"killed \(SIGKILL\) mid-run \| held (\d+) sessions, all taken", report)
    assert killed and int(killed[1]) >= 1, report

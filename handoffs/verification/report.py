"""A checklist as the commands print it, and the exit status they end with."""

from __future__ import annotations

from handoffs.verification.checklist import FAIL, Checklist

MARKS = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "skip": "SKIP"}


def report_lines(checklist: Checklist) -> list[str]:
    """Each line: mark and title, what was found, and for a problem its fix and its section."""
    lines = []
    for check in checklist.checks:
        lines.append(f"[{MARKS[check.status]}] {check.title}")
        lines.append(f"       {check.detail}")
        if check.fix and check.status != "pass":
            lines.append(f"       Fix: {check.fix}")
        if check.docs and check.status != "pass":
            lines.append(f"       See: {check.docs}")
    return lines


def exit_status(checklist: Checklist) -> int:
    """0 when every line passes, 1 when one failed, 2 for warnings only."""
    if checklist.all_pass:
        return 0
    return 1 if any(c.status == FAIL for c in checklist.checks) else 2


def summary(checklist: Checklist) -> str:
    return {0: "All checks passed.", 1: "Some checks failed.", 2: "Passed with warnings."}[
        exit_status(checklist)
    ]

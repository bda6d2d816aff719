"""The integration checklist: every reason a handoff could fail, checked before it happens.

Shared by the settings page ("Save & verify", "Verify now") and `manage.py verify_integration`.
Each line says pass / warn / fail, what was checked, the fix in plain words and the
troubleshooting section (docs/troubleshooting.md#<anchor>) that explains it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from handoffs.dynamics.schema import OrgSchema
from handoffs.errors import HandoffError

PASS, WARN, FAIL, SKIP = "pass", "warn", "fail", "skip"
TROUBLESHOOTING = "docs/troubleshooting.md"
EXPIRY_WARNING_DAYS = 30


@dataclass(frozen=True)
class Check:
    """One line of the checklist."""

    key: str
    status: str
    title: str
    detail: str
    fix: str = ""
    anchor: str = ""

    @property
    def docs(self) -> str:
        return f"{TROUBLESHOOTING}#{self.anchor}" if self.anchor else ""


@dataclass
class Checklist:
    """The lines of one verification run."""

    checks: list[Check] = field(default_factory=list)
    checked_at: datetime = field(default_factory=timezone.now)
    # What the org declares for the tables a handoff writes, when this run could read it.
    org_schema: OrgSchema | None = None
    # WhoAmI's OrganizationId, kept so the live-chat page can offer it without a call.
    organization_id: str = ""

    @property
    def ok(self) -> bool:
        """Nothing failed: a connection may be saved (warnings are advice)."""
        return all(c.status != FAIL for c in self.checks)

    @property
    def all_pass(self) -> bool:
        return all(c.status == PASS for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        found = {
            "checked_at": self.checked_at.isoformat(),
            "ok": self.ok,
            "checks": [asdict(c) for c in self.checks],
        }
        if self.organization_id:
            found["organization_id"] = self.organization_id
        return found

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Checklist | None:
        """The checklist stored on a connection, or None when it was never verified."""
        if not data or "checks" not in data:
            return None
        checks = [Check(**c) for c in data["checks"]]
        return cls(checks, datetime.fromisoformat(data["checked_at"]))


def failed(key: str, title: str, error: HandoffError) -> Check:
    """A failing line from a classified error: its message, its fix, its section."""
    return Check(key, FAIL, title, error.message, error.hint, error.code)


def skipped(key: str, title: str, reason: str) -> Check:
    return Check(key, SKIP, title, f"Not checked: {reason}.")

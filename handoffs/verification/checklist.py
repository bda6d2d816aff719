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

from handoffs.dynamics.client import DynamicsClient, client_for, credentials_fingerprint
from handoffs.dynamics.whoami import Identity, whoami
from handoffs.errors import HandoffError
from handoffs.models import DynamicsConnection

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

    @property
    def ok(self) -> bool:
        """Nothing failed: a connection may be saved (warnings are advice)."""
        return all(c.status != FAIL for c in self.checks)

    @property
    def all_pass(self) -> bool:
        return all(c.status == PASS for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked_at": self.checked_at.isoformat(),
            "ok": self.ok,
            "checks": [asdict(c) for c in self.checks],
        }

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


def check_token(client: DynamicsClient) -> Check:
    title = "Token from Microsoft Entra ID (directory, application, secret, environment URL)"
    try:
        client.token()
    except HandoffError as exc:
        return failed("token", title, exc)
    return Check("token", PASS, title, "Entra ID issued a token for the environment.")


def check_application_user(client: DynamicsClient) -> tuple[Check, Identity | None]:
    title = "Application user in the Dynamics environment (WhoAmI)"
    try:
        identity = whoami(client)
    except HandoffError as exc:
        return failed("application_user", title, exc), None
    detail = f"The app signs in as application user {identity.user_id}."
    return Check("application_user", PASS, title, detail), identity


def check_secret_expiry(connection: DynamicsConnection) -> Check:
    title = "Client secret expiry date"
    anchor = "checklist-secret-expiry"
    expires = connection.secret_expires_on
    if expires is None:
        return Check(
            "secret_expiry",
            WARN,
            title,
            "No expiry date is recorded, so nobody is warned before the secret runs out.",
            "Copy the secret's Expires date from Azure (Certificates & secrets) into the form.",
            anchor,
        )
    days = (expires - timezone.localdate()).days
    if days <= EXPIRY_WARNING_DAYS:
        when = f"expired on {expires}" if days < 0 else f"expires on {expires} ({days} days)"
        return Check(
            "secret_expiry",
            WARN,
            title,
            f"The client secret {when}.",
            "Create a new client secret in Azure, paste its Value in Settings → Dynamics "
            "connection, Save & verify, then "
            "delete the old secret in Azure.",
            anchor,
        )
    return Check("secret_expiry", PASS, title, f"The secret is valid until {expires}.")


def run_checklist(connection: DynamicsConnection, client: DynamicsClient) -> Checklist:
    """Every check, in the order a handoff meets them; later ones skip when a gate fails."""
    from handoffs.verification import org as verification_org

    checklist = Checklist()
    token = check_token(client)
    checklist.checks.append(token)
    if token.status != PASS:
        checklist.checks += verification_org.skipped_after("a token is needed first")
    else:
        user, identity = check_application_user(client)
        checklist.checks.append(user)
        if identity is None:
            checklist.checks += verification_org.skipped_after("the application user is missing")
        else:
            checklist.checks += verification_org.org_checks(client, connection, identity)
    checklist.checks.append(check_secret_expiry(connection))
    return checklist


def candidate_client(candidate: DynamicsConnection) -> DynamicsClient:
    """A throwaway client for credentials not saved yet: never cached, never shared."""
    return DynamicsClient(candidate, credentials_fingerprint(candidate))


def verify_connection(connection: DynamicsConnection) -> Checklist:
    """Verify a saved connection and store the result on it."""
    checklist = run_checklist(connection, client_for(connection))
    store(connection, checklist)
    return checklist


def store(connection: DynamicsConnection, checklist: Checklist) -> None:
    connection.last_verification = checklist.as_dict()
    update = ["last_verification", "updated_at"]
    if checklist.ok:
        connection.verified_at = checklist.checked_at
        update.append("verified_at")
    connection.save(update_fields=update)


CREDENTIAL_FIELDS = (
    "azure_tenant_id",
    "client_id",
    "client_secret",
    "secret_expires_on",
    "environment_url",
    "authority_host",
)


def candidate_for(tenant: Any, fields: dict[str, Any]) -> DynamicsConnection:
    """An unsaved connection: the stored one's settings with the submitted credentials on top."""
    stored = DynamicsConnection.objects.filter(tenant=tenant).first()
    values = {}
    if stored is not None:
        values = {
            f.name: getattr(stored, f.name)
            for f in DynamicsConnection._meta.concrete_fields
            if f.name not in ("id", "tenant", "created_at", "updated_at")
        }
    values.update({k: v for k, v in fields.items() if k in CREDENTIAL_FIELDS})
    return DynamicsConnection(tenant=tenant, **values)


def verify_and_save(tenant: Any, fields: dict[str, Any]) -> tuple[Checklist, bool]:
    """Verify submitted credentials; save them only if nothing fails. Returns (checklist, saved)."""
    candidate = candidate_for(tenant, fields)
    checklist = run_checklist(candidate, candidate_client(candidate))
    if not checklist.ok:
        return checklist, False
    stored = DynamicsConnection.objects.filter(tenant=tenant).first()
    target = stored or DynamicsConnection(tenant=tenant)
    for name in CREDENTIAL_FIELDS:
        if name in fields:
            setattr(target, name, fields[name])
    if "client_secret" in fields:
        target.client_secret_set_at = timezone.now()
    target.save()
    store(target, checklist)
    return checklist, True

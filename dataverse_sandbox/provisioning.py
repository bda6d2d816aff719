"""Creating sandbox orgs, apps, roles and faults (used by the commands and by tests)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dataverse_sandbox.models import (
    AppRegistration,
    Faults,
    Org,
    Record,
    RequestLog,
    SecurityRole,
    UserRole,
)
from dataverse_sandbox.schema import TABLES, TEXT_TYPES
from dataverse_sandbox.security import all_privileges
from dataverse_sandbox.store import now_iso

INTEGRATION_APP = "OpenCX integration"
FULL_ROLE = "System Administrator"
DEFAULT_QUEUE = "Customer Service Tier 1"
# Azure client secrets always expire; 24 months is the longest the portal recommends.
SECRET_LIFETIME = timedelta(days=730)
FAULT_FIELDS = (
    "latency_ms", "throttle_share", "throttle_burst", "retry_after", "unavailable_share",
    "drop_share", "cut_share", "slow_share", "slow_ms", "max_concurrent",
)  # fmt: skip


def environment_url(org: Org, base_url: str | None = None) -> str:
    return f"{(base_url or settings.PUBLIC_BASE_URL).rstrip('/')}/sandbox/{org.slug}"


def _add_row(org: Org, entity: str, data: dict, record_id: uuid.UUID | None = None) -> Record:
    stamp = now_iso()
    return Record.objects.create(
        org=org,
        entity=entity,
        record_id=record_id or uuid.uuid4(),
        data={"createdon": stamp, "modifiedon": stamp, **data},
    )


@transaction.atomic
def create_org(slug: str, *, name: str = "", omnichannel: bool = True) -> Org:
    """The org `slug` with its integration app, full role, default queue and users (idempotent)."""
    org = Org.objects.filter(slug=slug).first()
    if org is not None:
        return org
    org = Org.objects.create(slug=slug, name=name or f"{slug} (sandbox)", omnichannel=omnichannel)
    Faults.objects.create(org=org)
    full = add_role(org, FULL_ROLE, all_privileges())
    add_user(org, "Avery", "Agent", "avery.agent@sandbox.example", roles=[full])
    add_app(org, INTEGRATION_APP, role=full, secret_expires_at=timezone.now() + SECRET_LIFETIME)
    _add_row(org, "queue", {"name": DEFAULT_QUEUE, "description": "Default queue for handoffs"})
    if omnichannel:
        _add_row(org, "msdyn_liveworkstream", {"msdyn_name": "Chat work stream"})
    return org


def add_role(org: Org, name: str, privileges: list[str]) -> SecurityRole:
    role, _ = SecurityRole.objects.update_or_create(
        org=org, name=name, defaults={"privileges": sorted(privileges)}
    )
    return role


def role_without(org: Org, name: str, missing: list[str]) -> SecurityRole:
    """A role with every privilege except `missing` (e.g. ["prvCreateIncident"])."""
    return add_role(org, name, [p for p in all_privileges() if p not in missing])


def add_user(
    org: Org,
    first: str,
    last: str,
    email: str,
    *,
    roles: list[SecurityRole] | None = None,
    application_id: uuid.UUID | None = None,
) -> Record:
    """A system user (an application user when `application_id` is given)."""
    user = _add_row(
        org,
        "systemuser",
        {
            "firstname": first,
            "lastname": last,
            "fullname": f"{first} {last}".strip(),
            "internalemailaddress": email,
            "domainname": email,
            "applicationid": str(application_id) if application_id else None,
            "isdisabled": False,
            "businessunitid": {"id": str(org.business_unit_id), "entity": "businessunit"},
        },
    )
    for role in roles or []:
        UserRole.objects.create(org=org, systemuserid=user.record_id, role=role)
    return user


def add_app(
    org: Org,
    name: str,
    *,
    role: SecurityRole | None = None,
    application_user: bool = True,
    secret_expires_at: datetime | None = None,
) -> AppRegistration:
    """An app registration; with `application_user`, mapped to a Dataverse user holding `role`."""
    app = AppRegistration.objects.create(org=org, name=name, secret_expires_at=secret_expires_at)
    if application_user:
        user = add_user(
            org,
            "",
            f"# {name}",
            f"{app.client_id}@sandbox.example",
            roles=[role] if role else [],
            application_id=app.client_id,
        )
        app.application_user_id = user.record_id
        app.save(update_fields=["application_user_id"])
    return app


def integration_app(org: Org) -> AppRegistration:
    return org.apps.filter(name=INTEGRATION_APP).order_by("id").first()


def default_queue(org: Org) -> Record | None:
    queues = Record.objects.filter(org=org, entity="queue").order_by("created_at", "id")
    return next((q for q in queues if q.data.get("name") == DEFAULT_QUEUE), None)


def connection_fields(
    org: Org, base_url: str | None = None, app: AppRegistration | None = None
) -> dict:
    """Exactly the DynamicsConnection fields that connect a tenant to this org."""
    app = app or integration_app(org)
    env = environment_url(org, base_url)
    queue = default_queue(org)
    expires = app.secret_expires_at
    return {
        "azure_tenant_id": str(org.azure_tenant_id),
        "client_id": str(app.client_id),
        "client_secret": app.client_secret,
        "secret_expires_on": timezone.localdate(expires) if expires else None,
        "environment_url": env,
        "authority_host": f"{env}/login",
        "default_queue_id": str(queue.record_id) if queue else None,
    }


def set_column_max_length(org: Org, table: str, column: str, max_length: int) -> None:
    """Customise a text column's MaxLength, as an admin widening `incident.description` would."""
    found = TABLES.get(table)
    if found is None or column not in found.columns:
        raise ValueError(f"{table}.{column} is not a column the sandbox serves.")
    if found.columns[column].type not in TEXT_TYPES:
        raise ValueError(f"{table}.{column} is not a text column: only text has a MaxLength.")
    if not isinstance(max_length, int) or max_length < 1:
        raise ValueError(f"The MaxLength of {table}.{column} must be a whole number above 0.")

    def widen(override: dict) -> None:
        override.setdefault("columns", {}).setdefault(column, {})["max_length"] = max_length

    _customise(org, table, widen)


def set_change_tracking(org: Org, table: str, enabled: bool) -> None:
    """Turn a table's change tracking on or off (EntityMetadata.ChangeTrackingEnabled)."""
    if table not in TABLES:
        raise ValueError(f"{table} is not a table the sandbox serves.")
    _customise(org, table, lambda o: o.update(change_tracking=bool(enabled)))


def _customise(org: Org, table: str, change: Callable[[dict], None]) -> None:
    with transaction.atomic():
        locked = Org.objects.select_for_update().get(pk=org.pk)
        overrides = dict(locked.schema_overrides or {})
        change(overrides.setdefault(table, {}))
        locked.schema_overrides = overrides
        locked.save(update_fields=["schema_overrides"])
    org.schema_overrides = overrides


def expire_delta_tokens(org: Org) -> None:
    """Expire every change tracking delta link handed out so far (new ones work again)."""
    from dataverse_sandbox import changes

    changes.expire_tokens(org)


def set_faults(org: Org, **values: object) -> Faults:
    """Change some of the org's faults (see FAULT_FIELDS); the share sequence restarts."""
    unknown = set(values) - set(FAULT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fault setting(s): {', '.join(sorted(unknown))}.")
    faults, _ = Faults.objects.get_or_create(org=org)
    for key, value in values.items():
        setattr(faults, key, value)
    faults.seen = 0
    faults.save()
    return faults


def reset_faults(org: Org) -> Faults:
    """No faults at all; also clears a concurrency count left by a killed request.

    The row is reset in place: requests in flight keep finding it.
    """
    defaults = {f.name: f.default for f in Faults._meta.concrete_fields if f.name in FAULT_FIELDS}
    faults, _ = Faults.objects.update_or_create(org=org, defaults={**defaults, "seen": 0})
    Org.objects.filter(pk=org.pk).update(in_flight=0)
    return faults


def request_count(org: Org, *, kind: str = "api", method: str | None = None) -> int:
    """How many requests of `kind` ("api" or "token") the org answered."""
    rows = RequestLog.objects.filter(org=org, kind=kind)
    if method:
        rows = rows.filter(method=method.upper())
    return rows.count()


def rows(org: Org, entity: str) -> list[Record]:
    """Every row of one table, oldest first."""
    return list(Record.objects.filter(org=org, entity=entity).order_by("created_at", "id"))

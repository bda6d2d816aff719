"""Saving a tenant's Dynamics credentials: only once they pass verification."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from handoffs.models import DynamicsConnection, Tenant
from handoffs.verification.checklist import Checklist
from handoffs.verification.runner import candidate_client, run_checklist, store

CREDENTIAL_FIELDS = (
    "azure_tenant_id",
    "client_id",
    "client_secret",
    "secret_expires_on",
    "environment_url",
    "authority_host",
)


def candidate_for(tenant: Tenant, fields: dict[str, Any]) -> DynamicsConnection:
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


def verify_and_save(tenant: Tenant, fields: dict[str, Any]) -> tuple[Checklist, bool]:
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

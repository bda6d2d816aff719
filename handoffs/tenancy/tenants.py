"""Creating tenants and their connection outside the web pages (commands, demo seeding)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from handoffs.models import DynamicsConnection, Membership, Tenant


@transaction.atomic
def create_tenant(slug: str, name: str = "") -> Tenant:
    """Create a tenant with a fresh webhook key and signing secret."""
    return Tenant.objects.create(slug=slug, name=name or slug.replace("-", " ").title())


def connect(tenant: Tenant, **fields: object) -> DynamicsConnection:
    """Create or replace the tenant's Dynamics connection."""
    expires = fields.get("secret_expires_on")
    if isinstance(expires, str):
        # Commands hand connection fields over as JSON, where a date is ISO text.
        fields["secret_expires_on"] = date.fromisoformat(expires)
    if fields.get("client_secret"):
        fields["client_secret_set_at"] = timezone.now()
    connection, _ = DynamicsConnection.objects.update_or_create(tenant=tenant, defaults=fields)
    return connection


def add_member(tenant: Tenant, username: str, role: str = Membership.Role.ADMIN) -> Membership:
    """Give an existing user a role in the tenant."""
    user = get_user_model().objects.get(username=username)
    membership, _ = Membership.objects.update_or_create(
        user=user, tenant=tenant, defaults={"role": role}
    )
    return membership

"""Rotating a tenant's webhook signing secret with a grace period for the old one."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from handoffs.models import Tenant, new_webhook_secret

ROTATION_GRACE = timedelta(hours=24)


@transaction.atomic
def rotate_webhook_secret(tenant: Tenant, grace: timedelta = ROTATION_GRACE) -> str:
    """Make a new signing secret; the old one keeps verifying for `grace`. Returns the new one."""
    locked = Tenant.objects.select_for_update(no_key=True).get(pk=tenant.pk)
    secret = new_webhook_secret()
    now = timezone.now()
    locked.previous_webhook_secret = locked.webhook_secret
    locked.previous_webhook_secret_until = now + grace
    locked.webhook_secret = secret
    locked.webhook_secret_set_at = now
    locked.save(
        update_fields=[
            "webhook_secret",
            "previous_webhook_secret",
            "previous_webhook_secret_until",
            "webhook_secret_set_at",
        ]
    )
    for name in (
        "webhook_secret",
        "previous_webhook_secret",
        "previous_webhook_secret_until",
        "webhook_secret_set_at",
    ):
        setattr(tenant, name, getattr(locked, name))
    return secret

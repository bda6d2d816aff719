"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from handoffs.models import DynamicsConnection, Membership

SECRET_WARNING_DAYS = 30


def tenancy(request: HttpRequest) -> dict:
    """The signed-in user's memberships, for navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = list(
        Membership.objects.filter(user=user).select_related("tenant").order_by("tenant__name")
    )
    current = getattr(request, "membership", None)
    return {
        "memberships": memberships,
        "current_membership": current,
        "secret_expiry": secret_expiry(current),
    }


def secret_expiry(membership: Membership | None) -> dict | None:
    """The banner facts when the tenant's client secret expires within 30 days (or has)."""
    if membership is None:
        return None
    expires_on = (
        DynamicsConnection.objects.filter(tenant_id=membership.tenant_id)
        .values_list("secret_expires_on", flat=True)
        .first()
    )
    if expires_on is None:
        return None
    days_left = (expires_on - timezone.localdate()).days
    if days_left > SECRET_WARNING_DAYS:
        return None
    return {
        "tenant": membership.tenant,
        "expires_on": expires_on,
        "days_left": max(days_left, 0),
        "expired": days_left < 0,
        "can_fix": membership.role == Membership.Role.ADMIN,
    }

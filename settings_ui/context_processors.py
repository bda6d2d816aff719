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
    connection = (
        DynamicsConnection.objects.filter(tenant_id=current.tenant_id)
        .only("tenant_id", "secret_expires_on", "unavailable_since")
        .first()
        if current
        else None
    )
    return {
        "memberships": memberships,
        "current_membership": current,
        "secret_expiry": secret_expiry(current, connection),
        "outage": outage(current, connection),
    }


def outage(membership: Membership | None, connection: DynamicsConnection | None) -> dict | None:
    """The banner facts while the tenant's Dynamics is down and its handoffs wait."""
    if membership is None or connection is None or connection.unavailable_since is None:
        return None
    return {
        "tenant": membership.tenant,
        "since": connection.unavailable_since,
        "waiting": connection.waiting_for_recovery(),
    }


def secret_expiry(
    membership: Membership | None, connection: DynamicsConnection | None
) -> dict | None:
    """The banner facts when the tenant's client secret expires within 30 days (or has)."""
    if membership is None or connection is None or connection.secret_expires_on is None:
        return None
    expires_on = connection.secret_expires_on
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

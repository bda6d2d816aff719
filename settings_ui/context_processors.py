"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from handoffs.models import Membership


def tenancy(request: HttpRequest) -> dict:
    """The signed-in user's memberships, for navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = list(
        Membership.objects.filter(user=user).select_related("tenant").order_by("tenant__name")
    )
    return {
        "memberships": memberships,
        "current_membership": getattr(request, "membership", None),
    }

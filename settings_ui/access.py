"""Tenant scoping: every page reaches a tenant only through the user's membership."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from handoffs.models import Membership


def membership_or_404(request: HttpRequest, slug: str) -> Membership:
    """The user's membership in the tenant `slug`; 404 when there is none (never 403)."""
    membership = (
        Membership.objects.select_related("tenant")
        .filter(user=request.user, tenant__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404("No such tenant.")
    return membership


def tenant_view(*, admin: bool = False) -> Callable:
    """Decorate a view taking (request, slug): logs in, scopes to the tenant, checks the role.

    The view receives `request.membership` and `request.tenant`. A lead on an admin-only
    view gets 404 too: the page does not exist for them.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = membership_or_404(request, slug)
            if admin and membership.role != Membership.Role.ADMIN:
                raise Http404("Only the tenant's admins can change this.")
            request.membership = membership
            request.tenant = membership.tenant
            return view(request, slug, *args, **kwargs)

        return wrapper

    return decorator

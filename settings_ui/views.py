"""Pages for tenant admins and support leads. Thin: access helper, form, redirect."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from handoffs.models import DynamicsConnection, Membership
from settings_ui.access import tenant_view


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Go straight to the only tenant, or list them."""
    memberships = Membership.objects.filter(user=request.user).select_related("tenant")
    if len(memberships) == 1:
        return redirect("settings_ui:overview", slug=memberships[0].tenant.slug)
    return render(request, "settings_ui/home.html", {"tenant_memberships": memberships})


@tenant_view()
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The tenant's front page: webhook, connection state, recent handoffs."""
    tenant = request.tenant
    connection = DynamicsConnection.objects.filter(tenant=tenant).first()
    recent = tenant.sessions.order_by("-received_at", "-id")[:10]
    return render(
        request,
        "settings_ui/overview.html",
        {"tenant": tenant, "connection": connection, "recent": recent},
    )

"""Top-level routes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views.generic import RedirectView

from settings_ui.urls import auth_urlpatterns


def healthz(request):
    """Liveness probe for load balancers."""
    return JsonResponse({"ok": True})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The admin's own sign-in has no failure limit: operators sign in through the app's page.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
    path("hooks/opencx/", include("handoffs.urls")),
    path("hooks/dynamics/", include("handoffs.livechat.urls")),
    *auth_urlpatterns,
    path("", include("settings_ui.urls")),
]

if settings.DATAVERSE_SANDBOX:
    urlpatterns.insert(0, path("sandbox/", include("dataverse_sandbox.urls")))

# Requests Django itself refuses (e.g. an unknown Host) still answer JSON under /hooks/.
handler400 = "handoffs.inbound.webhook.bad_request"

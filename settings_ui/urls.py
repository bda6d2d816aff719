from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from settings_ui import views
from settings_ui.history import views as history
from settings_ui.login import RateLimitedLoginView
from settings_ui.password_change import RateLimitedPasswordChangeView
from settings_ui.settings_urls import settings_patterns
from settings_ui.views_help import help_page

app_name = "settings_ui"

tenant_patterns = [
    path("", views.overview, name="overview"),
    path("sessions/", history.session_list, name="history_list"),
    path("sessions/export.csv", history.export_csv, name="history_export"),
    path("sessions/<int:pk>/", history.session_detail, name="history_detail"),
    path("sessions/<int:pk>/retry/", history.retry_session, name="history_retry"),
    path("settings/", include(settings_patterns)),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("help/<slug:page>/", help_page, name="help"),
    path("t/<slug:slug>/", include(tenant_patterns)),
]

# Auth pages keep Django's own names ("login", "logout", …) outside the app namespace.
auth_urlpatterns = [
    path("accounts/login/", RateLimitedLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        RateLimitedPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

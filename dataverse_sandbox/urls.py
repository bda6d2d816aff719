"""Sandbox routes: per org, Entra ID under login/, the Web API under api/data/v9.2/, pages."""

from __future__ import annotations

from django.urls import path

from dataverse_sandbox import api, identity, pages

app_name = "dataverse_sandbox"

urlpatterns = [
    path("", pages.index, name="index"),
    path(
        "<slug:org>/login/<str:tenant>/v2.0/.well-known/openid-configuration",
        identity.openid_configuration,
        name="openid_configuration",
    ),
    path("<slug:org>/login/<str:tenant>/oauth2/v2.0/token", identity.token, name="token"),
    path("<slug:org>/api/data/v9.2/<path:resource>", api.dispatch, name="api"),
    path("<slug:org>/main.aspx", pages.record, name="record"),
    path("<slug:org>/", pages.org_home, name="org"),
]

"""Sandbox routes: per org, Entra ID under login/, the Web API under api/data/v9.2/, pages."""

from __future__ import annotations

from django.urls import path

from dataverse_sandbox import api, case_pages, identity, pages
from dataverse_sandbox.messaging import api as messaging_api
from dataverse_sandbox.messaging import workspace

app_name = "dataverse_sandbox"

urlpatterns = [
    path("", pages.index, name="index"),
    path(
        "<slug:org>/login/<str:tenant>/v2.0/.well-known/openid-configuration",
        identity.openid_configuration,
        name="openid_configuration",
    ),
    path("<slug:org>/login/<str:tenant>/oauth2/v2.0/token", identity.token, name="token"),
    path("<slug:org>/login/<str:tenant>/discovery/v2.0/keys", identity.keys, name="keys"),
    path(
        "<slug:org>/messaging/api/v1.0/consumer/<path:rest>",
        messaging_api.dispatch,
        name="messaging_api",
    ),
    path("<slug:org>/workspace/", workspace.index, name="workspace"),
    path("<slug:org>/workspace/<uuid:conversation>/", workspace.detail, name="workspace_chat"),
    path(
        "<slug:org>/workspace/<uuid:conversation>/<slug:action>/",
        workspace.act,
        name="workspace_act",
    ),
    path("<slug:org>/api/data/v9.2/<path:resource>", api.dispatch, name="api"),
    path("<slug:org>/main.aspx", pages.record, name="record"),
    path("<slug:org>/cases/<uuid:record>/<slug:action>/", case_pages.act, name="case_act"),
    path("<slug:org>/", pages.org_home, name="org"),
]

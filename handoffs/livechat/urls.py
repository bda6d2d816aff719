"""Routes Dynamics 365 calls: the live-chat channel's webhook (under /hooks/dynamics/)."""

from __future__ import annotations

from django.urls import path, re_path

from handoffs.livechat import webhook

app_name = "livechat"

urlpatterns = [
    path(
        "<str:channel_key>/v3/conversations/<str:conversation_id>/activities",
        webhook.receive_activity,
        name="activities",
    ),
    re_path(r"^", webhook.no_such_endpoint),
]

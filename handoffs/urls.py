from __future__ import annotations

from django.urls import path

from handoffs import webhook

app_name = "handoffs"

urlpatterns = [
    path("<str:webhook_key>/", webhook.receive_handoff, name="webhook"),
    path(
        "<str:webhook_key>/sessions/<path:session_id>",
        webhook.session_status,
        name="status",
    ),
]

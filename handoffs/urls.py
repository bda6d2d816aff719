from __future__ import annotations

from django.urls import path, re_path

from handoffs.inbound import webhook
from handoffs.livechat.relay import intake

app_name = "handoffs"

urlpatterns = [
    path("<str:webhook_key>/", webhook.receive_handoff, name="webhook"),
    # A webhook URL pasted without its trailing slash still delivers (a redirect would lose
    # the POST body).
    path("<str:webhook_key>", webhook.receive_handoff),
    # Before the status route, which would take ".../messages" as part of a session_id.
    re_path(
        r"^(?P<webhook_key>[^/]+)/sessions/(?P<session_id>(?s:.+))/messages\Z",
        intake.receive_message,
        name="messages",
    ),
    # Any session_id, line breaks included, so that one is refused by name (path() would not match).
    re_path(
        r"^(?P<webhook_key>[^/]+)/sessions/(?P<session_id>(?s:.+))\Z",
        webhook.session_status,
        name="status",
    ),
    # Anything else under the webhook prefix answers JSON too, as OpenCX expects.
    re_path(r"^", webhook.no_such_endpoint),
]

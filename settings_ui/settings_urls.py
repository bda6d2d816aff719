"""Routes of the integration settings pages, included under /t/<slug>/settings/."""

from __future__ import annotations

from django.urls import path

from settings_ui import views_connection, views_live_chat, views_routing, views_webhook

settings_patterns = [
    path("", views_connection.settings_home, name="settings"),
    path("connection/", views_connection.edit_connection, name="settings_connection"),
    path("connection/verify/", views_connection.verify_now, name="settings_verify"),
    path("connection/disconnect/", views_connection.disconnect, name="settings_disconnect"),
    path("live-chat/", views_live_chat.edit_live_chat, name="settings_live_chat"),
    path("live-chat/verify/", views_live_chat.verify_live_chat, name="settings_live_chat_verify"),
    path("defaults/", views_routing.edit_defaults, name="settings_defaults"),
    path(
        "ticket-properties/",
        views_routing.edit_ticket_properties,
        name="settings_ticket_properties",
    ),
    path("chats-as-cases/", views_routing.chats_as_cases, name="settings_chats_as_cases"),
    path("webhook/", views_webhook.webhook_panel, name="settings_webhook"),
    path("webhook/rotate/", views_webhook.rotate_secret, name="settings_rotate_secret"),
    path("webhook/callback/", views_webhook.save_callback, name="settings_callback"),
    path("webhook/test/", views_webhook.send_test_handoff, name="settings_test_handoff"),
    path("webhook/test/<int:pk>/", views_webhook.test_result, name="settings_test_result"),
]

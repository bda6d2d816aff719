"""Django admin for platform operators. Secrets are never displayed."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from handoffs.admin_forms import DynamicsConnectionAdminForm
from handoffs.lifecycle.replay import replay
from handoffs.models import (
    DynamicsConnection,
    HandoffEvent,
    HandoffSession,
    LiveChatChannel,
    Membership,
    Tenant,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "connected", "sessions_link", "callback_url", "created_at"]
    search_fields = ["name", "slug"]
    # webhook_secret and previous_webhook_secret are left out on purpose: never shown.
    fields = [
        "name",
        "slug",
        "webhook_key",
        "callback_url",
        "case_updates_enabled",
        "case_updates_since",
        "webhook_secret_set_at",
        "created_at",
    ]
    readonly_fields = ["webhook_key", "case_updates_since", "webhook_secret_set_at", "created_at"]
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(boolean=True, description="Dynamics connected")
    def connected(self, tenant: Tenant) -> bool:
        return DynamicsConnection.objects.filter(tenant=tenant).exists()

    @admin.display(description="Handoffs")
    def sessions_link(self, tenant: Tenant) -> str:
        url = reverse("admin:handoffs_handoffsession_changelist")
        return format_html('<a href="{}?tenant__id__exact={}">Handoffs</a>', url, tenant.pk)


@admin.register(DynamicsConnection)
class DynamicsConnectionAdmin(admin.ModelAdmin):
    list_display = ["tenant", "environment_url", "chat_target", "secret_expires_on", "verified_at"]
    list_select_related = ["tenant"]
    search_fields = ["tenant__name", "tenant__slug", "environment_url"]
    # The secret is write-only everywhere: the admin shows when it was set, never the value.
    exclude = ["client_secret"]
    form = DynamicsConnectionAdminForm
    readonly_fields = ["client_secret_state", "verified_at", "last_verification"]

    @admin.display(description="Client secret")
    def client_secret_state(self, connection: DynamicsConnection) -> str:
        if not connection.client_secret_set_at:
            return "Not set" if not connection.client_secret else "Set"
        return f"Set on {connection.client_secret_set_at:%Y-%m-%d %H:%M} UTC"


@admin.register(LiveChatChannel)
class LiveChatChannelAdmin(admin.ModelAdmin):
    """Read only: a channel is saved through Settings → Live chat or connect_live_chat, verified."""

    list_display = ["tenant", "base_url", "channel_id", "own_app", "verified_at"]
    list_select_related = ["tenant"]
    search_fields = ["tenant__name", "tenant__slug", "base_url"]
    exclude = ["client_secret"]  # write-only everywhere

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class HandoffEventInline(admin.TabularInline):
    model = HandoffEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "detail"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HandoffSession)
class HandoffSessionAdmin(admin.ModelAdmin):
    list_display = [
        "session_id",
        "tenant",
        "channel",
        "status",
        "attempts",
        "reference",
        "last_error_code",
        "received_at",
    ]
    list_filter = ["status", "channel", "target", "tenant"]
    list_select_related = ["tenant"]
    # Exact or prefix lookups only: a contains-search would scan every session.
    search_fields = [
        "=session_id",
        "^dynamics365_ticket_number",
        "=customer_email",
        "^customer_phone",
    ]
    search_help_text = "Session id or email (exact), ticket number or phone (prefix)."
    readonly_fields = ["dynamics_link", *(f.name for f in HandoffSession._meta.fields)]
    inlines = [HandoffEventInline]
    date_hierarchy = "received_at"
    actions = ["replay_failed"]
    show_full_result_count = False  # counting a million rows on every page is not worth it

    def has_add_permission(self, request) -> bool:
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Every field is read-only (sessions change only through the handoff itself).
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description="Ticket / conversation")
    def reference(self, session: HandoffSession) -> str:
        text = session.dynamics365_ticket_number or session.dynamics365_chat_id or ""
        if not text:
            return "—"
        if not session.record_url:
            return str(text)
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', session.record_url, text
        )

    @admin.display(description="Dynamics record")
    def dynamics_link(self, session: HandoffSession) -> str:
        if not session.record_url:
            return "Not written in Dynamics yet."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Open in Dynamics</a>', session.record_url
        )

    @admin.action(description="Replay failed sessions (same record id, never a second record)")
    def replay_failed(self, request: HttpRequest, queryset: QuerySet[HandoffSession]) -> None:
        actor = request.user.get_username()
        selected = list(queryset)  # counted now: replaying changes what the queryset matches
        replayed = sum(
            replay(session, actor=actor)
            for session in selected
            if session.status == HandoffSession.Status.FAILED
        )
        skipped = len(selected) - replayed
        self.message_user(
            request,
            f"Queued {replayed} failed session(s) again."
            + (f" Skipped {skipped} that were not failed." if skipped else ""),
            messages.SUCCESS if replayed else messages.WARNING,
        )


# The live-chat relay's queues, read only.
from handoffs.livechat.relay import admin as relay_admin  # noqa: E402,F401

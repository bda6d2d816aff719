"""Django admin for platform operators. Secrets are never displayed."""

from __future__ import annotations

from django.contrib import admin

from handoffs.models import DynamicsConnection, HandoffEvent, HandoffSession, Membership, Tenant


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "callback_url", "created_at"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "webhook_key", "callback_url", "webhook_secret_set_at", "created_at"]
    readonly_fields = ["webhook_key", "webhook_secret_set_at", "created_at"]
    inlines = [MembershipInline]


@admin.register(DynamicsConnection)
class DynamicsConnectionAdmin(admin.ModelAdmin):
    list_display = ["tenant", "environment_url", "chat_target", "verified_at"]
    exclude = ["client_secret"]
    readonly_fields = ["client_secret_set_at", "verified_at", "last_verification"]


class HandoffEventInline(admin.TabularInline):
    model = HandoffEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "detail"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HandoffSession)
class HandoffSessionAdmin(admin.ModelAdmin):
    list_display = [
        "session_id",
        "tenant",
        "channel",
        "status",
        "attempts",
        "dynamics365_ticket_number",
        "last_error_code",
        "received_at",
    ]
    list_filter = ["status", "channel", "tenant"]
    search_fields = ["session_id", "dynamics365_ticket_number", "customer_email", "customer_phone"]
    readonly_fields = [f.name for f in HandoffSession._meta.fields]
    inlines = [HandoffEventInline]
    date_hierarchy = "received_at"

    def has_add_permission(self, request) -> bool:
        return False

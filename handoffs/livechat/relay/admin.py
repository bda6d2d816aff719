"""Read-only operator lists of the relay's queues (registered by handoffs.admin)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from handoffs.livechat.relay.models import CustomerMessage, RepActivity


class ReadOnly(admin.ModelAdmin):
    """Rows change only through the relay itself."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CustomerMessage)
class CustomerMessageAdmin(ReadOnly):
    list_display = ["message_id", "session", "kind", "sequence", "received_at", "delivered_at",
                    "given_up_at", "attempts", "last_error_code"]  # fmt: skip
    list_filter = ["kind"]
    list_select_related = ["session__tenant"]
    search_fields = ["=message_id", "=session__session_id"]
    raw_id_fields = ["session"]


@admin.register(RepActivity)
class RepActivityAdmin(ReadOnly):
    """Every activity Dynamics posted, those for conversations no session knows included."""

    list_display = ["received_at", "tenant", "session", "conversation_id", "outcome", "relayed_at"]
    list_filter = ["tenant"]
    list_select_related = ["tenant", "session"]
    search_fields = ["=conversation_id", "=session__session_id"]
    raw_id_fields = ["session"]

"""Tenants, their Dynamics connection, and the handoff sessions with their audit trail."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from handoffs import channels
from handoffs.outbound import policy
from handoffs.tenancy.fields import EncryptedTextField


def new_webhook_key() -> str:
    return secrets.token_urlsafe(24)


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def validate_callback_url(value: str) -> None:
    """The outbound policy's verdict on a callback URL, for every form and the admin alike."""
    try:
        policy.check_callback_url(value)
    except policy.RefusedUrl as exc:
        raise ValidationError(str(exc), code="refused_url") from None


class Tenant(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    webhook_key = models.CharField(max_length=64, unique=True, default=new_webhook_key)
    webhook_secret = EncryptedTextField(default=new_webhook_secret)
    # After a rotation the previous secret keeps verifying until this moment.
    previous_webhook_secret = EncryptedTextField(blank=True, default="")
    previous_webhook_secret_until = models.DateTimeField(null=True, blank=True)
    webhook_secret_set_at = models.DateTimeField(default=timezone.now)
    callback_url = models.URLField(blank=True, max_length=500, validators=[validate_callback_url])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def verifying_secrets(self) -> list[str]:
        """The secrets a signature may be made with right now."""
        current = [self.webhook_secret]
        grace = self.previous_webhook_secret_until
        if self.previous_webhook_secret and grace and grace > timezone.now():
            current.append(self.previous_webhook_secret)
        return current

    @property
    def webhook_url(self) -> str:
        return f"{settings.PUBLIC_BASE_URL}/hooks/opencx/{self.webhook_key}/"


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        LEAD = "lead", "Support lead"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LEAD)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant"], name="membership_unique_user_tenant")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.tenant}"


class DynamicsConnection(models.Model):
    class ChatTarget(models.TextChoices):
        # Set when the tenant configures its Contact Center messaging channel (handoffs.livechat).
        LIVE_CHAT = "live_chat", "Live chat a rep answers (Contact Center Messaging API)"
        LIVE_WORK_ITEM = "live_work_item", "Omnichannel conversation (live work item)"
        INCIDENT = "incident", "Case (incident), for orgs without Omnichannel"

    class FallbackType(models.TextChoices):
        CONTACT = "contact", "Contact"
        ACCOUNT = "account", "Account"

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="connection")
    azure_tenant_id = models.CharField("Directory (tenant) ID", max_length=64)
    client_id = models.CharField("Application (client) ID", max_length=64)
    client_secret = EncryptedTextField(blank=True, default="")
    client_secret_set_at = models.DateTimeField(null=True, blank=True)
    secret_expires_on = models.DateField(null=True, blank=True)
    environment_url = models.CharField(max_length=300)
    authority_host = models.CharField(max_length=300, default="https://login.microsoftonline.com")

    default_priority = models.PositiveIntegerField(null=True, blank=True)
    default_owner_id = models.UUIDField(null=True, blank=True)
    default_queue_id = models.UUIDField(null=True, blank=True)
    default_workstream_id = models.UUIDField(null=True, blank=True)
    chat_target = models.CharField(
        max_length=20, choices=ChatTarget.choices, default=ChatTarget.LIVE_WORK_ITEM
    )
    ticket_properties = models.JSONField(default=dict, blank=True)

    phone_lookup = models.BooleanField(default=True)
    fallback_customer_type = models.CharField(
        max_length=10, choices=FallbackType.choices, blank=True, default=""
    )
    fallback_customer_id = models.UUIDField(null=True, blank=True)
    # The per-tenant "Anonymous OpenCX customer" contact, created once when first needed.
    anonymous_contact_id = models.UUIDField(null=True, blank=True)

    verified_at = models.DateTimeField(null=True, blank=True)
    last_verification = models.JSONField(default=dict, blank=True)
    # Navigation names and text limits the org declares (handoffs.dynamics.schema), read when
    # the connection is verified; empty means Microsoft's documented defaults.
    dataverse_schema = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.tenant} → {self.environment_url}"

    def target_for(self, channel: str) -> str:
        """Where a handoff on `channel` is written: chats as conversations when configured."""
        chat = channels.get(channel)
        if chat is None or not chat.chat:
            return HandoffSession.Target.INCIDENT
        if self.chat_target == self.ChatTarget.LIVE_CHAT:
            return HandoffSession.Target.LIVE_CHAT
        if self.chat_target == self.ChatTarget.LIVE_WORK_ITEM:
            return HandoffSession.Target.LIVE_WORK_ITEM
        return HandoffSession.Target.INCIDENT

    def remember_anonymous_contact(self, contact_id: str) -> None:
        """Keep the tenant's catch-all contact once it exists in Dynamics."""
        if str(self.anonymous_contact_id or "") == contact_id:
            return
        DynamicsConnection.objects.filter(pk=self.pk).update(anonymous_contact_id=contact_id)
        self.anonymous_contact_id = contact_id

    @property
    def is_complete(self) -> bool:
        return bool(
            self.azure_tenant_id and self.client_id and self.client_secret and self.environment_url
        )


class HandoffSession(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        RETRYING = "retrying", "Retrying"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Target(models.TextChoices):
        INCIDENT = "incident", "Case"
        LIVE_WORK_ITEM = "live_work_item", "Conversation"
        LIVE_CHAT = "live_chat", "Live chat"

    class LiveChatState(models.TextChoices):
        WAITING = "waiting", "Waiting for a rep"
        ACTIVE = "active", "A rep is answering"
        ENDED = "ended", "Ended"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="sessions")
    session_id = models.CharField(max_length=200)
    # A registry code (handoffs.channels); no choices here, so a new channel needs no migration.
    channel = models.CharField(max_length=channels.CODE_MAX_LENGTH)
    payload = models.JSONField()
    # Copied out of the payload so the history list can filter and search on indexes.
    customer_name = models.CharField(max_length=200, blank=True, default="")
    customer_email = models.CharField(max_length=254, blank=True, default="")
    customer_phone = models.CharField(max_length=64, blank=True, default="")
    classification = models.CharField(max_length=200, blank=True, default="")
    sentiment = models.CharField(max_length=100, blank=True, default="")

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    target = models.CharField(max_length=20, choices=Target.choices, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=64, blank=True, default="")
    last_error_message = models.TextField(blank=True, default="")

    # Generated before the first Dataverse call and reused on every retry: never two records.
    record_id = models.UUIDField(null=True, blank=True)
    note_id = models.UUIDField(null=True, blank=True)
    dynamics365_incident_id = models.UUIDField(null=True, blank=True)
    dynamics365_ticket_number = models.CharField(max_length=100, blank=True, default="")
    dynamics365_chat_id = models.UUIDField(null=True, blank=True)
    dynamics365_contact_id = models.UUIDField(null=True, blank=True)
    record_url = models.CharField(max_length=500, blank=True, default="")
    # A live chat's progress (target live_chat): waiting once the conversation exists; the
    # relay of Dynamics' activities moves it on and names the rep.
    live_chat_state = models.CharField(
        max_length=10, choices=LiveChatState.choices, blank=True, default=""
    )
    live_chat_agent = models.CharField(max_length=200, blank=True, default="")

    received_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    callback_delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "session_id"], name="handoffsession_unique_tenant_session"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "-received_at", "-id"], name="session_tenant_recent"),
            models.Index(fields=["tenant", "status", "-received_at"], name="session_tenant_status"),
            models.Index(
                fields=["tenant", "channel", "-received_at"], name="session_tenant_channel"
            ),
            models.Index(
                fields=["tenant", "dynamics365_ticket_number"], name="session_tenant_ticket"
            ),
            models.Index(fields=["tenant", "customer_email"], name="session_tenant_email"),
            models.Index(fields=["tenant", "customer_phone"], name="session_tenant_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.tenant.slug}/{self.session_id}"

    def mark_processing(self) -> None:
        """A worker took this attempt: count it and fix the record ids before any call."""
        self.status = self.Status.PROCESSING
        self.attempts += 1
        self.next_attempt_at = None
        # The record id is fixed before any call, so a retry can never make a second record.
        self.record_id = self.record_id or uuid.uuid4()
        self.note_id = self.note_id or uuid.uuid4()
        self.save()

    def mark_done(self, delivered: Any) -> None:
        """Store what landed in Dynamics (a handoffs.delivery.Delivered) and finish."""
        self.status = self.Status.DONE
        self.target = delivered.target
        if delivered.target == self.Target.INCIDENT:
            self.dynamics365_incident_id = delivered.record_id
            self.dynamics365_ticket_number = delivered.ticket_number
        else:
            self.dynamics365_chat_id = delivered.record_id
        self.dynamics365_contact_id = delivered.contact_id
        self.record_url = delivered.record_url
        self.last_error_code = ""
        self.last_error_message = ""
        self.completed_at = timezone.now()
        self.save()

    def mark_failed(self, code: str, readable: str) -> None:
        """Stop for good (until replayed) with a readable error."""
        self.status = self.Status.FAILED
        self.last_error_code = code
        self.last_error_message = readable
        self.completed_at = timezone.now()
        self.save()

    def mark_retrying(self, code: str, readable: str, when: datetime) -> None:
        """Wait for another attempt at `when`."""
        self.status = self.Status.RETRYING
        self.next_attempt_at = when
        self.last_error_code = code
        self.last_error_message = readable
        self.save()

    @property
    def channel_label(self) -> str:
        return channels.label(self.channel)

    @property
    def duration_seconds(self) -> float | None:
        if not self.completed_at:
            return None
        return (self.completed_at - self.received_at).total_seconds()


class HandoffEvent(models.Model):
    """Append-only audit row: one per thing that happened to a session."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        DATAVERSE_CALL = "dataverse_call", "Dataverse call"
        RETRY_SCHEDULED = "retry_scheduled", "Retry scheduled"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CALLBACK_SENT = "callback_sent", "Callback sent"
        CALLBACK_FAILED = "callback_failed", "Callback failed"
        REPLAYED = "replayed", "Replayed"
        MESSAGING_CALL = "messaging_call", "Messaging API call"
        DYNAMICS_ACTIVITY = "dynamics_activity", "Activity from Dynamics"

    session = models.ForeignKey(HandoffSession, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"], name="event_session_time")]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.created_at:%Y-%m-%d %H:%M:%S}"


# The live-chat channel's model lives with its package; imported here so Django registers it.
from handoffs.livechat.models import LiveChatChannel  # noqa: E402,F401

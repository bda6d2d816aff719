"""State behind the Messaging API: per-org switches and faults, conversations, deliveries."""

from __future__ import annotations

import uuid

from django.db import models

from dataverse_sandbox.models import Org


class MessagingSettings(models.Model):
    """How an org's emulation reads Microsoft's ambiguous docs (see docs/sandbox.md)."""

    org = models.OneToOneField(Org, on_delete=models.CASCADE, related_name="messaging")
    # The address the product reaches the sandbox at: names the token issuer and the JWKS.
    base_url = models.CharField(max_length=300)
    event_type = models.CharField(max_length=10, default="message")  # or "event"
    key_case = models.CharField(max_length=10, default="camel")  # or "pascal"
    event_names = models.CharField(max_length=10, default="samples")  # or "list"
    audience = models.CharField(max_length=12, default="client_id")  # or "app_id_uri"
    token_version = models.PositiveSmallIntegerField(default=2)  # or 1
    error_code_in = models.CharField(max_length=10, default="errorCode")  # "title", "detail"
    webhook_attempts = models.PositiveSmallIntegerField(default=4)
    retry_backoff_ms = models.PositiveIntegerField(default=1000)

    def __str__(self) -> str:
        return f"messaging settings for {self.org.slug}"


class MessagingFaults(models.Model):
    """Faults injected into an org's Messaging API answers and webhook deliveries."""

    org = models.OneToOneField(Org, on_delete=models.CASCADE, related_name="messaging_faults")
    throttle_share = models.FloatField(default=0.0)
    throttle_burst = models.PositiveIntegerField(default=0)
    retry_after = models.PositiveIntegerField(default=1)
    error_share = models.FloatField(default=0.0)
    unavailable_share = models.FloatField(default=0.0)
    context_lag_reads = models.PositiveIntegerField(default=0)
    duplicate_deliveries = models.BooleanField(default=False)
    seen = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"messaging faults for {self.org.slug}"


class SigningKey(models.Model):
    """The org's RSA key pair; its public half is published as the directory's JWKS."""

    org = models.OneToOneField(Org, on_delete=models.CASCADE, related_name="signing_key_pair")
    kid = models.CharField(max_length=64)
    private_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.org.slug}/{self.kid}"


class Conversation(models.Model):
    """One Messaging API conversation, from create to Closed."""

    OPEN, ACTIVE, WRAPUP, CLOSED = "open", "active", "wrapup", "closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="conversations")
    channel_id = models.UUIDField()
    state = models.CharField(max_length=10, default=OPEN)
    customer_id = models.CharField(max_length=200, blank=True, default="")
    request_id = models.CharField(max_length=200, blank=True, default="")
    customer = models.JSONField(default=dict)
    # [[name, value], ...]: a list keeps the sender's order on every database.
    context = models.JSONField(default=list)
    skip_deflection_bot = models.BooleanField(default=False)
    contact_id = models.UUIDField(null=True, blank=True)
    agent_id = models.UUIDField(null=True, blank=True)
    agent_name = models.CharField(max_length=200, blank=True, default="")
    ended_by = models.CharField(max_length=10, blank=True, default="")
    customer_typing_at = models.DateTimeField(null=True, blank=True)
    context_reads = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["org", "customer_id"], name="sandbox_conv_customer"),
            models.Index(fields=["org", "state"], name="sandbox_conv_state"),
        ]

    def __str__(self) -> str:
        return f"conversation {self.id} ({self.state})"


class Message(models.Model):
    """A message, custom event or rep signal in a conversation; `message_id` is its epoch-ms id.

    Rep signals (events and typing) are kept here too so every activity of a conversation gets
    a distinct, increasing id.
    """

    START, CUSTOMER, REP, EVENT, SIGNAL = "start", "customer", "rep", "event", "signal"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="items")
    message_id = models.BigIntegerField()
    kind = models.CharField(max_length=10)
    from_id = models.CharField(max_length=256, blank=True, default="")
    from_name = models.CharField(max_length=256, blank=True, default="")
    text = models.TextField(blank=True, default="")
    attachments = models.JSONField(default=list)
    channel_data = models.JSONField(default=dict)
    name = models.CharField(max_length=256, blank=True, default="")
    client_id = models.CharField(max_length=256, blank=True, default="")
    automated = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["message_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "message_id"], name="sandbox_msg_unique_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"


class Delivery(models.Model):
    """One activity for the channel's webhook, sent in order per conversation."""

    PENDING, SENDING, DELIVERED, FAILED = "pending", "sending", "delivered", "failed"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="deliveries")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="deliveries"
    )
    label = models.CharField(max_length=64)
    url = models.CharField(max_length=600, blank=True, default="")
    body = models.JSONField(default=dict)
    state = models.CharField(max_length=10, default=PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "state"], name="sandbox_delivery_state")]

    def __str__(self) -> str:
        return f"{self.label} → {self.state}"


class DeliveryAttempt(models.Model):
    """One POST to the webhook: what tests and the workspace page show."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveIntegerField()
    status = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)
    duplicate = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.status or self.error}"

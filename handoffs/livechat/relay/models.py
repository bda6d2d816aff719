"""The relay's two queues: customer messages on their way to the rep, rep activities to relay."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class CustomerMessage(models.Model):
    """One message (or typing signal, or the end) OpenCX sent for a live chat's customer.

    Sent to the Messaging API in `sequence` order: a message leaves only after every earlier one
    of its session was delivered or given up, one sender at a time (`sending_until` is its lease).
    """

    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        TYPING = "typing", "Typing"
        END = "end", "End of conversation"

    session = models.ForeignKey(
        "handoffs.HandoffSession", on_delete=models.CASCADE, related_name="customer_messages"
    )
    sequence = models.PositiveIntegerField()
    message_id = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True, default="")
    attachments = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)  # the customer's timestamp, if given
    received_at = models.DateTimeField(default=timezone.now)

    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=64, blank=True, default="")
    last_error_message = models.CharField(max_length=500, blank=True, default="")
    # The Messaging API's id for the message (a 13-digit epoch-millisecond string).
    dynamics_message_id = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        app_label = "handoffs"
        ordering = ["session", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sequence"], name="customermessage_unique_sequence"
            ),
            models.UniqueConstraint(
                fields=["session", "message_id"], name="customermessage_unique_message_id"
            ),
        ]
        indexes = [
            models.Index(fields=["delivered_at", "given_up_at"], name="customermessage_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id} of session {self.session_id}"

    @property
    def pending(self) -> bool:
        return self.delivered_at is None and self.given_up_at is None


class RepActivity(models.Model):
    """One activity Dynamics posted to the channel's webhook, kept until the worker relays it.

    `dedupe_key` is `id:<activity id>` when the activity has an id, else `sha256:<digest>` of its
    content (handoffs.livechat.relay.inbox); a repeat of a key is not stored again.
    """

    tenant = models.ForeignKey(
        "handoffs.Tenant", on_delete=models.CASCADE, related_name="rep_activities"
    )
    # Null while no session has this conversation (yet): adopted when its handoff stores it.
    session = models.ForeignKey(
        "handoffs.HandoffSession",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rep_activities",
    )
    conversation_id = models.UUIDField()
    received_at = models.DateTimeField(default=timezone.now)
    dedupe_key = models.CharField(max_length=300)
    activity = models.JSONField()
    relayed_at = models.DateTimeField(null=True, blank=True)
    # What the relay made of it: an OpenCX event name, or why nothing was sent.
    outcome = models.CharField(max_length=80, blank=True, default="")
    event_id = models.UUIDField(null=True, blank=True)

    class Meta:
        app_label = "handoffs"
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "conversation_id", "dedupe_key"],
                condition=Q(dedupe_key__startswith="id:"),
                name="repactivity_unique_activity_id",
            )
        ]
        indexes = [
            models.Index(
                fields=["tenant", "conversation_id", "received_at"], name="repactivity_conv"
            ),
            models.Index(fields=["session", "relayed_at"], name="repactivity_pending"),
        ]

    def __str__(self) -> str:
        return f"activity {self.dedupe_key[:20]} of conversation {self.conversation_id}"

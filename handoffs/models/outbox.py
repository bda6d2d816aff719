"""What the service owes OpenCX: signed callbacks and events, delivered in order per session."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from handoffs.models.sessions import HandoffSession


class OutboundEvent(models.Model):
    """One POST to the tenant's callback URL; kept until delivered (or given up, audited).

    `sequence` orders a session's events: an event leaves only after every earlier one of its
    session was delivered, so OpenCX hears a session's story in order.
    """

    STATUS = "status"  # the status document, sent when a session reaches done or failed

    session = models.ForeignKey(
        HandoffSession, on_delete=models.CASCADE, related_name="outbound_events"
    )
    sequence = models.PositiveIntegerField()
    event_id = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=40)
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A sender holds the event until this moment; a crashed sender's lease simply runs out.
    sending_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["session", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sequence"], name="outboundevent_unique_session_sequence"
            )
        ]
        indexes = [
            models.Index(fields=["delivered_at", "given_up_at"], name="outbound_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.sequence} of session {self.session_id}"

    @property
    def pending(self) -> bool:
        return self.delivered_at is None and self.given_up_at is None


class SentSignature(models.Model):
    """A signature this service put on a callback, so it is refused if it comes back in.

    Callbacks are signed like OpenCX's webhooks (same secret, same scheme), so a captured
    callback would otherwise verify at the webhook. Kept for the signature tolerance window.
    """

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"signature {self.digest[:8]}…"

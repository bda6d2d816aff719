"""Handoff sessions and their append-only audit trail."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from handoffs import channels
from handoffs.models.tenants import Tenant


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

    # The case as Dynamics last showed it (handoffs.caseupdates); blank until first seen.
    case_state = models.CharField(max_length=12, blank=True, default="")
    case_status_reason = models.CharField(max_length=200, blank=True, default="")
    case_owner = models.CharField(max_length=200, blank=True, default="")
    case_resolution = models.TextField(blank=True, default="")
    case_updated_at = models.DateTimeField(null=True, blank=True)

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
            models.Index(
                fields=["tenant", "dynamics365_incident_id"], name="session_tenant_incident"
            ),
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
        CASE_UPDATED = "case_updated", "Case updated in Dynamics"

    session = models.ForeignKey(HandoffSession, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"], name="event_session_time")]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.created_at:%Y-%m-%d %H:%M:%S}"

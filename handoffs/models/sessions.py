"""Handoff sessions and their append-only audit trail."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from handoffs import channels
from handoffs.models.rollups import bump, cells_of, rollup_day, shard_of
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
    # While `processing`: the worker holding the session ("host:pid:started") and until when;
    # a lease that runs out, or a holder that died on this host, frees the session again.
    claimed_by = models.CharField(max_length=200, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
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
            models.Index(fields=["status", "tenant", "id"], name="session_status_tenant"),
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, moving the session's contribution to the rollups in the same transaction."""
        counted = getattr(self, "_counted", None)
        if counted is None and not self._state.adding:
            super().save(*args, **kwargs)  # loaded without its status: nothing it counts changes
            return
        before, after = counted or frozenset(), self.rollup_cells()
        # No savepoint inside a caller's transaction (a claim): an error undoes that whole
        # transaction anyway.
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            if after != before:
                changes = dict.fromkeys(after - before, 1) | dict.fromkeys(before - after, -1)
                day = rollup_day(self.received_at)
                bump(self.tenant_id, day, self.channel, changes, shard=shard_of(self.pk))
        self._counted = after

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> HandoffSession:
        session = super().from_db(db, field_names, values)
        session._counted = session.rollup_cells() if "status" in field_names else None
        return session

    def rollup_cells(self) -> frozenset[tuple[str, str]]:
        """What this session adds to its day's totals: its status, failure code or duration."""
        status, code = str(self.status), self.last_error_code
        return frozenset(cells_of(status, code, self.received_at, self.completed_at))

    # What each step writes: only its own columns, never the (up to 1 MiB) payload again, and
    # never a column another process may have changed meanwhile (the live chat's state, say).
    CLAIM_FIELDS = (
        "status", "attempts", "next_attempt_at", "claimed_by", "lease_until", "record_id",
        "note_id",
    )  # fmt: skip
    DONE_FIELDS = (
        "status", "target", "dynamics365_incident_id", "dynamics365_ticket_number",
        "dynamics365_chat_id", "dynamics365_contact_id", "record_url", "last_error_code",
        "last_error_message", "completed_at",
    )  # fmt: skip

    def mark_processing(self, holder: str, lease_until: datetime) -> None:
        """A worker took this attempt: count it and fix the record ids before any call."""
        self.status = self.Status.PROCESSING
        self.attempts += 1
        self.next_attempt_at = None
        self.claimed_by = holder
        self.lease_until = lease_until
        # The record id is fixed before any call, so a retry can never make a second record.
        self.record_id = self.record_id or uuid.uuid4()
        self.note_id = self.note_id or uuid.uuid4()
        self.save(update_fields=[*self.CLAIM_FIELDS, "updated_at"])

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
        self.save(update_fields=[*self.DONE_FIELDS, "updated_at"])

    def mark_failed(self, code: str, readable: str) -> None:
        """Stop for good (until replayed) with a readable error."""
        self.status = self.Status.FAILED
        self.last_error_code = code
        self.last_error_message = readable
        self.completed_at = timezone.now()
        fields = ["status", "last_error_code", "last_error_message", "completed_at"]
        self.save(update_fields=[*fields, "updated_at"])

    def mark_retrying(self, code: str, readable: str, when: datetime | None) -> None:
        """Wait for another attempt at `when` (None: until the tenant's Dynamics answers again)."""
        self.status = self.Status.RETRYING
        self.next_attempt_at = when
        self.last_error_code = code
        self.last_error_message = readable
        # `attempts` too: an outage hands the attempt back (lifecycle.outage.wait).
        fields = ["status", "next_attempt_at", "last_error_code", "last_error_message", "attempts"]
        self.save(update_fields=[*fields, "updated_at"])

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
        CASE_UPDATED = "case_updated", "Case updated in Dynamics"
        CUSTOMER_MESSAGE = "customer_message", "Customer message received"
        MESSAGE_DELIVERY = "message_delivery", "Customer message to Dynamics"

    session = models.ForeignKey(HandoffSession, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"], name="event_session_time")]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.created_at:%Y-%m-%d %H:%M:%S}"

"""The sandbox's state: organisations, identities, records, faults and request counts.

Everything lives in the database so every web process (and the task worker's view of it) sees
the same organisation, exactly like one cloud environment shared by many callers.
"""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models, transaction
from django.db.models import F
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

TICKET_SUFFIX_ALPHABET = string.ascii_uppercase + string.digits


def new_signing_key() -> str:
    return secrets.token_urlsafe(32)


def new_client_secret() -> str:
    # Entra secret values are ~40 chars of letters, digits and ~._- ; never a GUID.
    return secrets.token_urlsafe(30)


class Org(models.Model):
    """One Dataverse environment together with the Entra directory that guards it."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    azure_tenant_id = models.UUIDField(default=uuid.uuid4, unique=True)
    organization_id = models.UUIDField(default=uuid.uuid4)
    business_unit_id = models.UUIDField(default=uuid.uuid4)
    signing_key = models.CharField(max_length=100, default=new_signing_key)
    omnichannel = models.BooleanField(default=True)
    ticket_prefix = models.CharField(max_length=3, default="CAS")
    ticket_sequence = models.PositiveIntegerField(default=1000)
    in_flight = models.IntegerField(default=0)
    # Change tracking: every write of a row (and every removal) takes the next number of this
    # sequence; a delta token below the floor has expired (see dataverse_sandbox/changes.py).
    change_sequence = models.BigIntegerField(default=0)
    change_tracking_floor = models.BigIntegerField(default=0)
    # The org's customisations of Microsoft's tables, e.g.
    # {"incident": {"columns": {"description": {"max_length": 4000}}, "change_tracking": false}}
    schema_overrides = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    def ticket_number(self, sequence: int) -> str:
        """CAS-NNNNN-XXXXXX: the org's prefix, its auto-number sequence and a random suffix."""
        suffix = "".join(secrets.choice(TICKET_SUFFIX_ALPHABET) for _ in range(6))
        return f"{self.ticket_prefix}-{sequence:05d}-{suffix}"


class SecurityRole(models.Model):
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=100)
    privileges = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="sandbox_role_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class AppRegistration(models.Model):
    """An Entra app registration; `application_user_id` maps it into Dataverse (or not)."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="apps")
    name = models.CharField(max_length=100)
    client_id = models.UUIDField(default=uuid.uuid4, unique=True)
    object_id = models.UUIDField(default=uuid.uuid4)
    # A development stand-in: the value is kept so `sandbox_create_org` can print it again.
    client_secret = models.CharField(max_length=100, default=new_client_secret)
    secret_id = models.UUIDField(default=uuid.uuid4)
    secret_expires_at = models.DateTimeField(null=True, blank=True)
    application_user_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.org.slug}/{self.name}"


class UserRole(models.Model):
    """A security role held by a system user (application users included)."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="user_roles")
    systemuserid = models.UUIDField()
    role = models.ForeignKey(SecurityRole, on_delete=models.CASCADE, related_name="holders")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "systemuserid", "role"], name="sandbox_userrole_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.systemuserid} holds {self.role}"


def next_change_version(org_id: int) -> int:
    """The org's next change number; the caller's transaction holds it until it commits.

    Holding the org's row until commit means numbers become visible in the order they were
    given, so a delta token never skips a row that commits late.
    """
    Org.objects.filter(pk=org_id).update(change_sequence=F("change_sequence") + 1)
    return Org.objects.values_list("change_sequence", flat=True).get(pk=org_id)


class Numbering:
    """The rows a block of writes saved, and its new cases: numbered as the block ends."""

    def __init__(self) -> None:
        self.rows: list[Record] = []
        self.cases: list[Record] = []

    def saved(self, row: Record) -> None:
        if all(row is not seen for seen in self.rows):
            self.rows.append(row)

    def written(self, org_id: int, entity: str, record_id: str) -> Record | None:
        """A row this block wrote (a deep insert binds its children to rows it just made)."""
        for row in self.rows:
            if (row.org_id, row.entity, str(row.record_id)) == (org_id, entity, record_id):
                return row
        return None

    def close(self) -> None:
        """Give the rows their change numbers and the cases their ticket numbers (one update
        of each org's counters), then write them into the rows."""
        for org_id in dict.fromkeys(row.org_id for row in self.rows):
            rows = [row for row in self.rows if row.org_id == org_id]
            cases = [case for case in self.cases if case.org_id == org_id]
            Org.objects.filter(pk=org_id).update(
                change_sequence=F("change_sequence") + len(rows),
                ticket_sequence=F("ticket_sequence") + len(cases),
            )
            org = Org.objects.only("ticket_prefix", "change_sequence", "ticket_sequence").get(
                pk=org_id
            )
            for offset, row in enumerate(rows, start=org.change_sequence - len(rows) + 1):
                row.change_version = offset
            for offset, case in enumerate(cases, start=org.ticket_sequence - len(cases) + 1):
                case.data["ticketnumber"] = org.ticket_number(offset)
            Record.objects.bulk_update(rows, ["change_version", "data"])


_numbering: ContextVar[Numbering | None] = ContextVar("sandbox_numbering", default=None)


def written_in_this_block(org_id: int, entity: str, record_id: str) -> Record | None:
    """The row, when the numbered_together block in progress wrote it; else None."""
    numbering = _numbering.get()
    return numbering.written(org_id, entity, record_id) if numbering is not None else None


@contextmanager
def numbered_together() -> Iterator[Numbering]:
    """Rows saved inside take their change numbers, and new cases their ticket numbers, together
    as the block ends (inside the caller's transaction; nested blocks join the outermost).

    The numbers are taken under the org's row lock, which the transaction then holds until it
    commits, so they still become visible in the order they were given. Taken last, the lock is
    held for the numbering and the commit, not for the whole write: creates of one org run side
    by side, as they do in Dataverse, instead of one at a time.
    """
    current = _numbering.get()
    if current is not None:
        yield current
        return
    numbering = Numbering()
    token = _numbering.set(numbering)
    try:
        yield numbering
    finally:
        _numbering.reset(token)
    numbering.close()


# The row a note or a queue item is about: its `objectid` lookup, as the index holds it (the
# expression the ORM writes for data__objectid__id).
REGARDING = KeyTransform("id", KeyTransform("objectid", "data"))


class RecordQuerySet(models.QuerySet):
    def regarding(self, record_id: object) -> RecordQuerySet:
        """The rows whose objectid is this record, found through an index (a record's notes and
        queue items, without reading every other one of the org)."""
        return self.filter(data__objectid__id=str(record_id))


class Record(models.Model):
    """One Dataverse row of any table; columns live in `data` under their logical names."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="records")
    entity = models.CharField(max_length=64)
    record_id = models.UUIDField()
    data = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=1)
    change_version = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "entity", "record_id"], name="sandbox_record_unique_id"
            )
        ]
        indexes = [
            models.Index(fields=["org", "entity", "created_at"], name="sandbox_rec_list"),
            models.Index(fields=["org", "entity", "change_version"], name="sandbox_rec_changes"),
            models.Index(F("org"), F("entity"), REGARDING, name="sandbox_rec_regarding"),
        ]

    def __str__(self) -> str:
        return f"{self.entity}({self.record_id})"

    def save(self, *args, **kwargs) -> None:
        """Every write is a change change tracking reports."""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "change_version"}
        numbering = _numbering.get()
        if numbering is not None:
            super().save(*args, **kwargs)
            numbering.saved(self)
            return
        with transaction.atomic(savepoint=False):
            self.change_version = next_change_version(self.org_id)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Remove the row and remember it, so a delta link reports it as removed."""
        with transaction.atomic(savepoint=False):
            RemovedRecord.objects.create(
                org_id=self.org_id,
                entity=self.entity,
                record_id=self.record_id,
                change_version=next_change_version(self.org_id),
            )
            return super().delete(*args, **kwargs)


class RemovedRecord(models.Model):
    """A deleted row, kept for change tracking's delta answers."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="removed_records")
    entity = models.CharField(max_length=64)
    record_id = models.UUIDField()
    change_version = models.BigIntegerField()
    removed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["org", "entity", "change_version"], name="sandbox_removed_changes")
        ]

    def __str__(self) -> str:
        return f"removed {self.entity}({self.record_id})"


class Faults(models.Model):
    """Faults injected into an org's Web API answers (service-protection limits, outages)."""

    org = models.OneToOneField(Org, on_delete=models.CASCADE, related_name="faults")
    latency_ms = models.PositiveIntegerField(default=0)
    throttle_share = models.FloatField(default=0.0)
    throttle_burst = models.PositiveIntegerField(default=0)
    retry_after = models.PositiveIntegerField(default=1)
    unavailable_share = models.FloatField(default=0.0)
    drop_share = models.FloatField(default=0.0)
    # Connections cut before the request is handled (nothing lands, no answer).
    cut_share = models.FloatField(default=0.0)
    # Answers delayed by slow_ms on top of latency_ms.
    slow_share = models.FloatField(default=0.0)
    slow_ms = models.PositiveIntegerField(default=2000)
    max_concurrent = models.PositiveIntegerField(default=0)
    # Counts API requests seen since the faults were set, to spread shares evenly.
    seen = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"faults for {self.org.slug}"


class RequestLog(models.Model):
    """One row per request the org answered: what tests and benchmarks count."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="requests")
    at = models.DateTimeField(default=timezone.now)  # when the request arrived
    kind = models.CharField(max_length=10)  # "token" or "api"
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveIntegerField()
    fault = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["org", "kind"], name="sandbox_reqlog_kind")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"


# The Messaging API's state lives in its own package; importing it here registers its models.
from dataverse_sandbox.messaging import models as messaging_models  # noqa: E402,F401

"""One tenant's poll: follow change tracking on cases from the stored link, report what changed.

A poll holds the tenant (a lease on its CaseTracking row), reads pages until it reaches a new
delta link (or its page budget; the next poll resumes at the stored next link), and keeps its
cost and last error on the row for the settings page. An expired or refused link starts a full
read of every case, which the per-case comparison keeps from reporting anything twice.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from handoffs.caseupdates import report, snapshot
from handoffs.caseupdates.snapshot import AsCreated
from handoffs.dynamics import changes, resolutions
from handoffs.dynamics.client import client_for
from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError
from handoffs.models import CaseTracking, DynamicsConnection, HandoffSession, Tenant

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=3)  # longer than a task may run (Q_CLUSTER timeout)
MAX_PAGES = 25  # per poll; a longer full read continues at the next poll
LOOKUP_CHUNK = 500  # case ids per session query (databases cap a query's parameters)
CASES = "incidents"
# A stored link Dataverse no longer accepts: read every case again.
RESYNC_CODES = frozenset({"change_tracking_expired", "dataverse_bad_request"})


@dataclass
class Counter:
    """Dataverse requests one poll made (token requests aside)."""

    requests: int = 0

    def __call__(
        self, method: str, path: str, status: int | None, duration_ms: int, code: str | None
    ) -> None:
        if "/api/data/" in path:
            self.requests += 1


def created_as(connection: DynamicsConnection) -> AsCreated:
    """How this tenant's handoffs create cases (status reason, owner)."""
    status = (connection.ticket_properties or {}).get("statuscode", snapshot.NEW_CASE_STATUS)
    owner = str(connection.default_owner_id or "").lower()
    return AsCreated(status if isinstance(status, int) else snapshot.NEW_CASE_STATUS, owner)


def _claim(tracking: CaseTracking) -> bool:
    now = timezone.now()
    free = CaseTracking.objects.filter(pk=tracking.pk).exclude(polling_until__gt=now)
    return bool(free.exclude(not_before__gt=now).update(polling_until=now + LEASE))


def _sessions(tenant: Tenant, ids: list[str]) -> dict[str, list[int]]:
    """Sessions of this tenant whose case is among `ids` (ids that are no GUID are skipped)."""
    guids = []
    for value in ids:
        try:
            guids.append(uuid.UUID(value))
        except ValueError:
            continue
    found: dict[str, list[int]] = {}
    for start in range(0, len(guids), LOOKUP_CHUNK):
        chunk = guids[start : start + LOOKUP_CHUNK]
        rows = HandoffSession.objects.filter(tenant=tenant, dynamics365_incident_id__in=chunk)
        for incident_id, pk in rows.values_list("dynamics365_incident_id", "pk"):
            found.setdefault(str(incident_id), []).append(pk)
    return found


def process(api: DataverseApi, tracking: CaseTracking, page: changes.ChangePage) -> int:
    """Report the page's changes to cases the service created; return how many were reported."""
    rows = [row for row in map(snapshot.case_row, page.rows) if row is not None]
    ours = _sessions(tracking.tenant, [r.incident_id for r in rows] + page.removed)
    rows = [row for row in rows if row.incident_id in ours]
    resolved = [row.incident_id for row in rows if row.state == "resolved"]
    texts = resolutions.latest(api, resolved) if resolved else {}
    created = created_as(tracking.tenant.connection)
    reported = 0
    for row in rows:
        for session_pk in ours[row.incident_id]:
            reported += report.apply(session_pk, row, texts.get(row.incident_id, ""), created)
    for incident_id in page.removed:
        for session_pk in ours.get(incident_id.lower(), []):
            report.removed(session_pk)
    return reported


def _read(api: DataverseApi, link: str) -> changes.ChangePage:
    if link:
        return changes.follow(api, link, snapshot.KEY)
    return changes.first_page(api, CASES, snapshot.SELECT, snapshot.KEY)


def _save(tracking: CaseTracking, **fields: object) -> None:
    for name, value in fields.items():
        setattr(tracking, name, value)
    CaseTracking.objects.filter(pk=tracking.pk).update(**fields)


def follow(api: DataverseApi, tracking: CaseTracking) -> int:
    """Read pages from the stored link until a new delta link; return changes reported."""
    link, reported, resynced = tracking.next_link or tracking.delta_link, 0, False
    for _ in range(MAX_PAGES):
        try:
            page = _read(api, link)
        except HandoffError as error:
            if not link or resynced or error.code not in RESYNC_CODES:
                raise
            logger.info("case tracking of %s: full read again (%s)", tracking.tenant, error.code)
            _save(tracking, next_link="", delta_link="", full_syncs=tracking.full_syncs + 1)
            link, resynced = "", True
            continue
        reported += process(api, tracking, page)
        if page.next_link:
            _save(tracking, next_link=page.next_link)
            link = page.next_link
            continue
        _save(tracking, next_link="", delta_link=page.delta_link, last_synced_at=timezone.now())
        break
    return reported


def _failed(tracking: CaseTracking, error: HandoffError) -> None:
    wait = error.retry_after if error.code == "rate_limited" and error.retry_after else 0
    _save(
        tracking,
        last_error_code=error.code,
        last_error_message=error.readable,
        not_before=timezone.now() + timedelta(seconds=wait) if wait else None,
    )
    logger.warning("case tracking of %s failed: %s", tracking.tenant, error.code)


def eligible(tenant: Tenant) -> bool:
    """The tenant sends case updates and has a complete connection to read them from."""
    connection = getattr(tenant, "connection", None)
    return tenant.sends_case_updates and connection is not None and connection.is_complete


def poll_tenant(tenant_pk: int) -> int:
    """One poll of the tenant's case changes; how many updates it reported (safe to run twice)."""
    tenant = Tenant.objects.select_related("connection").filter(pk=tenant_pk).first()
    if tenant is None or not eligible(tenant):
        return 0
    tracking, _ = CaseTracking.objects.get_or_create(tenant=tenant)
    if not _claim(tracking):
        return 0
    counter, reported = Counter(), 0
    try:
        api = client_for(tenant.connection).audited(counter)
        reported = follow(api, tracking)
        _save(tracking, last_error_code="", last_error_message="", not_before=None)
    except HandoffError as error:
        _failed(tracking, error)
    except Exception:
        logger.exception("case tracking of %s stopped", tenant)
        _failed(tracking, HandoffError("unexpected_error"))
    finally:
        _save(
            tracking,
            polling_until=None,
            last_polled_at=timezone.now(),
            last_requests=counter.requests,
            last_changes=reported,
        )
    return reported

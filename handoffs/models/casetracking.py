"""Where a tenant's change tracking of cases stands: its delta link, its lease, its last poll."""

from __future__ import annotations

from django.db import models

from handoffs.models.tenants import Tenant


class CaseTracking(models.Model):
    """One row per tenant that follows its cases (handoffs.caseupdates).

    `delta_link` is Dataverse's @odata.deltaLink of the last complete answer: the next poll asks
    it for what changed since. `next_link` is the page to read next while an answer spans
    several pages, so a poll cut short resumes there. Neither is ever shown.
    """

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="case_tracking")
    delta_link = models.TextField(blank=True, default="")
    next_link = models.TextField(blank=True, default="")
    # A poller holds the tenant until this moment; a crashed poller's lease simply runs out.
    polling_until = models.DateTimeField(null=True, blank=True)
    # Dataverse asked us to wait (Retry-After) until this moment.
    not_before = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_requests = models.PositiveIntegerField(default=0)
    last_changes = models.PositiveIntegerField(default=0)
    last_error_code = models.CharField(max_length=64, blank=True, default="")
    last_error_message = models.TextField(blank=True, default="")
    full_syncs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"case tracking of {self.tenant}"

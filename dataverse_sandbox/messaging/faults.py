"""Faults on demand for the Messaging API: 429 with Retry-After, 500, 503.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/error-handling
Shares are spread evenly over the request sequence (0.5 = exactly every second request), as for
the Web API's faults.
"""

from __future__ import annotations

import math

from django.db import transaction

from dataverse_sandbox.messaging.models import MessagingFaults
from dataverse_sandbox.messaging.problems import MessagingError

THROTTLE, ERROR, UNAVAILABLE = "throttle", "error", "unavailable"
FIELDS = (
    "throttle_share", "throttle_burst", "retry_after", "error_share", "unavailable_share",
    "context_lag_reads", "duplicate_deliveries",
)  # fmt: skip


def _crosses(n: int, share: float) -> bool:
    share = min(max(share, 0.0), 1.0)
    return math.floor(n * share) > math.floor((n - 1) * share)


def next_fault(faults: MessagingFaults) -> str:
    """Decide (atomically, across processes) which fault, if any, this request gets."""
    shares = (faults.throttle_share, faults.error_share, faults.unavailable_share)
    if not faults.throttle_burst and not any(shares):
        return ""
    with transaction.atomic():
        current = MessagingFaults.objects.select_for_update().get(pk=faults.pk)
        current.seen += 1
        decided = ""
        if current.throttle_burst:
            current.throttle_burst -= 1
            decided = THROTTLE
        elif _crosses(current.seen, current.throttle_share):
            decided = THROTTLE
        elif _crosses(current.seen, current.error_share):
            decided = ERROR
        elif _crosses(current.seen, current.unavailable_share):
            decided = UNAVAILABLE
        current.save(update_fields=["seen", "throttle_burst"])
    return decided


def refusal(fault: str, faults: MessagingFaults) -> MessagingError:
    """The answer an injected fault gives."""
    if fault == THROTTLE:
        return MessagingError(
            429,
            "The request rate limit was exceeded. Retry after the Retry-After seconds.",
            headers={"Retry-After": str(faults.retry_after)},
        )
    if fault == ERROR:
        return MessagingError(500, "The omnichannel service failed to process the request.")
    return MessagingError(503, "The omnichannel service is temporarily unavailable.")


def set_faults(faults: MessagingFaults, **values: object) -> MessagingFaults:
    """Change some messaging faults (see FIELDS); the share sequence restarts."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"Unknown messaging fault setting(s): {', '.join(sorted(unknown))}.")
    for key, value in values.items():
        setattr(faults, key, value)
    faults.seen = 0
    faults.save()
    return faults

"""Faults on demand and request counting, per org.

Shares are spread evenly over the request sequence rather than drawn at random, so a test that
sets `throttle_share=0.5` sees exactly every second request throttled. With several kinds set,
their sum decides which requests get a fault and the kinds take turns in proportion to their
shares.
"""

from __future__ import annotations

import logging
import math
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from dataverse_sandbox.errors import ApiError
from dataverse_sandbox.models import Faults, Org, RequestLog

logger = logging.getLogger(__name__)

THROTTLE, UNAVAILABLE, DROP, CUT, SLOW = "throttle", "unavailable", "drop", "cut", "slow"
# Spreads the kinds of successive faults evenly over their shares (a low-discrepancy sequence).
GOLDEN = (math.sqrt(5) - 1) / 2


def log_request(
    org: Org,
    kind: str,
    method: str,
    path: str,
    status: int,
    fault: str = "",
    arrived: datetime | None = None,
) -> None:
    """Count one request the org answered (stamped with when it arrived, if known)."""
    RequestLog.objects.create(
        org=org,
        kind=kind,
        method=method,
        path=path[:300],
        status=status,
        fault=fault,
        at=arrived or timezone.now(),
    )


class Cut(Exception):  # noqa: N818 - a signal, not an error
    """The request's connection was cut before it was handled."""


def faults_for(org: Org) -> Faults | None:
    return Faults.objects.filter(org=org).first()


def _crosses(n: int, share: float) -> bool:
    """True for request n when the share's running total crosses a whole number."""
    share = min(max(share, 0.0), 1.0)
    return math.floor(n * share) > math.floor((n - 1) * share)


def _shares(faults: Faults) -> list[tuple[str, float]]:
    kinds = (
        (THROTTLE, faults.throttle_share),
        (UNAVAILABLE, faults.unavailable_share),
        (DROP, faults.drop_share),
        (CUT, faults.cut_share),
        (SLOW, faults.slow_share),
    )
    return [(kind, min(max(share, 0.0), 1.0)) for kind, share in kinds if share > 0]


def _kind_of(fault_number: int, shares: list[tuple[str, float]]) -> str:
    """The kind of the n-th fault: each kind's turn comes in proportion to its share."""
    total = sum(share for _, share in shares)
    point = (fault_number * GOLDEN) % 1.0 * total
    for kind, share in shares:
        if point < share:
            return kind
        point -= share
    return shares[-1][0]


def next_fault(faults: Faults) -> str:
    """Decide (atomically, across processes) which fault, if any, this request gets."""
    shares = _shares(faults)
    if not faults.throttle_burst and not shares:
        return ""  # nothing to inject: spare every request a write
    total = min(1.0, sum(share for _, share in shares))
    with transaction.atomic():
        current = Faults.objects.select_for_update().filter(pk=faults.pk).first()
        if current is None:  # removed meanwhile: no faults any more
            return ""
        current.seen += 1
        decided = ""
        if current.throttle_burst:
            current.throttle_burst -= 1
            decided = THROTTLE
        elif shares and _crosses(current.seen, total):
            decided = _kind_of(math.floor(current.seen * total), shares)
        current.save(update_fields=["seen", "throttle_burst"])
    return decided


def throttled(faults: Faults) -> ApiError:
    return ApiError(
        429,
        "0x80072322",
        "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
        {"Retry-After": str(faults.retry_after)},
    )


def unavailable() -> ApiError:
    return ApiError(503, "0x80044151", "The service is temporarily unavailable. Try again later.")


@contextmanager
def concurrency_slot(org: Org, faults: Faults | None) -> Iterator[ApiError | None]:
    """Hold one of the org's concurrent-request slots; yields a 429 when none is free."""
    if faults is None or not faults.max_concurrent:
        yield None
        return
    # One conditional UPDATE admits or refuses atomically, even when requests arrive together.
    admitted = Org.objects.filter(pk=org.pk, in_flight__lt=faults.max_concurrent).update(
        in_flight=F("in_flight") + 1
    )
    if not admitted:
        yield ApiError(
            429,
            "0x80072326",
            f"Number of concurrent requests exceeded the limit of {faults.max_concurrent}.",
            {"Retry-After": str(faults.retry_after)},
        )
        return
    try:
        yield None
    finally:
        Org.objects.filter(pk=org.pk).update(in_flight=F("in_flight") - 1)


def add_latency(faults: Faults | None, fault: str = "") -> None:
    delay = faults.latency_ms if faults is not None else 0
    if fault == SLOW and faults is not None:
        delay += faults.slow_ms
    if delay:
        time.sleep(delay / 1000)


def drop_connection(request: HttpRequest) -> bool:
    """Cut the client's TCP connection so it gets no answer at all; False when impossible."""
    sock = request.META.get("gunicorn.socket") or _socket_under(request.META.get("wsgi.input"))
    if sock is None:
        return False
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        logger.info("sandbox: the connection was already closed")
    return True


def _socket_under(stream: object) -> socket.socket | None:
    # runserver and live_server wrap the socket's reader in LimitedStream objects.
    for _ in range(5):
        if stream is None:
            return None
        if isinstance(stream, socket.socket):
            return stream
        raw = getattr(stream, "raw", None)
        if raw is not None and isinstance(getattr(raw, "_sock", None), socket.socket):
            return raw._sock
        reader = getattr(stream, "_read", None)
        stream = getattr(reader, "__self__", None) or getattr(stream, "stream", None)
    return None

"""Search by session id, ticket number, email or phone using only exact and prefix matches.

A prefix match is written as a range (`value >= q AND value < q + U+10FFFF`) so the
(tenant, column) indexes can serve it on both SQLite and PostgreSQL; `startswith` then
re-checks the range, which is only an approximation under linguistic collations.
"""

from __future__ import annotations

import re

from django.db.models import Q

# Sorts after every character, so [q, q + TOP) holds exactly the strings starting with q.
TOP = "\U0010ffff"
PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")


def prefix(field: str, value: str) -> Q:
    """Rows whose `field` starts with `value` (the exact match included), index-friendly."""
    return Q(**{f"{field}__gte": value, f"{field}__lt": value + TOP, f"{field}__startswith": value})


def search_q(text: str) -> Q:
    """One condition matching the text against every searchable column."""
    text = text.strip()
    condition = prefix("session_id", text)
    condition |= prefix("dynamics365_ticket_number", text.upper())
    # Emails are stored lower-cased (handoffs.inbound.payload.session_fields).
    condition |= prefix("customer_email", text.lower())
    condition |= prefix("customer_phone", text)
    compact = PHONE_PUNCTUATION.sub("", text)
    if compact and compact != text:
        condition |= prefix("customer_phone", compact)
    return condition

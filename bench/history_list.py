"""Handoff history cost at scale: list pages, filters, searches and the summary.

Run: .venv/bin/python bench/history_list.py [--sessions N] [--database-url URL]
Seeds N sessions over 90 days for tenant "big" and 1,000 for tenant "small" into a fresh database
(a temporary SQLite file unless an empty PostgreSQL database's URL is given), counts their rollups
as the service keeps them, then prints the time of each history page as a signed-in lead gets it,
for both tenants, and the ratio big ÷ small (target ≤ 1.5: the cost does not grow with the
history). Keyset pages cost the same on page 1 and page 1,000.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-pass-123"  # noqa: S105 - a throwaway login in a throwaway database


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencx_integration.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from handoffs.models import Tenant

    if Tenant.objects.exists():
        sys.exit("The database already holds tenants: give the URL of an empty database.")


def seed(slug: str, count: int) -> None:
    """`count` sessions for tenant `slug` (90% done) that the lead can see."""
    from django.utils import timezone

    from handoffs.channels import CODES
    from handoffs.models import HandoffSession
    from handoffs.tenancy import tenants

    tenant = tenants.create_tenant(slug, slug.title())
    tenants.add_member(tenant, "lead", role="lead")
    now, rng, batch = timezone.now(), random.Random(1), []
    for i in range(count):
        received = now - timedelta(seconds=rng.randint(0, 90 * 86400))
        done, channel = rng.random() < 0.9, CODES[i % len(CODES)]
        batch.append(
            HandoffSession(
                tenant=tenant,
                session_id=f"s{i:08d}",
                channel=channel,
                payload={"session_id": f"s{i:08d}", "channel": channel},
                customer_email=f"c{i}@example.com",
                customer_phone=f"+1555{i:08d}",
                status="done" if done else "failed",
                received_at=received,
                completed_at=received + timedelta(seconds=rng.uniform(0.5, 20)),
                dynamics365_ticket_number=f"CAS-{i:08d}-AB" if done else "",
                last_error_code="" if done else "dataverse_unavailable",
            )
        )
        if len(batch) == 20_000:
            HandoffSession.objects.bulk_create(batch)
            batch = []
    HandoffSession.objects.bulk_create(batch)


def fetch(client, path: str, params: dict | None = None) -> float:
    """Milliseconds to get one page."""
    started = time.perf_counter()
    response = client.get(path, params or {})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return elapsed


def timed(client, label: str, params: dict | None = None) -> None:
    """The page for the small and the big tenant, best of three each."""
    small = min(fetch(client, "/t/small/sessions/", params) for _ in range(3))
    big = min(fetch(client, "/t/big/sessions/", params) for _ in range(3))
    print(f"| {label} | {small:.0f} ms | {big:.0f} ms | {big / small:.2f} |")


def deep_page(client, pages: int, slug: str = "big") -> dict:
    """The query string of page `pages`, reached by following "Older" links."""
    params: dict = {}
    for _ in range(pages - 1):
        link = client.get(f"/t/{slug}/sessions/", params).context["older_link"]
        params = {k: v[0] for k, v in parse_qs(link[1:]).items()}
    return params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=200_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()  # so responses carry their template context
        from django.contrib.auth import get_user_model
        from django.db import connection

        from handoffs.models import HandoffSession
        from handoffs.models.rollups import rebuild

        get_user_model().objects.create_user("lead", password=PASSWORD)
        started = time.perf_counter()
        seed("big", args.sessions)
        seed("small", 1000)
        rebuild(HandoffSession.objects.all())  # what the service keeps as sessions change
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # What autovacuum does after a bulk load: the planner needs the new row counts.
                cursor.execute("ANALYZE")
        print(
            f"Seeded {args.sessions:,} + 1,000 sessions in {time.perf_counter() - started:.0f} s."
        )
        client = Client()
        client.login(username="lead", password=PASSWORD)
        fetch(client, "/t/small/sessions/")  # warm-up
        print(f"| page | 1,000 sessions | {args.sessions:,} sessions | ratio |")
        print("|---|---|---|---|")
        timed(client, "first page + 14-day summary")
        timed(client, "90-day summary", {"date_from": "2000-01-01"})
        timed(client, "channel = phone", {"channel": "phone"})
        timed(client, "status = failed", {"status": "failed"})
        timed(client, "search email (exact)", {"q": "c500@example.com"})
        timed(client, "search ticket (prefix)", {"q": "CAS-000003"})
        small_deep = min(fetch(client, "/t/small/sessions/", deep_page(client, 10, "small"))
                         for _ in range(3))  # fmt: skip
        big_deep = min(fetch(client, "/t/big/sessions/", deep_page(client, 10)) for _ in range(3))
        print(f"| page 10 (keyset) | {small_deep:.0f} ms | {big_deep:.0f} ms "
              f"| {big_deep / small_deep:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()

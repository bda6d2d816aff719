"""Webhook intake cost: signed handoff POSTs against a baseline in the same run.

Run: .venv/bin/python bench/webhook_intake.py [--requests N]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/db .venv/bin/python bench/webhook_intake.py

Prints the median time per request of the webhook (verify signature, validate, store the session,
its audit row and its task in one transaction, queue) served in-process by Django, on production
settings (DEBUG=false, with keys made for the run), on a fresh
database (a new SQLite file, or a new database on the PostgreSQL server DATABASE_URL names), next
to two baselines measured in the same run: the health check through the same stack, and one
durable one-row insert (its own committed transaction) on the same database. Their sum is the
least any endpoint of this stack that commits a row can cost here, and is printed as the floor.

The bodies are built and signed before the clock starts (that is the sender's work). After a
warm-up of --requests webhooks the tables are analyzed, as autovacuum keeps a live database's
statistics: on a table never analyzed, PostgreSQL may plan a read through an index that does not
fit it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import fresh_database, run_keys  # noqa: E402


def setup_django(database_url: str) -> None:
    """Django on production settings (DEBUG=false, keys of this run only), as deployed."""
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="opencx_integration.settings",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        **run_keys(),
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(call, count: int) -> list[float]:
    samples = []
    for index in range(count):
        started = time.perf_counter()
        call(index)
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_database(args.database_url, Path(tmp), keep=False) as (database_url, database),
    ):
        setup_django(database_url)
        from django.db import connection, transaction
        from django.test import Client
        from django_q.conf import Conf

        from handoffs.channels import sample_handoff
        from handoffs.inbound import signing
        from handoffs.tenancy import tenants

        Conf.SYNC = False  # measure intake only: tasks stay queued
        tenant = tenants.create_tenant("bench")
        client = Client(HTTP_HOST="127.0.0.1")
        url = f"/hooks/opencx/{tenant.webhook_key}/"

        bodies = []
        for index in range(2 * args.requests):
            raw = json.dumps(sample_handoff("phone", f"bench-{index}")).encode()
            bodies.append((raw, signing.signed_headers(tenant.webhook_secret, raw)))

        def webhook(index: int) -> None:
            raw, headers = bodies[index]
            response = client.generic(
                "POST", url, raw, "application/json", secure=True, headers=headers
            )
            if response.status_code != 202:
                raise SystemExit(f"unexpected answer {response.status_code}: {response.content!r}")

        def healthz(index: int) -> None:
            if client.get("/healthz", secure=True).status_code != 200:
                raise SystemExit("the health check did not answer 200")

        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_durable_insert (id integer, payload text)")

        def durable_insert(index: int) -> None:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bench_durable_insert (id, payload) VALUES (%s, %s)",
                    [index, "x" * 100],
                )

        timed(healthz, 20)  # warm-up
        timed(webhook, args.requests)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        baseline = statistics.median(timed(healthz, args.requests))
        insert = statistics.median(timed(durable_insert, args.requests))
        intake = statistics.median(
            timed(lambda index: webhook(args.requests + index), args.requests)
        )
        connection.close()
    print(
        f"{database}, production settings (DEBUG=false), medians of {args.requests} requests each"
    )
    print("| measure | median | webhook ÷ it |")
    print("|---|---|---|")
    print(f"| signed webhook POST (202) | {intake * 1000:.2f} ms | |")
    print(f"| one durable one-row insert | {insert * 1000:.2f} ms | {intake / insert:.2f} |")
    print(f"| GET /healthz | {baseline * 1000:.2f} ms | {intake / baseline:.2f} |")
    floor = baseline + insert
    print(
        f"| the floor: the health check and the insert (÷ the insert: {floor / insert:.2f}) "
        f"| {floor * 1000:.2f} ms | {intake / floor:.2f} |"
    )


if __name__ == "__main__":
    main()

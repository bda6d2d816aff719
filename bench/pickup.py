"""How long a handoff waits for a worker: webhook accepted → its first Dataverse request.

Run: .venv/bin/python bench/pickup.py [--handoffs 40] [--redis-url redis://127.0.0.1:6379/0]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pickup.py

Starts the web app under gunicorn and one `qcluster` on a fresh database, with the database
broker, then again with django-q2's Redis broker when --redis-url is given (REDIS_URL is read
too). One tenant, one returning customer; handoffs are sent one at a time and each is waited for,
so the sandbox's first request after a session's `received` moment is that session's. Pickup is
the time between the two, both stamped by the same machine's clock. The baseline is one
`GET /healthz` round trip to the same server, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import (  # noqa: E402
    Processes,
    free_port,
    fresh_database,
    percentile,
    post_signed,
    start_django,
    worker_env,
)


def measure(args: argparse.Namespace, redis_url: str, workdir: Path) -> dict:
    """Pickup times (seconds) and the baseline for one broker, in a child process's run."""
    import requests

    with fresh_database(args.database_url, workdir, keep=False) as (database_url, database):
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = worker_env(database_url, base_url, q_workers=2, redis_url=redis_url)
        start_django(env)
        from django.db import connection

        from dataverse_sandbox import provisioning
        from dataverse_sandbox.models import RequestLog
        from handoffs.channels import sample_handoff
        from handoffs.models import HandoffSession
        from handoffs.tenancy import tenants

        processes = Processes(env, workdir)
        try:
            processes.start_web(port)
            org = provisioning.create_org("pickup")
            tenant = tenants.create_tenant("pickup")
            tenants.connect(tenant, **provisioning.connection_fields(org, base_url))
            processes.start_worker()
            http = requests.Session()
            baseline = []
            for _ in range(args.handoffs):
                started = time.perf_counter()
                http.get(f"{base_url}/healthz", timeout=10)
                baseline.append(time.perf_counter() - started)
            pickups, before_send = [], []
            for index in range(args.handoffs + 1):
                body = sample_handoff("phone", f"pickup-{index}")
                body["customer"]["email"] = "returning@example.com"
                status = post_signed(http, base_url, tenant, json_bytes(body))
                if status != 202:
                    raise SystemExit(f"the webhook answered {status}")
                session = wait_done(HandoffSession, tenant, body["session_id"])
                first = (
                    RequestLog.objects.filter(org=org, kind="api", at__gte=session.received_at)
                    .order_by("at")
                    .first()
                )
                call = session.events.filter(kind="dataverse_call").order_by("id").first()
                sent = call.created_at - timedelta(milliseconds=call.detail["duration_ms"])
                if index:  # the first handoff creates the contact and warms the worker up
                    pickups.append((first.at - session.received_at).total_seconds())
                    before_send.append((sent - session.received_at).total_seconds())
            connection.close()
        finally:
            processes.stop()
    return {
        "database": database,
        "baseline": baseline,
        "pickup": pickups,
        "before_send": before_send,
    }


def json_bytes(body: dict) -> bytes:
    import json

    return json.dumps(body).encode()


def wait_done(model, tenant, session_id: str):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        session = model.objects.filter(tenant=tenant, session_id=session_id).first()
        if session is not None and session.status in ("done", "failed"):
            if session.status == "failed":
                raise SystemExit(f"{session_id} failed: {session.last_error_message}")
            return session
        time.sleep(0.02)
    raise SystemExit(f"{session_id} did not finish within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--handoffs", type=int, default=40)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--broker", choices=("database", "redis"), help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()
    if args.broker:  # one broker per process: Django is set up once per process
        redis_url = args.redis_url if args.broker == "redis" else ""
        with tempfile.TemporaryDirectory(prefix="pickup-") as workdir:
            result = measure(args, redis_url, Path(workdir))
        print(repr(result))
        return
    import ast
    import subprocess

    brokers = ["database"] + (["redis"] if args.redis_url else [])
    print(
        "| database | broker | pickup p50 | pickup p95 | of which before the worker sends (p50) "
        "| baseline p50 | p50 ÷ baseline |"
    )
    print("|---|---|---|---|---|---|---|")
    for broker in brokers:
        run = subprocess.run(  # noqa: S603 - this script again, for one broker
            [sys.executable, __file__, "--broker", broker, "--handoffs", str(args.handoffs),
             "--redis-url", args.redis_url, "--database-url", args.database_url],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        result = ast.literal_eval(run.stdout.strip().splitlines()[-1])
        pickup = statistics.median(result["pickup"]) * 1000
        baseline = statistics.median(result["baseline"]) * 1000
        print(
            f"| {result['database']} | {broker} | {pickup:.1f} ms "
            f"| {percentile(result['pickup'], 0.95) * 1000:.1f} ms "
            f"| {statistics.median(result['before_send']) * 1000:.1f} ms | {baseline:.1f} ms "
            f"| {pickup / baseline:.1f} |"
        )


if __name__ == "__main__":
    main()

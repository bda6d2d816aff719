"""What one handoff costs against the sandbox over real HTTP, next to a one-request baseline.

Run: .venv/bin/python bench/handoff_cost.py [--handoffs N]
Starts the web app (with the Dataverse sandbox) on a free loopback port and a fresh SQLite file,
then, in this process, delivers N handoffs for a returning customer and N for new customers,
each the way the task worker does. The baseline is one WhoAmI call with the token already
cached, measured in the same run; the ratios say how many such round trips a handoff is worth.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the web app did not start within 30 seconds")


def setup(database_url: str, base_url: str):
    """Django in this process, one sandbox org and a tenant connected to it."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "opencx_integration.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django_q.conf import Conf

    call_command("migrate", verbosity=0)
    Conf.SYNC = False  # callbacks and retries stay queued: only the handoff itself is timed
    from dataverse_sandbox import provisioning
    from handoffs.tenancy import tenants

    org = provisioning.create_org("bench")
    tenant = tenants.create_tenant("bench")
    connection = tenants.connect(tenant, **provisioning.connection_fields(org, base_url))
    return org, tenant, connection


def timed_handoffs(org, tenant, emails: list[str]) -> tuple[list[float], list[int]]:
    from dataverse_sandbox import provisioning
    from handoffs.channels import sample_handoff
    from handoffs.inbound import intake
    from handoffs.lifecycle import attempt as handoff

    seconds, requests = [], []
    for index, email in enumerate(emails):
        body = sample_handoff("phone", f"bench-{email}-{index}")
        body["customer"]["email"] = email
        session, _ = intake.accept(tenant, body)
        before = provisioning.request_count(org)
        started = time.perf_counter()
        handoff.process(session.pk)
        seconds.append(time.perf_counter() - started)
        requests.append(provisioning.request_count(org) - before)
        session.refresh_from_db()
        if session.status != "done":
            raise SystemExit(f"handoff ended {session.status}: {session.last_error_code}")
    return seconds, requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--handoffs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"}
        env["PUBLIC_BASE_URL"] = base_url
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        server = start_server(port, env)
        try:
            org, tenant, connection = setup(database_url, base_url)
            from handoffs.dynamics.client import client_for

            client = client_for(connection)
            client.get("WhoAmI")  # token now cached
            baseline = []
            for _ in range(args.handoffs):
                started = time.perf_counter()
                client.get("WhoAmI")
                baseline.append(time.perf_counter() - started)
            returning = timed_handoffs(org, tenant, ["returning@example.com"] * args.handoffs)
            new = timed_handoffs(
                org, tenant, [f"new-{i}@example.com" for i in range(args.handoffs)]
            )
        finally:
            server.terminate()
            server.wait(timeout=10)
    whoami = statistics.median(baseline)
    print(f"handoffs per series: {args.handoffs}")
    print(f"baseline WhoAmI (token cached)   median {whoami * 1000:8.1f} ms")
    for label, (seconds, requests) in (("returning customer", returning), ("new customer", new)):
        median = statistics.median(seconds)
        # The first returning handoff creates the contact; the rest find it.
        calls = statistics.median(requests)
        print(
            f"{label:<32} median {median * 1000:8.1f} ms  "
            f"ratio {median / whoami:5.1f}x  Dataverse requests {calls:g}"
        )


if __name__ == "__main__":
    main()

"""Handoffs per second at the per-tenant cap, and a quiet tenant's wait while another floods.

Run: .venv/bin/python bench/tenant_load.py [--latency-ms 50] [--flood 1000] [--burst 300]
         [--redis-url redis://127.0.0.1:6379/0]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/tenant_load.py

Starts the web app as the production image runs it (gunicorn's sync workers, DEBUG=false), each
tenant's sandbox org under a gunicorn of its own (so neither the flood's webhooks nor its
Dataverse requests queue in front of the quiet tenant's Dynamics answers, as they would not in
production, where the two orgs are separate environments), and one `qcluster` with
--worker-processes processes on a fresh database; the orgs add --latency-ms to every Web API
answer; returning customers (one request per handoff).

1. Throughput: the time one handoff holds its place under the cap (its first Dataverse request →
   done, from handoffs sent one at a time) gives the bound the cap allows, cap ÷ that time (or
   worker processes ÷ that time when fewer). A burst of --burst handoffs for one tenant, sent at
   once, then runs at some rate: the ratio rate ÷ bound is printed (target ≥ 0.8). The CPU time
   the whole machine spent busy during the burst (the sender, the gunicorns, the workers and
   the database), per handoff, gives a second bound: what this machine's CPUs allow; it is
   printed split by process group, and PostgreSQL's part by the client each of its server
   processes served.
2. Fairness: the quiet tenant sends --quiet handoffs one every 0.25 s, alone, then again while the
   busy tenant floods --flood handoffs at once. Its webhook → record p95 during the flood ÷ its
   p95 alone is printed (target ≤ 1.5), with the part of each spent before its first Dataverse
   request (the wait for a worker and the claim).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import (  # noqa: E402
    Processes,
    database_cpu_seconds,
    free_port,
    fresh_database,
    group_cpu_seconds,
    machine_busy_seconds,
    percentile,
    post_signed,
    start_django,
    worker_env,
)


class Bench:
    def __init__(self, base_url: str, sandbox_urls: dict[str, str], latency_ms: int) -> None:
        import requests

        from dataverse_sandbox import provisioning
        from handoffs.tenancy import tenants

        self.base_url = base_url
        self.local = threading.local()
        self.requests = requests
        self.tenants = {}
        self.orgs = {}
        for slug, sandbox_url in sandbox_urls.items():
            org = provisioning.create_org(slug)
            tenant = tenants.create_tenant(slug)
            tenants.connect(tenant, **provisioning.connection_fields(org, sandbox_url))
            provisioning.set_faults(org, latency_ms=latency_ms)
            self.tenants[slug], self.orgs[slug] = tenant, org
        self.sent = 0

    def send(self, slug: str, session_id: str) -> None:
        from handoffs.channels import sample_handoff

        body = sample_handoff("phone", session_id)
        body["customer"]["email"] = f"returning-{slug}@example.com"
        http = getattr(self.local, "http", None) or self.requests.Session()
        self.local.http = http
        status = post_signed(http, self.base_url, self.tenants[slug], json.dumps(body).encode())
        if status != 202:
            raise SystemExit(f"the webhook answered {status} for {session_id}")

    def wait(self, slug: str, ids: list[str], timeout: float = 900) -> list:
        from handoffs.models import HandoffSession

        # Polled by counting, not by loading the sessions: this process shares the CPUs it
        # measures, and reading every row of a large burst ten times a second would cost as
        # much CPU as the handoffs themselves.
        sessions = HandoffSession.objects.filter(tenant=self.tenants[slug], session_id__in=ids)
        finished = sessions.filter(status__in=("done", "failed"))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if finished.count() == len(ids):
                failed = list(finished.filter(status="failed").values_list("session_id")[:5])
                if failed:
                    raise SystemExit(f"handoffs failed: {failed}")
                return list(finished)
            time.sleep(0.25)
        raise SystemExit(f"{slug}: handoffs unfinished after {timeout} s")

    def holding_time(self, n: int) -> float:
        """Median time a handoff holds its place: first Dataverse request → done."""
        from dataverse_sandbox.models import RequestLog

        held = []
        for index in range(n + 1):
            session_id = f"alone-{index}"
            self.send("busy", session_id)
            (session,) = self.wait("busy", [session_id])
            first = (
                RequestLog.objects.filter(
                    org=self.orgs["busy"], kind="api", at__gte=session.received_at
                )
                .order_by("at")
                .first()
            )
            if index:  # the first creates the contact
                held.append((session.completed_at - first.at).total_seconds())
        return statistics.median(held)

    def burst(self, n: int) -> float:
        """Handoffs per second for a burst of n sent at once."""
        ids = [f"burst-{i}" for i in range(n)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(lambda i: self.send("busy", i), ids))
        sessions = self.wait("busy", ids)
        first = min(s.received_at for s in sessions)
        last = max(s.completed_at for s in sessions)
        return n / (last - first).total_seconds()

    def quiet_latencies(self, prefix: str, n: int) -> dict[str, list[float]]:
        """Webhook → record of each, and its parts: until a worker claims it, until its first
        Dataverse request, inside Dataverse requests (as the worker timed them), and the rest
        (our own work between and after them)."""
        ids = []
        for index in range(n):
            ids.append(f"{prefix}-{index}")
            self.send("quiet", ids[-1])
            time.sleep(0.25)
        from handoffs.lifecycle.claim import lease_seconds

        parts: dict[str, list[float]] = {
            "total": [], "queue": [], "claim": [], "dynamics": [], "after": []
        }  # fmt: skip
        for session in self.wait("quiet", ids):
            calls = list(session.events.filter(kind="dataverse_call").order_by("id"))
            sent = calls[0].created_at - timedelta(milliseconds=calls[0].detail["duration_ms"])
            # The claim wrote lease_until = its moment + the lease (a quick handoff renews none).
            claimed = session.lease_until - timedelta(seconds=lease_seconds())
            total = (session.completed_at - session.received_at).total_seconds()
            queue = (claimed - session.received_at).total_seconds()
            claim = (sent - claimed).total_seconds()
            dynamics = sum(call.detail["duration_ms"] for call in calls) / 1000
            values = (total, queue, claim, dynamics, total - queue - claim - dynamics)
            for name, value in zip(parts, values, strict=True):
                parts[name].append(value)
        return parts

    def flood(self, n: int) -> threading.Thread:
        def send_all() -> None:
            with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
                list(pool.map(lambda i: self.send("busy", f"flood-{i}"), range(n)))

        thread = threading.Thread(target=send_all, daemon=True)
        thread.start()
        return thread


def cpu_split(groups: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by the machine, each process group, this process (the sender
    and its polling), and the rest (the database, Redis, anything else running)."""
    spent = {"machine": machine_busy_seconds()}
    spent.update((name, group_cpu_seconds(pgid)) for name, pgid in groups.items())
    own = os.times()
    spent["the sender"] = own.user + own.system
    spent["the rest (the database, …)"] = spent["machine"] - sum(
        value for name, value in spent.items() if name != "machine"
    )
    return spent


# PostgreSQL's server processes, told apart by the client each served (harness.named).
DATABASE_CLIENTS = {"web": "the web app", "worker": "the task workers", "sandbox": "the sandbox"}


def database_split(before: dict, after: dict, handoffs: int) -> dict[str, float]:
    """PostgreSQL's CPU per handoff between two database_cpu_seconds() readings, by client
    (a server process that started in between counts whole)."""
    split: dict[str, float] = {}
    for pid, (client, spent) in after.items():
        name = next(
            (label for prefix, label in DATABASE_CLIENTS.items() if client.startswith(prefix)),
            "the sender",
        )
        used = spent - before.get(pid, (client, 0.0))[1]
        split[name] = split.get(name, 0.0) + used / handoffs
    return split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--burst", type=int, default=300)
    parser.add_argument("--flood", type=int, default=1000)
    parser.add_argument("--quiet", type=int, default=20)
    parser.add_argument("--worker-processes", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="tenant-load-") as workdir,
        fresh_database(args.database_url, Path(workdir), keep=False) as (database_url, database),
    ):
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = worker_env(
            database_url, base_url, q_workers=args.worker_processes, redis_url=args.redis_url
        )
        start_django(env)
        from django.conf import settings
        from django.db import connection

        processes = Processes(env, Path(workdir))
        try:
            processes.start_web(port, production=True)
            # Each tenant's org on a server of its own, as two customers' Dataverse
            # environments are: the flood's requests do not queue in front of the quiet
            # tenant's at its Dynamics (they still share this machine's CPUs).
            sandbox_urls, sandboxes = {}, {}
            for slug in ("busy", "quiet"):
                sandbox_port = free_port()
                sandboxes[slug] = processes.start_web(sandbox_port, f"sandbox-{slug}")
                sandbox_urls[slug] = f"http://127.0.0.1:{sandbox_port}"
            bench = Bench(base_url, sandbox_urls, args.latency_ms)
            processes.start_worker()
            bench.send("quiet", "warm-up")
            bench.wait("quiet", ["warm-up"])
            held = bench.holding_time(20)
            cap = settings.TENANT_MAX_CONCURRENT_HANDOFFS
            bound = min(cap, args.worker_processes) / held
            groups = {
                "the web app": processes.web.pid,
                "the task workers": processes.workers[0].pid,
                "the sandbox": sandboxes["busy"].pid,
            }
            before = cpu_split(groups)
            on_postgres = connection.vendor == "postgresql"
            database_before = database_cpu_seconds(connection) if on_postgres else {}
            rate = bench.burst(args.burst)
            split = {
                name: (spent - before[name]) / args.burst
                for name, spent in cpu_split(groups).items()
            }
            by_client = (
                database_split(database_before, database_cpu_seconds(connection), args.burst)
                if on_postgres
                else {}
            )
            cpu = split.pop("machine")
            alone = bench.quiet_latencies("alone", args.quiet)
            flood = bench.flood(args.flood)
            during = bench.quiet_latencies("during", args.quiet)
            flood.join()
            bench.wait("busy", [f"flood-{i}" for i in range(args.flood)])
            connection.close()
        finally:
            processes.stop()
    print(
        f"{database}, {'Redis' if args.redis_url else 'database'} broker, {args.latency_ms} ms "
        f"added per Dataverse call, cap {cap} handoffs per tenant, {args.worker_processes} "
        f"worker processes, {os.cpu_count()} CPUs\n"
    )
    print("| measure | value | baseline | ratio | target |")
    print("|---|---|---|---|---|")
    print(
        f"| handoffs per second, burst of {args.burst} | {rate:.1f} /s | bound {bound:.1f} /s "
        f"(cap ÷ {held * 1000:.0f} ms held) | {rate / bound:.2f} | ≥ 0.8 |"
    )
    cpus = os.cpu_count() or 1
    parts = ", ".join(f"{name} {spent * 1000:.1f}" for name, spent in split.items())
    print(
        f"| the same burst, against this machine's CPUs | {rate:.1f} /s | {cpus} CPUs allow "
        f"{cpus / cpu:.1f} /s ({cpu * 1000:.0f} ms of CPU per handoff, all processes: {parts}) "
        f"| {rate * cpu / cpus:.2f} | |"
    )
    if by_client:
        parts = ", ".join(f"{name} {spent * 1000:.1f}" for name, spent in by_client.items())
        print(f"| … of the rest, PostgreSQL for each client (ms of CPU per handoff) | {parts} |||")
    p95_alone, p95_during = percentile(alone["total"], 0.95), percentile(during["total"], 0.95)
    print(
        f"| quiet tenant webhook → record p95, during a flood of {args.flood} | "
        f"{p95_during * 1000:.0f} ms (p50 {statistics.median(during['total']) * 1000:.0f} ms) | "
        f"alone {p95_alone * 1000:.0f} ms (p50 {statistics.median(alone['total']) * 1000:.0f} ms) "
        f"| {p95_during / p95_alone:.2f} | ≤ 1.5 |"
    )
    for name, label in (
        ("queue", "accepted → claimed by a worker"),
        ("claim", "claimed → its first Dataverse request"),
        ("dynamics", "inside Dataverse requests (the sandbox, on the same CPUs)"),
        ("after", "our own work between and after them"),
    ):
        p50_during, p50_alone = statistics.median(during[name]), statistics.median(alone[name])
        print(
            f"| … of which {label}, p50 | {p50_during * 1000:.0f} ms | alone "
            f"{p50_alone * 1000:.0f} ms | {p50_during / p50_alone:.2f} | |"
        )


if __name__ == "__main__":
    main()

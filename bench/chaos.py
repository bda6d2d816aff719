"""Chaos run: many handoffs, each delivered several times at once, through faults and a crash.

Run: .venv/bin/python bench/chaos.py [--handoffs 1000] [--fault-rate 0.3] [--workers 3]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/chaos.py
     .venv/bin/python bench/chaos.py --outage-minutes 60 --handoffs 500

On a fresh database (a new SQLite file, or a new database on the PostgreSQL server DATABASE_URL
names, dropped afterwards) it starts the web app under gunicorn (the sandbox included), K
`qcluster` processes and two tenants: one whose chats become live chats (Messaging API), one
whose chats become conversation records. It sends N handoffs over the five channels for a pool of
returning customers (so contact look-ups race), each delivered --deliveries times concurrently, as
OpenCX does when an answer is slow. Meanwhile the sandbox injects faults at the given rate (429
with Retry-After, 503, requests carried out whose answer is lost, connections cut before anything
happens, slow answers; the Messaging API throttles and fails too), and one worker process group
is killed with SIGKILL mid-run and replaced. Then the faults stop, every session is waited for,
and the sandbox is read back: one table, and exit status 1 when anything was lost, duplicated,
refused, or a killed worker's session took longer than 60 s to resume.

With --outage-minutes M the sandbox is down (every request 503) for M minutes while the handoffs
arrive spread over that time; afterwards it reports the requests each tenant made during the
outage and how long after recovery the last handoff landed (target: within 2 minutes).
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import datetime
import json
import os
import platform
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import (  # noqa: E402
    Processes,
    free_port,
    fresh_database,
    group_pids,
    percentile,
    post_signed,
    start_django,
    worker_env,
)

CHANNELS = ("phone", "email", "web", "sms", "whatsapp")
RESUME_LIMIT = 60.0  # seconds within which a killed worker's session must be taken again
RECOVERY_LIMIT = 120.0  # seconds after an outage within which every handoff must land


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--handoffs", type=int, default=1000)
    parser.add_argument("--fault-rate", type=float, default=0.3, help="0..1 of API requests")
    parser.add_argument("--workers", type=int, default=3, help="qcluster processes")
    parser.add_argument("--worker-processes", type=int, default=2, help="Q_WORKERS of each")
    parser.add_argument("--deliveries", type=int, default=3, help="times each handoff is sent")
    parser.add_argument("--customers", type=int, help="returning customers (default N/5)")
    parser.add_argument("--no-kill", action="store_true", help="leave every worker alive")
    parser.add_argument("--outage-minutes", type=float, default=0.0)
    parser.add_argument("--finish-timeout", type=float, default=900.0, help="seconds to wait")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    args = parser.parse_args(argv)
    if args.handoffs < 1 or args.workers < 1 or args.deliveries < 1:
        parser.error("--handoffs, --workers and --deliveries must be at least 1")
    if not 0.0 <= args.fault_rate <= 1.0:
        parser.error("--fault-rate is a share of requests between 0 and 1")
    args.customers = args.customers or max(2, args.handoffs // 5)
    return args


@dataclass
class Tenants:
    live: object  # tenant whose chats become live chats
    records: object  # tenant whose chats become conversation records
    orgs: dict = field(default_factory=dict)  # tenant pk → sandbox org

    def all(self) -> list:
        return [self.live, self.records]


def setup_tenants(base_url: str) -> Tenants:
    from dataverse_sandbox import provisioning
    from dataverse_sandbox.models import Org
    from handoffs.tenancy import tenants
    from handoffs.tenancy.sandbox import connect_to_sandbox

    live = tenants.create_tenant("chaos-live", "Chaos live chats")
    connect_to_sandbox(live)
    records = tenants.create_tenant("chaos-records", "Chaos records")
    org = provisioning.create_org("chaos-records", omnichannel=True)
    tenants.connect(records, **provisioning.connection_fields(org, base_url))
    found = Tenants(live, records)
    found.orgs[live.pk] = Org.objects.get(slug="chaos-live")
    found.orgs[records.pk] = org
    return found


def set_faults(found: Tenants, rate: float, outage: bool) -> None:
    from dataverse_sandbox import provisioning
    from dataverse_sandbox.messaging import channel
    from dataverse_sandbox.messaging import faults as messaging_faults

    for org in found.orgs.values():
        provisioning.reset_faults(org)
        messaging = channel.faults_for(org)
        if outage:
            provisioning.set_faults(org, unavailable_share=1.0)
            messaging_faults.set_faults(messaging, unavailable_share=1.0)
        elif rate:
            share = rate / 5
            provisioning.set_faults(
                org, throttle_share=share, unavailable_share=share, drop_share=share,
                cut_share=share, slow_share=share, slow_ms=1500, retry_after=1,
            )  # fmt: skip
            messaging_faults.set_faults(
                messaging, throttle_share=rate / 2, unavailable_share=rate / 2, retry_after=1
            )


def clear_faults(found: Tenants) -> None:
    from dataverse_sandbox import provisioning
    from dataverse_sandbox.messaging import channel

    for org in found.orgs.values():
        provisioning.reset_faults(org)
        channel.faults_for(org).delete()


def handoff_bodies(args: argparse.Namespace, found: Tenants) -> list[tuple[object, dict]]:
    from handoffs.channels import sample_handoff

    bodies = []
    for index in range(args.handoffs):
        tenant = found.all()[index % 2]
        channel = CHANNELS[(index // 2) % len(CHANNELS)]
        body = sample_handoff(channel, f"chaos-{index:05d}")
        customer = (index * 7919) % args.customers
        body["customer"] = {
            "name": f"Customer {customer}",
            "email": f"customer-{customer}@example.com",
            "phone": f"+1555{customer:07d}",
        }
        bodies.append((tenant, body))
    return bodies


class Sender:
    """Delivers each handoff several times at once, signed as OpenCX signs, and counts answers."""

    def __init__(self, base_url: str, deliveries: int) -> None:
        self.base_url = base_url
        self.deliveries = deliveries
        self.answers: collections.Counter = collections.Counter()
        self.lock = threading.Lock()
        self.local = threading.local()
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=8 * deliveries)

    def _post(self, tenant, raw: bytes) -> None:
        import requests

        session = getattr(self.local, "session", None) or requests.Session()
        self.local.session = session
        try:
            answer = str(post_signed(session, self.base_url, tenant, raw))
        except requests.RequestException as exc:
            answer = type(exc).__name__
        with self.lock:
            self.answers[answer] += 1

    def send(self, tenant, body: dict) -> list[concurrent.futures.Future]:
        raw = json.dumps(body).encode()
        return [self.pool.submit(self._post, tenant, raw) for _ in range(self.deliveries)]


@dataclass
class Kill:
    at: float = 0.0
    held: dict = field(default_factory=dict)  # session pk → attempts when killed
    resumed_after: dict = field(default_factory=dict)  # session pk → seconds


def kill_one_worker(processes: Processes, kill: Kill) -> None:
    """SIGKILL the worker group holding the most sessions, start a replacement, watch resumes."""
    from handoffs.models import HandoffSession

    deadline = time.monotonic() + 20
    while True:
        holders = collections.Counter()
        held = list(
            HandoffSession.objects.filter(status="processing").values_list(
                "pk", "claimed_by", "attempts"
            )
        )
        groups = {w.pid: group_pids(w.pid) for w in processes.workers if w.poll() is None}
        for pgid, pids in groups.items():
            holders[pgid] = sum(int(c.split(":")[1]) in pids for _, c, _ in held if c.count(":"))
        victim, count = holders.most_common(1)[0] if holders else (None, 0)
        if victim is not None and (count or time.monotonic() > deadline):
            break
        time.sleep(0.05)
    pids = groups[victim]
    kill.held = {pk: attempts for pk, c, attempts in held if int(c.split(":")[1]) in pids}
    os.killpg(victim, signal.SIGKILL)
    kill.at = time.monotonic()
    processes.start_worker()
    while len(kill.resumed_after) < len(kill.held):
        waiting = [pk for pk in kill.held if pk not in kill.resumed_after]
        for pk, status, attempts in HandoffSession.objects.filter(pk__in=waiting).values_list(
            "pk", "status", "attempts"
        ):
            if attempts > kill.held[pk] or status in ("done", "failed"):
                kill.resumed_after[pk] = time.monotonic() - kill.at
        if time.monotonic() - kill.at > 300:
            break
        time.sleep(0.1)


def wait_for_sessions(expected: int, timeout: float, found: Tenants, watch: dict) -> None:
    from handoffs.models import DynamicsConnection, HandoffSession

    deadline = time.monotonic() + timeout
    last_report = 0.0
    while time.monotonic() < deadline:
        sessions = HandoffSession.objects.filter(tenant__in=found.all())
        counts = collections.Counter(sessions.values_list("status", flat=True))
        note_outages(watch)
        finished = counts["done"] + counts["failed"]
        if time.monotonic() - last_report > 10:
            print(f"  … {dict(counts)}", file=sys.stderr, flush=True)
            last_report = time.monotonic()
        if (
            finished >= expected
            and not DynamicsConnection.objects.filter(unavailable_since__isnull=False).exists()
        ):
            return
        time.sleep(0.5)


def wait_for_first_attempts(found: Tenants, expected: int, timeout: float) -> None:
    from handoffs.models import HandoffSession

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sessions = HandoffSession.objects.filter(tenant__in=found.all())
        if sessions.count() >= expected and not sessions.filter(status="queued").exists():
            return
        time.sleep(0.5)


def note_outages(watch: dict) -> None:
    """Remember when each tenant's outage was first noticed by the product."""
    from handoffs.models import DynamicsConnection

    for tenant_id, since in DynamicsConnection.objects.filter(
        unavailable_since__isnull=False
    ).values_list("tenant_id", "unavailable_since"):
        watch.setdefault(tenant_id, since)


def read_back(found: Tenants, expected: int) -> tuple[list[tuple[str, str]], list[str]]:
    """The table's rows and the problems found."""
    from dataverse_sandbox import provisioning
    from dataverse_sandbox.messaging.models import Conversation
    from dataverse_sandbox.models import RequestLog
    from handoffs.models import HandoffSession

    problems: list[str] = []
    sessions = list(HandoffSession.objects.filter(tenant__in=found.all()))
    status = collections.Counter(s.status for s in sessions)
    targets = collections.Counter(s.target for s in sessions)
    stored = len({(s.tenant_id, s.session_id) for s in sessions})
    duplicates = 0
    orphans = 0
    notes_per_record: list[int] = []
    queue_items_per_case: list[int] = []
    duplicate_contacts = 0
    unlinked = 0
    for tenant in found.all():
        org = found.orgs[tenant.pk]
        mine = [s for s in sessions if s.tenant_id == tenant.pk]
        cases = {str(r.record_id) for r in provisioning.rows(org, "incident")}
        items = {str(r.record_id) for r in provisioning.rows(org, "msdyn_ocliveworkitem")}
        wanted_cases = {str(s.dynamics365_incident_id) for s in mine if s.dynamics365_incident_id}
        # A live chat is a conversation record too (Dynamics makes it); only ours carry a note.
        wanted_items = {str(s.dynamics365_chat_id) for s in mine if s.dynamics365_chat_id}
        ours = {str(s.dynamics365_chat_id) for s in mine if s.target == "live_work_item"}
        orphans += len(cases - wanted_cases) + len(items - wanted_items)
        notes = collections.Counter(
            n.data["objectid"]["id"] for n in provisioning.rows(org, "annotation")
        )
        notes_per_record += [notes[r] for r in cases | (items & ours)]
        queued = collections.Counter(
            q.data["objectid"]["id"] for q in provisioning.rows(org, "queueitem")
        )
        queue_items_per_case += [queued[r] for r in cases]
        conversations = collections.Counter(
            Conversation.objects.filter(org=org).values_list("customer_id", flat=True)
        )
        duplicates += sum(n - 1 for n in conversations.values() if n > 1)
        live = [s for s in mine if s.target == "live_chat"]
        missing_chats = [s.session_id for s in live if conversations[s.session_id] != 1]
        if missing_chats:
            problems.append(f"live chats without exactly one conversation: {missing_chats[:5]}")
        contacts = provisioning.rows(org, "contact")
        emails = collections.Counter((c.data.get("emailaddress1") or "").lower() for c in contacts)
        duplicate_contacts += sum(n - 1 for e, n in emails.items() if e and n > 1)
        contact_ids = {str(c.record_id) for c in contacts}
        unlinked += sum(
            1
            for s in mine
            if s.target != "live_chat" and str(s.dynamics365_contact_id) not in contact_ids
        )
    records_without_note = sum(1 for n in notes_per_record if n != 1)
    cases_not_queued = sum(1 for n in queue_items_per_case if n != 1)
    duplicates += orphans
    latencies = [
        (s.completed_at - s.received_at).total_seconds()
        for s in sessions
        if s.status == "done" and s.completed_at
    ]
    orgs = list(found.orgs.values())
    faults = collections.Counter(
        RequestLog.objects.filter(org__in=orgs, kind="api")
        .exclude(fault="")
        .values_list("fault", flat=True)
    )
    lost = expected - stored
    unfinished = sum(status[s] for s in ("queued", "processing", "retrying"))
    for label, count in (
        ("lost handoffs", lost),
        ("failed sessions", status["failed"]),
        ("unfinished sessions", unfinished),
        ("duplicate records", duplicates),
        ("duplicate contacts", duplicate_contacts),
        ("records without exactly one note", records_without_note),
        ("cases without exactly one queue item", cases_not_queued),
        ("records without their contact", unlinked),
    ):
        if count:
            problems.append(f"{label}: {count}")
    rows = [
        ("handoffs", f"{expected}"),
        ("done", f"{status['done']}"),
        ("failed", f"{status['failed']}"),
        ("unfinished", f"{unfinished}"),
        ("lost (sent, never stored)", f"{lost}"),
        (
            "records",
            f"{targets['incident']} cases, {targets['live_work_item']} conversation records, "
            f"{targets['live_chat']} live chats",
        ),
        ("duplicate records (cases, conversations, live chats)", f"{duplicates}"),
        ("duplicate contacts", f"{duplicate_contacts}"),
        ("notes per record", _spread(notes_per_record)),
        ("queue items per case", _spread(queue_items_per_case)),
        ("records whose contact is missing", f"{unlinked}"),
        (
            "webhook → record p50 / p95",
            f"{percentile(latencies, 0.5):.2f} s / {percentile(latencies, 0.95):.2f} s",
        ),
        (
            "Dataverse faults injected",
            ", ".join(f"{kind} {n}" for kind, n in sorted(faults.items())) or "none",
        ),
    ]
    return rows, problems


def _spread(values: list[int]) -> str:
    if not values:
        return "n/a"
    low, high = min(values), max(values)
    return f"{low}" if low == high else f"{low}–{high}"


def outage_rows(found: Tenants, started, ended, noticed: dict) -> tuple[list, list[str]]:
    """Requests each tenant made while its Dynamics was down, and how fast it caught up."""
    from dataverse_sandbox.models import RequestLog
    from handoffs.models import HandoffSession

    rows, problems = [], []
    minutes = (ended - started).total_seconds() / 60
    for tenant in found.all():
        org = found.orgs[tenant.pk]
        during = RequestLog.objects.filter(
            org=org, kind__in=("api", "messaging"), at__gte=started, at__lt=ended
        )
        since = noticed.get(tenant.pk)
        after_noticed = during.filter(at__gt=since).count() if since else during.count()
        allowed = int(minutes) + 2
        rows.append(
            (
                f"{tenant.slug}: Web API and Messaging API requests during the outage",
                f"{during.count()} ({after_noticed} after it was noticed, over {minutes:.1f} min)",
            )
        )
        if after_noticed > allowed:
            problems.append(f"{tenant.slug} made {after_noticed} requests while known to be down")
    done = HandoffSession.objects.filter(tenant__in=found.all(), status="done")
    last = max((s.completed_at for s in done), default=None)
    if last is not None:
        caught_up = (last - ended).total_seconds()
        rows.append(("last handoff landed after recovery", f"{caught_up:.1f} s"))
        if caught_up > RECOVERY_LIMIT:
            problems.append(f"the last handoff landed {caught_up:.0f} s after recovery")
    # A session that failed on the way would have needed an operator's replay.
    needed = HandoffSession.objects.filter(tenant__in=found.all(), events__kind="failed")
    replays = needed.distinct().count()
    rows.append(("sessions that failed on the way (would need a replay)", f"{replays}"))
    if replays:
        problems.append(f"{replays} sessions failed during the outage")
    return rows, problems


def run(args: argparse.Namespace, workdir: Path) -> int:
    with fresh_database(args.database_url, workdir, args.keep) as (database_url, database):
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = worker_env(database_url, base_url, args.worker_processes)
        start_django(env)
        from django.db import connection
        from django.utils import timezone

        processes = Processes(env, workdir)
        try:
            processes.start_web(port)
            found = setup_tenants(base_url)
            for _ in range(args.workers):
                processes.start_worker()
            outage = args.outage_minutes > 0
            set_faults(found, args.fault_rate, outage)
            bodies = handoff_bodies(args, found)
            sender = Sender(base_url, args.deliveries)
            kill = Kill()
            killer = None
            noticed: dict = {}
            started_at = time.monotonic()
            outage_started = timezone.now()
            spacing = args.outage_minutes * 60 / len(bodies) if outage else 0.0
            futures = []
            for index, (tenant, body) in enumerate(bodies):
                futures += sender.send(tenant, body)
                if index == len(bodies) // 2 and not (args.no_kill or outage):
                    killer = threading.Thread(
                        target=kill_one_worker, args=(processes, kill), daemon=True
                    )
                    killer.start()
                if spacing:
                    time.sleep(spacing)
                    note_outages(noticed)
            concurrent.futures.wait(futures)
            sent_in = time.monotonic() - started_at
            if outage:
                remaining = outage_started.timestamp() + args.outage_minutes * 60 - time.time()
                while remaining > 0:
                    note_outages(noticed)
                    time.sleep(min(1.0, remaining))
                    remaining -= 1.0
            else:
                # Faults last until every handoff has had its first attempt.
                wait_for_first_attempts(found, len(bodies), args.finish_timeout)
            outage_ended = timezone.now()
            clear_faults(found)
            if killer is not None:
                killer.join()
            wait_for_sessions(len(bodies), args.finish_timeout, found, noticed)
            elapsed = time.monotonic() - started_at
            rows, problems = read_back(found, len(bodies))
            if outage:
                more_rows, more_problems = outage_rows(found, outage_started, outage_ended, noticed)
                rows += more_rows
                problems += more_problems
            answers = dict(sorted(sender.answers.items()))
            refused = {a: n for a, n in answers.items() if a not in ("200", "202")}
            rows.insert(1, ("deliveries (answers)", f"{sum(answers.values())} {answers}"))
            if refused:
                problems.append(f"deliveries not accepted: {refused}")
            if kill.at:
                slowest = max(kill.resumed_after.values(), default=0.0)
                unresumed = len(kill.held) - len(kill.resumed_after)
                rows.append(
                    (
                        "worker killed (SIGKILL) mid-run",
                        f"held {len(kill.held)} sessions, all taken again within {slowest:.1f} s"
                        if not unresumed
                        else f"held {len(kill.held)}, {unresumed} not taken again",
                    )
                )
                if unresumed or slowest > RESUME_LIMIT:
                    problems.append(f"killed worker's sessions resumed after {slowest:.0f} s")
            rows.append(("sent in / all finished in", f"{sent_in:.0f} s / {elapsed:.0f} s"))
            connection.close()
        finally:
            processes.stop()
            if args.keep:
                print(f"logs and database kept in {workdir}", file=sys.stderr)
    print_table(args, database, rows)
    if problems:
        print("\nFAILED: " + "; ".join(problems))
        return 1
    print("\nOK: nothing lost, nothing duplicated.")
    return 0


def print_table(args: argparse.Namespace, database: str, rows: list[tuple[str, str]]) -> None:
    what = (
        f"{args.outage_minutes:g}-minute outage"
        if args.outage_minutes
        else f"{args.fault_rate:.0%} faults"
    )
    print(
        f"\nChaos run {datetime.date.today()}: {args.handoffs} handoffs × {args.deliveries} "
        f"deliveries, {what}, {args.workers} workers × {args.worker_processes} processes, "
        f"{database}, {platform.machine()} {os.cpu_count()} CPUs\n"
    )
    print("| | |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.keep:
        return run(args, Path(tempfile.mkdtemp(prefix="chaos-")))
    with tempfile.TemporaryDirectory(prefix="chaos-") as workdir:
        return run(args, Path(workdir))


if __name__ == "__main__":
    sys.exit(main())

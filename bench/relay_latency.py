"""How long the live-chat relay takes each way, next to a plain HTTP round trip in the same run.

Run: .venv/bin/python bench/relay_latency.py [--messages N] [--database-url URL]
Starts the web app (with the sandbox) under gunicorn, as in production, and one real task
worker (`qcluster`) on a free loopback port and a fresh database, hands one WhatsApp chat to a
rep, then measures N times:
- customer → rep: from the signed POST to the messages endpoint until the sandbox's conversation
  holds the message (the worker sent it through the Messaging API);
- rep → OpenCX: from the rep's reply in the sandbox until a local callback receiver got the
  signed `agent.message` (webhook, stored, relayed by the worker, sent by the outbox);
- baseline: `GET /healthz` on the same server, over a kept-alive connection like the relay's.
Both relays include the worker picking the task up from its queue (Q_POLL, 0.05 s by default).
(Django's runserver would add ~40 ms to every kept-alive request, a delayed-ACK artefact of how
it writes answers; gunicorn does not.)
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.handoff_cost import free_port  # noqa: E402

SESSION = "bench-relay"


class Arrivals:
    """A callback receiver noting when each rep message's event arrived, by its text."""

    def __init__(self) -> None:
        self.seen: dict[str, float] = {}
        self.changed = threading.Condition()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw or b"{}")
                if body.get("event") == "agent.message":
                    with owner.changed:
                        owner.seen[body["text"]] = time.perf_counter()
                        owner.changed.notify_all()
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/opencx"
        threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True).start()

    def wait_for(self, text: str, timeout: float = 30.0) -> float:
        with self.changed:
            if not self.changed.wait_for(lambda: text in self.seen, timeout):
                raise SystemExit(f"the receiver never got {text!r}")
            return self.seen[text]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def setup(database_url: str, base_url: str, callback_url: str):
    """Django in this process; tenant "bench" on a sandbox org with its live chat."""
    os.environ.update(DATABASE_URL=database_url, PUBLIC_BASE_URL=base_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "opencx_integration.settings"
    import django

    django.setup()
    from django_q.conf import Conf

    Conf.SYNC = False  # the worker process runs every task, as in production
    from dataverse_sandbox.models import Org
    from handoffs.tenancy import tenants
    from handoffs.tenancy.sandbox import connect_to_sandbox

    tenant = tenants.create_tenant("bench")
    connect_to_sandbox(tenant)
    tenant.callback_url = callback_url
    tenant.save()
    return tenant, Org.objects.get(slug="bench")


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn serving the web app and the sandbox; returns once it accepts connections."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "opencx_integration.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", "2", "--threads", "4", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the web app did not start within 30 seconds")


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env={**env, "Q_WORKERS": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def post_signed(tenant, url: str, body: dict) -> int:
    from handoffs.inbound import signing
    from handoffs.outbound import http

    raw = json.dumps(body).encode()
    response, _ = http.post_json(
        "bench", url, raw, signing.signed_headers(tenant.webhook_secret, raw)
    )
    return response.status_code


def open_chat(tenant, org, base_url: str):
    """Hand a WhatsApp chat off and let the sandbox's rep accept it; its conversation."""
    from dataverse_sandbox.messaging import rep
    from dataverse_sandbox.messaging.models import Conversation
    from handoffs.channels import sample_handoff

    post_signed(
        tenant,
        f"{base_url}/hooks/opencx/{tenant.webhook_key}/",
        sample_handoff("whatsapp", SESSION),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = Conversation.objects.filter(org=org, customer_id=SESSION).first()
        if found is not None:
            rep.accept(found)
            return found
        time.sleep(0.05)
    raise SystemExit("the handoff did not open a conversation within 60 seconds")


def customer_to_rep(tenant, conversation, base_url: str, count: int) -> tuple[list, list]:
    """(until the rep has it, until the endpoint answered 202), per message."""
    url = f"{base_url}/hooks/opencx/{tenant.webhook_key}/sessions/{SESSION}/messages"
    seconds, answered = [], []
    for n in range(count):
        text = f"customer message {n}"
        body = {"message_id": f"c{n}", "type": "message", "text": text}
        started = time.perf_counter()
        if post_signed(tenant, url, body) != 202:
            raise SystemExit("the messages endpoint refused a message")
        answered.append(time.perf_counter() - started)
        while not conversation.items.filter(kind="customer", text=text).exists():
            time.sleep(0.002)
        seconds.append(time.perf_counter() - started)
    return seconds, answered


def rep_to_opencx(conversation, arrivals: Arrivals, count: int) -> tuple[list, list]:
    """(until OpenCX's receiver has it, until the webhook answered Dynamics), per message."""
    from dataverse_sandbox.messaging import rep

    seconds, answered = [], []
    for n in range(count):
        text = f"rep message {n}"
        started = time.perf_counter()
        rep.say(conversation, text)  # posts the webhook, as Dynamics does, before returning
        answered.append(time.perf_counter() - started)
        seconds.append(arrivals.wait_for(text) - started)
    return seconds, answered


def round_trips(base_url: str, count: int) -> list[float]:
    from handoffs.outbound import http

    session = http.session_for("bench-baseline")
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        http.send(session, "GET", f"{base_url}/healthz")
        seconds.append(time.perf_counter() - started)
    return seconds


def report(label: str, seconds: list[float], baseline: float) -> None:
    p50, p95 = statistics.median(seconds), percentile(seconds, 0.95)
    print(f"{label:<34} p50 {p50 * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms  "
          f"ratio p50 {p50 / baseline:6.1f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=30)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true",
               "PUBLIC_BASE_URL": base_url}  # fmt: skip
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        arrivals = Arrivals()
        server, worker = start_server(port, env), start_worker(env)
        try:
            tenant, org = setup(database_url, base_url, arrivals.url)
            conversation = open_chat(tenant, org, base_url)
            baseline = round_trips(base_url, args.messages)
            inbound = customer_to_rep(tenant, conversation, base_url, args.messages)
            outbound = rep_to_opencx(conversation, arrivals, args.messages)
        finally:
            worker.terminate()
            server.terminate()
            worker.wait(timeout=30)
            server.wait(timeout=10)
    plain = statistics.median(baseline)
    print(f"messages each way: {args.messages}; database: {database_url.split(':', 1)[0]}")
    report("baseline GET /healthz", baseline, plain)
    report("customer → rep (endpoint → sandbox)", inbound[0], plain)
    report("  the endpoint's 202 alone", inbound[1], plain)
    report("rep → OpenCX (reply → receiver)", outbound[0], plain)
    report("  the webhook's 200 alone", outbound[1], plain)


if __name__ == "__main__":
    main()

"""What one handoff costs against the sandbox over real HTTP, next to OpenCX's documented flow.

Run: .venv/bin/python bench/handoff_cost.py [--handoffs N] [--latency-ms 0 50]
Starts the web app under gunicorn (with the Dataverse sandbox) on a free port and a new SQLite file,
then, in this process, for each latency the sandbox adds to every Web API answer: N handoffs for
a returning customer and N for new customers, each the way the task worker does, and the same
handoffs the way OpenCX's Dynamics 365 guide describes them, one request per step (the peer
flow below). The ratio ours ÷ peer is measured in the same run, on the same sandbox; one WhoAmI
with the token cached is printed as the unit of a round trip.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import Processes, free_port  # noqa: E402


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


class PeerFlow:
    """OpenCX's documented steps, one Web API request each, written plainly with requests.

    Look up the contact by email; create it if missing; create the case bound to it; read the
    case's ticket number; add the transcript as a note; add the case to the queue. Returning
    customer: 5 requests; new customer: 6.
    """

    def __init__(self, connection, api: str, token: str) -> None:
        import requests

        self.http = requests.Session()
        self.http.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "OData-MaxVersion": "4.0",
                "OData-Version": "4.0",
            }
        )
        self.api = api
        self.queue_id = connection.default_queue_id
        self.requests = 0

    def _call(self, method: str, path: str, **kwargs):
        self.requests += 1
        response = self.http.request(method, f"{self.api}/{path}", timeout=30, **kwargs)
        if response.status_code >= 400:
            raise SystemExit(f"peer flow: {method} {path} → {response.status_code} {response.text}")
        return response

    @staticmethod
    def _created_id(response) -> str:
        return response.headers["OData-EntityId"].rsplit("(", 1)[1].rstrip(")")

    def handoff(self, body: dict) -> str:
        email = body["customer"]["email"]
        found = self._call(
            "GET",
            "contacts",
            params={"$select": "contactid", "$filter": f"emailaddress1 eq '{email}'", "$top": "1"},
        ).json()["value"]
        if found:
            contact_id = found[0]["contactid"]
        else:
            name = body["customer"].get("name") or email
            created = self._call(
                "POST", "contacts", json={"lastname": name, "emailaddress1": email}
            )
            contact_id = self._created_id(created)
        case = self._call(
            "POST",
            "incidents",
            json={
                "title": f"OpenCX handoff {body['session_id']}",
                "description": body.get("summary") or "",
                "customerid_contact@odata.bind": f"/contacts({contact_id})",
            },
        )
        case_id = self._created_id(case)
        self._call("GET", f"incidents({case_id})", params={"$select": "ticketnumber"})
        transcript = "\n".join(f"{t['role']}: {t['text']}" for t in body.get("transcript", []))
        self._call(
            "POST",
            "annotations",
            json={
                "subject": f"OpenCX transcript {body['session_id']}",
                "notetext": transcript[:100000],
                "objectid_incident@odata.bind": f"/incidents({case_id})",
            },
        )
        self._call(
            "POST",
            f"queues({self.queue_id})/Microsoft.Dynamics.CRM.AddToQueue",
            json={
                "Target": {"incidentid": case_id, "@odata.type": "Microsoft.Dynamics.CRM.incident"}
            },
        )
        return case_id


def peer_handoffs(flow: PeerFlow, emails: list[str]) -> tuple[list[float], list[int]]:
    from handoffs.channels import sample_handoff

    seconds, requests = [], []
    for index, email in enumerate(emails):
        body = sample_handoff("phone", f"peer-{email}-{index}")
        body["customer"]["email"] = email
        before = flow.requests
        started = time.perf_counter()
        flow.handoff(body)
        seconds.append(time.perf_counter() - started)
        requests.append(flow.requests - before)
    return seconds, requests


def measure(org, tenant, connection, flow: PeerFlow, n: int, latency_ms: int, run: str) -> dict:
    """Medians of ours and the peer's, returning and new customers, at one latency."""
    from dataverse_sandbox import provisioning
    from handoffs.dynamics.client import client_for

    provisioning.set_faults(org, latency_ms=latency_ms)
    client = client_for(connection)
    client.get("WhoAmI")  # token cached
    whoami = []
    for _ in range(n):
        started = time.perf_counter()
        client.get("WhoAmI")
        whoami.append(time.perf_counter() - started)
    returning = f"returning-{run}@example.com"
    # The first handoff of a returning customer creates the contact: not timed.
    timed_handoffs(org, tenant, [returning])
    peer_handoffs(flow, [returning])
    results = {"whoami": statistics.median(whoami)}
    results["ours returning"] = timed_handoffs(org, tenant, [returning] * n)
    results["peer returning"] = peer_handoffs(flow, [returning] * n)
    results["ours new"] = timed_handoffs(
        org, tenant, [f"ours-{run}-{i}@example.com" for i in range(n)]
    )
    results["peer new"] = peer_handoffs(flow, [f"peer-{run}-{i}@example.com" for i in range(n)])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--handoffs", type=int, default=30)
    parser.add_argument("--latency-ms", type=int, nargs="+", default=[0, 50])
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
        processes = Processes(env, Path(tmp))
        processes.start_web(port)
        try:
            org, tenant, connection = setup(database_url, base_url)
            from handoffs.dynamics.client import client_for

            client = client_for(connection)
            client.get("WhoAmI")
            token = client.token()
            api = f"{connection.environment_url}/api/data/v9.2"
            flow = PeerFlow(connection, api, token)
            results = {
                latency: measure(
                    org, tenant, connection, flow, args.handoffs, latency, str(latency)
                )
                for latency in args.latency_ms
            }
        finally:
            processes.stop()
    print(f"handoffs per series: {args.handoffs}; medians; peer = OpenCX's documented flow")
    print(
        "| added latency per call | customer | ours | requests | peer | requests "
        "| ours ÷ peer | WhoAmI |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for latency, found in results.items():
        for customer in ("returning", "new"):
            ours, ours_calls = found[f"ours {customer}"]
            peer, peer_calls = found[f"peer {customer}"]
            print(
                f"| {latency} ms | {customer} | {statistics.median(ours) * 1000:.1f} ms "
                f"| {statistics.median(ours_calls):g} | {statistics.median(peer) * 1000:.1f} ms "
                f"| {statistics.median(peer_calls):g} "
                f"| {statistics.median(ours) / statistics.median(peer):.2f} "
                f"| {found['whoami'] * 1000:.1f} ms |"
            )


if __name__ == "__main__":
    main()

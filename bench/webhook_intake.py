"""Webhook intake cost: signed handoff POSTs against a baseline in the same run.

Run: .venv/bin/python bench/webhook_intake.py [--requests N]
Prints the median time per request of the webhook (verify signature, validate, insert, queue)
and its ratio to the health check, both served by the same Django process on a fresh SQLite file.
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


def setup_django(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencx_integration.settings")
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from django.test import Client
        from django_q.conf import Conf

        from handoffs.channels import sample_handoff
        from handoffs.inbound import signing
        from handoffs.tenancy import tenants

        Conf.SYNC = False  # measure intake only: tasks stay queued
        tenant = tenants.create_tenant("bench")
        client = Client(HTTP_HOST="127.0.0.1")
        url = f"/hooks/opencx/{tenant.webhook_key}/"

        def webhook(index: int) -> None:
            raw = json.dumps(sample_handoff("phone", f"bench-{index}")).encode()
            headers = signing.signed_headers(tenant.webhook_secret, raw)
            response = client.generic("POST", url, raw, "application/json", headers=headers)
            if response.status_code != 202:
                raise SystemExit(f"unexpected answer {response.status_code}: {response.content!r}")

        def healthz(index: int) -> None:
            if client.get("/healthz").status_code != 200:
                raise SystemExit("the health check did not answer 200")

        timed(healthz, 20)  # warm-up
        baseline = statistics.median(timed(healthz, args.requests))
        intake = statistics.median(timed(webhook, args.requests))
    print(f"requests per series: {args.requests}")
    print(f"baseline GET /healthz   median {baseline * 1000:8.3f} ms")
    print(f"signed webhook POST     median {intake * 1000:8.3f} ms")
    print(f"ratio webhook/baseline  {intake / baseline:8.1f}x")


if __name__ == "__main__":
    main()

"""manage.py opencx_inbox [--port P] [--tenant SLUG]: a stand-in for OpenCX's callback receiver.

Listens on a local port, checks each callback's signature with the tenant's signing secret, as
OpenCX does, and prints the event as OpenCX receives it. For development: point the tenant's
callback URL at it (Settings → Webhook, or --set-callback-url; http://127.0.0.1 is allowed only
while DEBUG is on).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from handoffs.inbound import signing
from handoffs.lifecycle.outbox import EVENT_HEADER, EVENT_ID_HEADER
from handoffs.models import Tenant

MAX_BODY_BYTES = 1024 * 1024


def describe(tenant: Tenant, headers: dict[str, str], raw: bytes) -> tuple[int, str]:
    """(status to answer, what to print) for one callback, checked as OpenCX checks it."""
    try:
        signing.verify(
            tenant.verifying_secrets(),
            headers.get(signing.TIMESTAMP_HEADER),
            headers.get(signing.SIGNATURE_HEADER),
            [raw],
        )
    except signing.SignatureError as exc:
        return 401, f"REFUSED ({exc.code}): {exc.message}"
    try:
        body = json.loads(raw)
    except ValueError:
        return 400, "REFUSED: the body is not JSON."
    name, event_id = headers.get(EVENT_HEADER, "?"), headers.get(EVENT_ID_HEADER, "?")
    lines = [f"── {name}  event_id {event_id}  signature valid"]
    if isinstance(body, dict) and body.get("event_id") not in (None, event_id):
        lines.append(
            f"   WARNING: the body's event_id {body.get('event_id')} differs from the header"
        )
    lines.append(json.dumps(body, indent=2, ensure_ascii=False))
    return 200, "\n".join(lines)


def make_server(tenant: Tenant, out: TextIO, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server answering each callback; call serve_forever() on it."""
    lock = threading.Lock()

    class Inbox(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                status, text = 413, "REFUSED: larger than 1 MiB."
            else:
                raw = self.rfile.read(length)
                status, text = describe(tenant, dict(self.headers.items()), raw)
            with lock:
                out.write(text + "\n")
                out.flush()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"ok": status == 200}).encode())

        def log_message(self, *args: object) -> None:  # the printed events say enough
            pass

    return ThreadingHTTPServer((host, port), Inbox)


class Command(BaseCommand):
    help = "Receive the tenant's callbacks locally, check their signature and print each event."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--tenant", help="the tenant's slug (needed when there are several)")
        parser.add_argument(
            "--set-callback-url",
            action="store_true",
            help="make this inbox the tenant's callback URL (development only)",
        )

    def handle(self, *args, **options) -> None:
        tenant = self._tenant(options["tenant"])
        try:
            server = make_server(tenant, self.stdout, options["host"], options["port"])
        except OSError as exc:
            raise CommandError(
                f"Cannot listen on {options['host']}:{options['port']} ({exc.strerror}): "
                "pick another port with --port."
            ) from None
        url = f"http://{options['host']}:{server.server_address[1]}/"
        try:
            self._point(tenant, url, options["set_callback_url"])
            self.stdout.write(f"Listening on {url} for {tenant.slug}'s callbacks (Ctrl-C stops).")
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()

    def _tenant(self, slug: str | None) -> Tenant:
        if slug:
            tenant = Tenant.objects.filter(slug=slug).first()
            if tenant is None:
                raise CommandError(f"No tenant {slug!r}: see manage.py create_tenant.")
            return tenant
        tenants = list(Tenant.objects.all()[:2])
        if len(tenants) != 1:
            slugs = ", ".join(Tenant.objects.values_list("slug", flat=True)[:20]) or "none yet"
            raise CommandError(f"Name the tenant with --tenant (tenants: {slugs}).")
        return tenants[0]

    def _point(self, tenant: Tenant, url: str, set_it: bool) -> None:
        if not set_it:
            if tenant.callback_url != url:
                self.stdout.write(
                    f"The tenant's callback URL is {tenant.callback_url or 'not set'}: set it to "
                    f"{url} under Settings → Webhook, or run again with --set-callback-url."
                )
            return
        tenant.callback_url = url
        try:
            tenant.full_clean(validate_unique=False)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        tenant.save(update_fields=["callback_url"])
        self.stdout.write(f"{tenant.slug}'s callback URL is now {url}.")

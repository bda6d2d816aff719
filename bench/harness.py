"""What the benchmarks and the chaos run share: a fresh database, the web app under gunicorn
(the Dataverse sandbox included, or as the production image runs it), `qcluster` workers, and
Django in the measuring process."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def fresh_database(url: str, workdir: Path, keep: bool):
    """A DATABASE_URL for a database nobody used before; dropped afterwards unless kept."""
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{workdir / 'chaos.sqlite3'}", "SQLite"
        return
    import psycopg

    name = f"chaos_{secrets.token_hex(4)}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    try:
        yield urlunsplit(parts._replace(path=f"/{name}")), f"PostgreSQL {version}"
    finally:
        if not keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Processes:
    """The web app and the task workers, each in its own process group, logs in workdir."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env = env
        self.workdir = workdir
        self.web: subprocess.Popen | None = None
        self.others: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []

    def _spawn(
        self, argv: list[str], log_name: str, client: str, env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        env = {**self.env, **(env or {})}
        with (self.workdir / log_name).open("ab") as log:
            return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
                argv,
                cwd=ROOT,
                env={**env, "DATABASE_URL": named(env["DATABASE_URL"], client)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start_web(
        self, port: int, name: str = "web", *, production: bool = False
    ) -> subprocess.Popen:
        """gunicorn on the port (the web app, or a second one serving only the sandbox).

        `production`: the web app as the production image runs it (DEBUG=false, gunicorn's sync
        workers, an access log), without the sandbox, which production settings refuse; plain
        HTTP on the loopback, so no redirect to HTTPS.
        """
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        if production:
            argv = ["--workers", "2", "--access-logfile", "-"]
            env = {
                "DEBUG": "false",
                "DATAVERSE_SANDBOX": "false",
                "ALLOW_LOOPBACK_DYNAMICS_URLS": "false",
                "SECURE_SSL_REDIRECT": "false",
                "ALLOWED_HOSTS": "127.0.0.1",
            }
        else:
            argv = ["--workers", "2", "--worker-class", "gthread", "--threads", "24"]
            env = {}
        server = self._spawn(
            [gunicorn, "opencx_integration.wsgi", "--bind", f"127.0.0.1:{port}", *argv,
             "--timeout", "120", "--log-level", "warning"],
            f"{name}.log",
            name,
            env,
        )  # fmt: skip
        if self.web is None:
            self.web = server
        else:
            self.others.append(server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited: see {self.workdir / f'{name}.log'}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return server
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn ({name}) did not start within 60 seconds")

    def start_worker(self) -> subprocess.Popen:
        worker = self._spawn(
            [sys.executable, "manage.py", "qcluster"],
            f"worker-{len(self.workers)}.log",
            f"worker-{len(self.workers)}",
        )
        self.workers.append(worker)
        return worker

    def stop(self) -> None:
        for process in [*self.workers, self.web, *self.others]:
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
        for process in [*self.workers, self.web, *self.others]:
            if process is None:
                continue
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)


def named(database_url: str, client: str) -> str:
    """The URL with PostgreSQL's application_name set, so that its server processes can be told
    apart by what they serve (database_cpu_seconds)."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return database_url
    return f"{database_url}{'&' if '?' in database_url else '?'}application_name={client}"


def database_cpu_seconds(connection) -> dict[int, tuple[str, float]]:
    """PostgreSQL's server processes for this database: pid → (the client's application_name,
    CPU seconds used so far). The server runs on this machine, as in every benchmark here."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        clients = cursor.fetchall()
    spent = {}
    for pid, client in clients:
        used = process_cpu_seconds(pid)
        if used is not None:
            spent[pid] = (client, used)
    return spent


def group_pids(pgid: int) -> set[int]:
    """Every live process of a process group (the qcluster and its worker children)."""
    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            pids.add(int(stat.parent.name))
    return pids


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def machine_busy_seconds() -> float:
    """CPU time every CPU of this machine has spent busy since boot (Linux /proc/stat)."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle, iowait = fields[3], fields[4]
    return (sum(fields[:8]) - idle - iowait) / TICKS


def process_cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a live process has used; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) the live processes of a process group have used."""
    return sum(process_cpu_seconds(pid) or 0.0 for pid in group_pids(pgid))


def run_keys() -> dict[str, str]:
    """SECRET_KEY and FIELD_ENCRYPTION_KEYS made for this run only (production settings need
    them; every process of a run must share them)."""
    from cryptography.fernet import Fernet

    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }


def worker_env(database_url: str, base_url: str, q_workers: int, redis_url: str = "") -> dict:
    """The environment of the web app and the workers (development mode, loopback sandbox), with
    keys of this run's own, which a web app on production settings needs too."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opencx_integration.settings",
        "DATABASE_URL": database_url,
        **run_keys(),
        "DEBUG": "true",
        "DATAVERSE_SANDBOX": "true",
        "ALLOW_LOOPBACK_DYNAMICS_URLS": "true",
        "PUBLIC_BASE_URL": base_url,
        "Q_WORKERS": str(q_workers),
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def start_django(env: dict[str, str]) -> None:
    """Migrate the database, then set Django up in this process on the same settings."""
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
    )
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from django_q.conf import Conf

    Conf.SYNC = False


def post_signed(session, base_url: str, tenant, raw: bytes) -> int:
    """POST a handoff body to the tenant's webhook, signed as OpenCX signs it."""
    from handoffs.inbound import signing

    headers = {"Content-Type": "application/json"}
    headers.update(signing.signed_headers(tenant.webhook_secret, raw))
    url = f"{base_url}/hooks/opencx/{tenant.webhook_key}/"
    return session.post(url, data=raw, headers=headers, timeout=60).status_code


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

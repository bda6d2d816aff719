"""Test settings: the production module plus what only tests want."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATAVERSE_SANDBOX", "true")
os.environ.setdefault("ALLOW_LOOPBACK_DYNAMICS_URLS", "true")

from opencx_integration.settings import *  # noqa: E402,F403
from opencx_integration.settings import DATABASES, Q_CLUSTER  # noqa: E402

# Unit tests run queued tasks inline; end-to-end tests switch a real qcluster on.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
# Threads of the live server must not keep connections open past a test (PostgreSQL would
# then refuse to drop the test database).
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

(BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the end-to-end tests' worker process must see the same database.
    # One file per test run, so parallel runs on one machine never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }

"""Fixtures for the domain tests."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django_q.conf import Conf


@pytest.fixture
def operator(db) -> Client:
    """A platform operator signed in to the Django admin."""
    get_user_model().objects.create_superuser("ops", "ops@example.com", "ops-pass-123")
    client = Client()
    client.login(username="ops", password="ops-pass-123")
    return client


class Statements:
    """What our code sends the database: statements, commits, and writes committed on their own."""

    def __init__(self) -> None:
        self.sql: list[str] = []
        self.commits = 0
        self.outside_transaction: list[str] = []

    def reset(self) -> None:
        self.sql.clear()
        self.commits = 0
        self.outside_transaction.clear()

    @property
    def transactions(self) -> int:
        """Commits, counting each write outside a transaction (autocommitted) as one."""
        return self.commits + len(self.outside_transaction)

    def __call__(self, execute, sql, params, many, context):
        if not sql.startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE passes here, PostgreSQL's not
            self.sql.append(sql)
        writing = _writes(sql)
        if writing and not context["connection"].in_atomic_block:
            self.outside_transaction.append(sql.split("(")[0])
        return execute(sql, params, many, context)


def _writes(sql: str) -> bool:
    """Whether a statement writes: INSERT, UPDATE, DELETE, or WITH queries that do."""
    words = sql.upper().split()
    if words[:1] == ["WITH"]:
        return any(word in words for word in ("INSERT", "UPDATE", "DELETE"))
    return words[:1] in (["INSERT"], ["UPDATE"], ["DELETE"])


@pytest.fixture
def statements(monkeypatch):
    """Counts what runs inside `with connections["default"].execute_wrapper(statements):`.

    Tasks wait in the database queue (the real broker) instead of running at once. Needs
    django_db(transaction=True): only then are commits real.
    """
    seen = Statements()
    wrapper = type(connections["default"])
    commit = wrapper.commit

    def counting(self):
        seen.commits += 1
        return commit(self)

    monkeypatch.setattr(wrapper, "commit", counting)
    monkeypatch.setattr(Conf, "SYNC", False)
    return seen

"""Concurrent handoffs for one new email converge on a single contact."""

from __future__ import annotations

import concurrent.futures

import pytest

from handoffs.channels import sample_handoff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_creates_one_contact_for_concurrent_handoffs(qcluster, sandbox_tenant):
    ids = [f"e2e-dedupe-{i}" for i in range(4)]
    bodies = []
    for index, session_id in enumerate(ids):
        body = sample_handoff(("phone", "email", "web", "sms")[index], session_id)
        body["customer"] = {"name": "Noor Haddad", "email": "noor.haddad@example.com"}
        bodies.append(body)

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(sandbox_tenant.send, bodies)) == [202] * 4
    sessions = [sandbox_tenant.wait(session_id) for session_id in ids]

    contacts = sandbox_tenant.rows("contact")
    assert [s.status for s in sessions] == ["done"] * 4
    assert len(contacts) == 1
    assert {s.dynamics365_contact_id for s in sessions} == {contacts[0].record_id}

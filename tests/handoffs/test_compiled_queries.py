"""A query compiled once answers each run for that run's values, and refuses a build that
ignores one of them (it would answer every run as if for the first)."""

from __future__ import annotations

import pytest

from handoffs.lifecycle.compiled import CompiledQuery
from handoffs.models import Tenant
from handoffs.tenancy.tenants import create_tenant


def by_key(key: str):
    return Tenant.objects.filter(webhook_key=key).values_list("slug")


def test_each_run_answers_for_its_own_values(db):
    first, second = create_tenant("first"), create_tenant("second")
    query = CompiledQuery(by_key, key="no such key")

    assert query.rows(key=first.webhook_key) == [("first",)]
    assert query.rows(key=second.webhook_key) == [("second",)]
    assert query.rows(key="unknown") == []


def test_a_build_that_ignores_a_value_is_refused(db):
    query = CompiledQuery(lambda key: Tenant.objects.values_list("slug"), key="no such key")

    with pytest.raises(ValueError, match="ignores key"):
        query.rows(key="anything")

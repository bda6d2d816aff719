"""A record's queue item and notes are found through an index, however many the org holds.

Every queue placement asks whether the record already has an active queue item (Dataverse
allows one). Found by reading every queue item of the org, each placement cost more than the
last: a benchmark's or a chaos run's org slowed down as it filled, and so did every figure
measured against it.
"""

from __future__ import annotations

import json
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dataverse_sandbox import pages, store
from dataverse_sandbox.models import Record

ITEMS = 5_000


def fill(org) -> str:
    """ITEMS active queue items of the org, each about a case of its own; one case's id."""
    Record.objects.bulk_create(
        Record(
            org=org,
            entity="queueitem",
            record_id=uuid.uuid4(),
            data={"objectid": {"id": str(uuid.uuid4()), "entity": "incident"}, "statecode": 0},
        )
        for _ in range(ITEMS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Record.objects.filter(org=org).last().data["objectid"]["id"]


def plan(read) -> tuple[object, str]:
    """What read() returns, and the plan of the last statement it ran, as it was sent."""
    with CaptureQueriesContext(connection) as queries:
        found = read()
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            value = cursor.fetchone()[0]
            return found, json.dumps(json.loads(value) if isinstance(value, str) else value)
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return found, " | ".join(row[-1] for row in cursor.fetchall())


def pages_read(found: str) -> int:
    (top,) = json.loads(found)
    return top["Plan"]["Shared Hit Blocks"] + top["Plan"]["Shared Read Blocks"]


def test_the_active_queue_item_of_a_record_is_read_through_the_index(org):
    case_id = fill(org)

    item, steps = plan(lambda: store.active_queue_item(org, case_id))

    assert item.data["objectid"]["id"] == case_id
    assert "sandbox_rec_regarding" in steps
    if connection.vendor == "postgresql":
        assert pages_read(steps) <= 10  # reading every queue item takes hundreds
    assert store.active_queue_item(org, str(uuid.uuid4())) is None


def test_a_records_page_finds_its_notes_and_queue_items_through_the_index(org):
    case_id = fill(org)
    case = Record(org=org, entity="incident", record_id=uuid.UUID(case_id), data={})

    (notes, items), steps = plan(lambda: pages._related(org, case))

    assert "sandbox_rec_regarding" in steps
    assert notes == []
    assert [item.data["objectid"]["id"] for item in items] == [case_id]

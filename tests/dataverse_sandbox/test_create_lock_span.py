"""A deep insert holds its org's row only to number what it wrote, as it commits.

Change numbers (and case numbers) come from the org's row, whose lock the transaction holds
until it commits, so that numbers become visible in the order they were given. Taken at the
start of a case's deep insert, that lock made every create of the org wait for the previous one
to finish writing its case, note and queue item: one org took one case at a time, where
Dataverse takes many, and every throughput measured against the sandbox said more about the
sandbox than about its caller.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dataverse_sandbox import provisioning
from tests.dataverse_sandbox.test_create_records import REPRESENTATION, case_body


def deep_insert(dataverse):
    note = {"subject": "OpenCX transcript s-1", "notetext": "customer: hello"}
    item = {"queueid@odata.bind": f"/queues({dataverse.fields['default_queue_id']})"}
    body = case_body(dataverse.new_contact(), Incident_Annotation=[note], Incident_QueueItem=[item])
    with CaptureQueriesContext(connection) as queries:
        response = dataverse.post("incidents", body, headers=REPRESENTATION)
    assert response.status_code == 201, response.content
    return response.json(), [query["sql"] for query in queries.captured_queries]


def test_the_org_row_is_written_once_after_every_row_of_the_deep_insert(dataverse):
    _, statements = deep_insert(dataverse)

    org_writes = [i for i, sql in enumerate(statements) if "UPDATE" in sql and '_org"' in sql]
    assert len(org_writes) == 1
    # What follows, up to the commit: reading the numbers back and writing them into the rows
    # (then the request is logged, outside the transaction).
    after = statements[org_writes[0] + 1 :]
    written = [sql for sql in after if "sandbox_requestlog" not in sql]
    assert not any(sql.startswith("INSERT") for sql in written)
    assert len([sql for sql in written if not sql.startswith(("COMMIT", "RELEASE"))]) == 2


def test_a_deep_insert_sets_no_savepoint_of_its_own(dataverse):
    deep_insert(dataverse)  # the org's first contact and queue are made
    _, statements = deep_insert(dataverse)

    # One savepoint: the request's own (the test's transaction encloses it); none per row.
    assert len([sql for sql in statements if sql.startswith("SAVEPOINT")]) == 1


def test_every_row_written_has_a_number_of_its_own(dataverse, org):
    first, _ = deep_insert(dataverse)
    second, _ = deep_insert(dataverse)

    assert int(second["ticketnumber"][4:9]) == int(first["ticketnumber"][4:9]) + 1
    versions = [row.change_version for row in provisioning.rows(org, "contact")]
    versions += [row.change_version for row in provisioning.rows(org, "incident")]
    assert 0 not in versions
    assert len(set(versions)) == len(versions)
    org.refresh_from_db()
    assert max(row.change_version for row in org.records.all()) == org.change_sequence

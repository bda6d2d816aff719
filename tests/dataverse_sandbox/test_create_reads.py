"""A deep insert reads what it needs once: not the rows it has just written, and the caller's
roles in one query."""

from __future__ import annotations

from tests.dataverse_sandbox.test_create_lock_span import deep_insert


def test_a_deep_insert_never_reads_back_the_case_it_wrote(dataverse):
    deep_insert(dataverse)  # the org's first contact and queue are made
    case, statements = deep_insert(dataverse)

    case_id = case["incidentid"]
    forms = (case_id, case_id.replace("-", ""))  # as PostgreSQL and SQLite hold it
    reads = [sql for sql in statements if sql.startswith("SELECT")]
    # Only the look-up of the queue items regarding it (objectid) names the case.
    naming_it = [sql for sql in reads if any(form in sql for form in forms)]
    assert len(naming_it) == 1
    assert "objectid" in naming_it[0]
    # The contact and the queue it is bound to, and the case's active queue item (none yet).
    assert len([sql for sql in reads if 'FROM "dataverse_sandbox_record"' in sql]) == 3


def test_the_callers_roles_are_read_once(dataverse):
    _, statements = deep_insert(dataverse)

    assert len([sql for sql in statements if "dataverse_sandbox_userrole" in sql]) == 1

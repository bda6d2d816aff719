"""What the settings pages may ask of a tenant's Dynamics org (they never call the client).

Reading the case table's columns for the field pickers, checking a changed default record, and
disconnecting (which also forgets the cached client and its token).
"""

from __future__ import annotations

from handoffs.dynamics.client import client_for, forget_client
from handoffs.dynamics.metadata import FALLBACK_PRIORITIES, TableMetadata, incident_metadata_for
from handoffs.errors import HandoffError
from handoffs.models import DynamicsConnection
from handoffs.verification.checklist import FAIL
from handoffs.verification.org import check_default_records

__all__ = ["FALLBACK_PRIORITIES", "TableMetadata", "case_columns", "default_records_problem"]


def case_columns(
    connection: DynamicsConnection, *, fresh: bool = False
) -> tuple[TableMetadata | None, HandoffError | None]:
    """The org's case table (columns, options, lookups), or the error that kept us from it."""
    try:
        return incident_metadata_for(connection, fresh=fresh), None
    except HandoffError as exc:
        return None, exc


def default_records_problem(connection: DynamicsConnection, candidate: DynamicsConnection) -> str:
    """Why the candidate's owner, queue, workstream or fallback cannot be used, or ''."""
    line = check_default_records(client_for(connection), candidate)[0]
    return f"{line.detail} {line.fix}" if line.status == FAIL else ""


def disconnect(connection: DynamicsConnection) -> None:
    """Delete the credentials and forget the cached client; history stays."""
    pk = connection.pk
    connection.delete()
    forget_client(pk)

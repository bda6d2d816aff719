"""Change tracking of a table: the first tracked query, then its next links and delta links.

The first GET carries `Prefer: odata.track-changes` and answers every row; its last page holds an
`@odata.deltaLink`, and a GET of that link answers only the rows changed since (removed rows as
`$deletedEntity` objects, or `@removed` in OData 4.01's spelling), then a new delta link.
Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
Pages: `Prefer: odata.maxpagesize`, the same value on every page, and `@odata.nextLink` as is.
Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/page-results
Formatted values (a status reason's label, an owner's name):
Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/select-columns
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError

API_ROOT = "/api/data/"  # any version: a link is followed as Dataverse wrote it
FORMATTED = "OData.Community.Display.V1.FormattedValue"
# At most 5,000 rows a page; smaller pages keep each poll's memory and time bounded.
PAGE_SIZE = 1000
DELETED = "/$deletedEntity"


@dataclass(frozen=True)
class ChangePage:
    """One answer of a tracked query: changed rows, removed ids, and where to go next."""

    rows: list[dict[str, Any]]
    removed: list[str]
    next_link: str = ""
    delta_link: str = ""


def _prefer(*, track: bool) -> str:
    wanted = [f"odata.maxpagesize={PAGE_SIZE}", f'odata.include-annotations="{FORMATTED}"']
    return ",".join((["odata.track-changes"] if track else []) + wanted)


def _own_link(api: DataverseApi, link: Any, what: str) -> str:
    """A next or delta link, only when it points back into this environment's Web API.

    The link is requested with the environment's token, so it must never lead elsewhere.
    """
    environment = urlsplit(api.environment_url.rstrip("/"))
    found = urlsplit(str(link or ""))
    same_host = (found.scheme, found.netloc.lower()) == (
        environment.scheme,
        environment.netloc.lower(),
    )
    if not (same_host and found.path.startswith(environment.path + API_ROOT)):
        raise HandoffError(
            "dataverse_unexpected_response",
            detail=f"The {what} does not point into this environment's Web API.",
        )
    return str(link)


def _removed_id(item: dict[str, Any]) -> str | None:
    """The id of a removed row ($deletedEntity in OData 4.0, @removed in 4.01), else None."""
    if str(item.get("@odata.context", "")).endswith(DELETED):
        return str(item.get("id") or "").strip("{}") or None
    if "@removed" in item:
        reference = str(item.get("@id") or item.get("id") or "")
        return reference.rsplit("(", 1)[-1].rstrip(")").strip("{}") or None
    return None


def _page(api: DataverseApi, data: dict[str, Any], key: str) -> ChangePage:
    values = data.get("value")
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise HandoffError(
            "dataverse_unexpected_response", detail="The tracked query answered without rows."
        )
    rows, removed = [], []
    for item in values:
        gone = _removed_id(item)
        if gone is not None:
            removed.append(gone)
        elif item.get(key):
            rows.append(item)
    next_link, delta_link = data.get("@odata.nextLink"), data.get("@odata.deltaLink")
    if bool(next_link) == bool(delta_link):
        raise HandoffError(
            "dataverse_unexpected_response",
            detail="A tracked query answered without exactly one of a next link or a delta link.",
        )
    if next_link:
        return ChangePage(rows, removed, next_link=_own_link(api, next_link, "next link"))
    return ChangePage(rows, removed, delta_link=_own_link(api, delta_link, "delta link"))


def first_page(api: DataverseApi, entity_set: str, select: str, key: str) -> ChangePage:
    """Start tracking `entity_set`: every row (first page), with formatted values."""
    data = api.get(entity_set, params={"$select": select}, headers={"Prefer": _prefer(track=True)})
    return _page(api, data, key)


def follow(api: DataverseApi, link: str, key: str) -> ChangePage:
    """The page a next link or a delta link leads to, with the same page size and values."""
    data = api.get(_own_link(api, link, "link"), headers={"Prefer": _prefer(track=False)})
    return _page(api, data, key)


def tracking_enabled(api: DataverseApi, table: str) -> bool:
    """EntityMetadata.ChangeTrackingEnabled of `table`."""
    # Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query-metadata-web-api
    data = api.get(
        f"EntityDefinitions(LogicalName='{table}')", params={"$select": "ChangeTrackingEnabled"}
    )
    enabled = data.get("ChangeTrackingEnabled")
    if not isinstance(enabled, bool):
        raise HandoffError(
            "dataverse_unexpected_response",
            detail="The table's definition answered without ChangeTrackingEnabled.",
        )
    return enabled

"""Change tracking: `Prefer: odata.track-changes`, pages of changes, delta links, expired tokens.

The first request (with the preference) answers every row, the last page carries an
`@odata.deltaLink`; a GET of that link answers the rows changed since, and the rows removed,
then a new delta link. Facts from Microsoft's page:
https://learn.microsoft.com/en-us/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
(delta link shape `$deltatoken=<version>!<time>`, removed rows as `$deletedEntity` objects with
`id` and `reason`, `$filter`/`$orderby`/`$expand`/`$top` refused, tokens kept 7 days by default).
Paging follows https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/page-results
(`odata.maxpagesize`, an `@odata.nextLink` whose `$skiptoken` is a paging cookie).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone

from dataverse_sandbox.errors import ApiError, odata_response
from dataverse_sandbox.models import Org, Record, RemovedRecord
from dataverse_sandbox.prefer import INCLUDE_ANNOTATIONS, PAGE_SIZE_LIMIT, TRACK_CHANGES
from dataverse_sandbox.query import parse_select, serialize
from dataverse_sandbox.schema import Table
from dataverse_sandbox.security import require

# Organization.ExpireChangeTrackingInDays defaults to 7 (the page above).
EXPIRE_DAYS = 7
UNSUPPORTED = ("$filter", "$orderby", "$expand", "$top")
TOKEN_TIME = "%m/%d/%Y %H:%M:%S"  # noqa: S105 - a date format, no secret
COOKIE = re.compile(r'pagenumber="(\d+)" pagingcookie="([^"]*)" istracking="True"')


@dataclass(frozen=True)
class Window:
    """Which changes a page answers: versions in (after, upto], removals only for a delta."""

    since: int | None  # the delta token's version; None for the first, full answer
    upto: int
    after: int
    page: int = 1

    @property
    def cookie(self) -> str:
        since = "" if self.since is None else str(self.since)
        paging = f"{since}!{self.upto}!{self.after}"
        return f'<cookie pagenumber="{self.page}" pagingcookie="{paging}" istracking="True" />'


def is_tracking(call) -> bool:
    """A first tracked request, a delta link, or a page of either."""
    params = call.request.GET
    skiptoken = params.get("$skiptoken", "")
    return (
        call.preferences.track_changes or "$deltatoken" in params or bool(COOKIE.search(skiptoken))
    )


def expired() -> ApiError:
    """ExpiredVersionStamp, code and message from the error catalogue; the status is inferred.

    Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/web-service-error-codes
    """
    return ApiError(
        400,
        "0x80044352",
        "Version stamp associated with the client has expired. Please perform a full sync.",
    )


def not_tracked(table: Table) -> ApiError:
    """ChangeTrackingNotEnabledForEntity (error catalogue; answers seen in the wild carry it).

    The status is inferred: the pages show the code and message only.
    """
    return ApiError(400, "0x80072491", f"Entity {table.logical} isn't enabled for change tracking.")


def _invalid_token(raw: str) -> ApiError:
    # Inferred wording: Microsoft's pages do not show the answer to a mangled token.
    return ApiError(
        400,
        "0x80040203",
        f"The delta token '{raw}' is not valid: use the @odata.deltaLink of an earlier answer "
        "unchanged.",
    )


def _refuse_unsupported(params) -> None:
    for option in UNSUPPORTED:
        if option in params:
            # Wording from the page above; the code is the one OData query errors carry.
            raise ApiError(
                400,
                "0x80060888",
                f'The "{option}" query parameter isn\'t supported when Change Tracking is enabled.',
            )


def token(version: int, issued: datetime) -> str:
    return f"{version}!{issued.astimezone(UTC):{TOKEN_TIME}}"


def _parse_token(raw: str) -> tuple[int, datetime]:
    version, _, issued = raw.partition("!")
    try:
        when = datetime.strptime(issued, TOKEN_TIME).replace(tzinfo=UTC)
        return int(version), when
    except ValueError:
        raise _invalid_token(raw) from None


def _check_alive(org: Org, version: int, issued: datetime | None = None) -> None:
    too_old = issued is not None and issued < timezone.now() - timedelta(days=EXPIRE_DAYS)
    if version < org.change_tracking_floor or too_old:
        raise expired()


def _window(org: Org, params) -> Window:
    cookie = COOKIE.search(params.get("$skiptoken", ""))
    if cookie:
        since, upto, after = (cookie.group(2).split("!") + ["", "", ""])[:3]
        try:
            window = Window(int(since) if since else None, int(upto), int(after))
        except ValueError:
            raise _invalid_token(params["$skiptoken"]) from None
        if window.since is not None:
            _check_alive(org, window.since)
        return replace(window, page=int(cookie.group(1)))
    if "$deltatoken" in params:
        version, issued = _parse_token(params["$deltatoken"])
        _check_alive(org, version, issued)
        return Window(version, _current(org), version)
    return Window(None, _current(org), -1)


def _current(org: Org) -> int:
    return Org.objects.values_list("change_sequence", flat=True).get(pk=org.pk)


def _changes(org: Org, table: Table, window: Window, limit: int) -> list[Record | RemovedRecord]:
    """Rows (and, for a delta, removals) changed in the window, oldest change first."""
    span = {
        "org": org,
        "entity": table.logical,
        "change_version__gt": window.after,
        "change_version__lte": window.upto,
    }
    found: list = list(Record.objects.filter(**span).order_by("change_version")[:limit])
    if window.since is not None:
        found += RemovedRecord.objects.filter(**span).order_by("change_version")[:limit]
    return sorted(found, key=lambda item: item.change_version)[:limit]


def _removed(call, table: Table, item: RemovedRecord) -> dict:
    return {
        "@odata.context": f"{call.api_base}/$metadata#{table.entity_set}/$deletedEntity",
        "id": str(item.record_id),
        "reason": "deleted",
    }


def _link(call, table: Table, name: str, value: str) -> str:
    query = []
    if call.request.GET.get("$select"):
        query.append(f"$select={call.request.GET['$select']}")
    query.append(f"{name}={quote(value, safe='=')}")
    return f"{call.api_base}/{table.entity_set}?{'&'.join(query)}"


def _applied(call) -> str:
    prefs = call.preferences
    applied = [TRACK_CHANGES] if prefs.track_changes else []
    if prefs.page_size:
        applied.append(f"odata.maxpagesize={prefs.page_size}")
    if prefs.wants_annotations:
        applied.append(f'{INCLUDE_ANNOTATIONS}="{prefs.values[INCLUDE_ANNOTATIONS]}"')
    return ",".join(applied)


def answer(call, table: Table) -> HttpResponse:
    """One page of a tracked query: rows, removals, and a next link or a delta link."""
    require(call.caller, "Read", table)
    if not table.change_tracking:
        raise not_tracked(table)
    params = call.request.GET
    _refuse_unsupported(params)
    select = parse_select(table, params)
    org = Org.objects.get(pk=call.caller.org.pk)
    window = _window(org, params)
    size = call.preferences.page_size or PAGE_SIZE_LIMIT
    found = _changes(org, table, window, size + 1)
    page = found[:size]
    columns = f"({','.join(select)})" if select else ""
    body: dict = {
        "@odata.context": f"{call.api_base}/$metadata#{table.entity_set}{columns}"
        + ("/$delta" if window.since is not None else ""),
        "value": [
            _removed(call, table, item)
            if isinstance(item, RemovedRecord)
            else serialize(table, item, select, annotate=call.preferences)
            for item in page
        ],
    }
    if len(found) > size:
        following = replace(window, after=page[-1].change_version, page=window.page + 1)
        body["@odata.nextLink"] = _link(call, table, "$skiptoken", following.cookie)
    else:
        body["@odata.deltaLink"] = _link(
            call, table, "$deltatoken", token(window.upto, timezone.now())
        )
    applied = _applied(call)
    return odata_response(200, body, {"Preference-Applied": applied} if applied else None)


def expire_tokens(org: Org) -> None:
    """Expire every delta token handed out so far (new ones stay valid)."""
    Org.objects.filter(pk=org.pk).update(change_sequence=F("change_sequence") + 1)
    Org.objects.filter(pk=org.pk).update(change_tracking_floor=F("change_sequence"))

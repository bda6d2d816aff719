"""Handoff history pages: list with summary, detail, retry, CSV export. Thin by design."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from handoffs import channels
from handoffs.lifecycle.replay import replay
from handoffs.models import HandoffSession, Membership
from settings_ui.access import tenant_view
from settings_ui.history import detail as detail_parts
from settings_ui.history.export import csv_lines
from settings_ui.history.filters import HistoryFilterForm, filtered_sessions
from settings_ui.history.pages import Cursor, link, page_of
from settings_ui.history.rows import history_rows
from settings_ui.history.summary import summarise

# The list and the export never need the (up to 1 MiB) payload, nor a resolution's text.
LIST_DEFERRED = ("payload", "case_resolution")


@require_GET
@tenant_view()
def session_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Newest handoffs first, filtered from the URL, with the summary of the chosen dates."""
    form = HistoryFilterForm(request.GET)
    sessions = filtered_sessions(request.tenant, form).defer(*LIST_DEFERRED)
    page = page_of(
        sessions,
        after=Cursor.decode(request.GET.get("after")),
        before=Cursor.decode(request.GET.get("before")),
    )
    start, end = form.summary_days()
    channel = channels.get(form.value("channel"))
    context = {
        "tenant": request.tenant,
        "form": form,
        "rows": history_rows(page.sessions),
        "page": page,
        "older_link": link(request.GET, after=page.older.encode()) if page.older else "",
        "newer_link": link(request.GET, before=page.newer.encode()) if page.newer else "",
        "first_link": link(request.GET),
        "list_query": request.GET.urlencode(),
        "summary": summarise(request.tenant, start, end, channel.code if channel else None),
        "summary_channel": channel.label if channel else None,
    }
    return render(request, "settings_ui/history/list.html", context)


@require_GET
@tenant_view()
def session_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One handoff: header, transcript, Dynamics references and the audit timeline."""
    session = get_object_or_404(HandoffSession, pk=pk, tenant=request.tenant)
    is_admin = request.membership.role == Membership.Role.ADMIN
    context = {
        "tenant": request.tenant,
        "session": session,
        **detail_parts.context(session),
        "can_retry": is_admin and session.status == HandoffSession.Status.FAILED,
        # Only a query string is carried, so the back link always stays on the list page.
        "from_query": request.GET.get("from", ""),
    }
    return render(request, "settings_ui/history/detail.html", context)


def back_to_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Redirect to the session page, keeping the list filters it was opened from."""
    url = reverse("settings_ui:history_detail", kwargs={"slug": slug, "pk": pk})
    from_query = request.POST.get("from", "")
    return redirect(f"{url}?{urlencode({'from': from_query})}" if from_query else url)


@require_POST
@tenant_view(admin=True)
def retry_session(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Replay a failed session (same record id, never a second record) and show the outcome."""
    session = get_object_or_404(HandoffSession, pk=pk, tenant=request.tenant)
    if not replay(session, actor=request.user.get_username()):
        messages.error(
            request,
            f"Only failed handoffs can be retried; this one is {session.get_status_display()}. "
            "Reload the page to see its current state.",
        )
        return back_to_detail(request, slug, pk)
    session.refresh_from_db()
    level, text = detail_parts.retry_outcome(session)
    messages.add_message(request, level, text)
    return back_to_detail(request, slug, pk)


@require_GET
@tenant_view()
def export_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The filtered list as CSV (all pages, newest first)."""
    form = HistoryFilterForm(request.GET)
    sessions = filtered_sessions(request.tenant, form).defer(*LIST_DEFERRED)
    filename = f"handoffs-{request.tenant.slug}-{timezone.now():%Y%m%d-%H%M}.csv"
    response = StreamingHttpResponse(csv_lines(sessions), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

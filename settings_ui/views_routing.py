"""Defaults and routing, and the ticket_properties editor (both checked against the org)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from handoffs import channels
from handoffs.models import DynamicsConnection
from handoffs.tenancy import org, ticket_properties
from handoffs.tenancy.org import FALLBACK_PRIORITIES, TableMetadata
from settings_ui.access import tenant_view
from settings_ui.forms_routing import DefaultsForm, TicketPropertiesForm

RECORD_FIELDS = (
    "default_owner_id",
    "default_queue_id",
    "default_workstream_id",
    "fallback_customer_type",
    "fallback_customer_id",
)


def _connection_or_redirect(request: HttpRequest, slug: str) -> DynamicsConnection | HttpResponse:
    connection = DynamicsConnection.objects.filter(tenant=request.tenant).first()
    if connection is None:
        messages.info(request, "Connect Dynamics 365 first: the defaults are checked against it.")
        return redirect("settings_ui:settings_connection", slug=slug)
    return connection


def _metadata(connection: DynamicsConnection, *, fresh: bool = False):
    """(metadata, None) or (None, error) when the org cannot be read right now."""
    return org.case_columns(connection, fresh=fresh)


def _records_problem(connection: DynamicsConnection, form: DefaultsForm) -> str:
    """Why a changed owner/queue/workstream/fallback cannot be used, or ''."""
    if not any(name in form.changed_data for name in RECORD_FIELDS):
        return ""
    return org.default_records_problem(connection, form.save(commit=False))


@require_http_methods(["GET", "POST"])
@tenant_view(admin=True)
def edit_defaults(request: HttpRequest, slug: str) -> HttpResponse:
    """Priority, owner, queue, workstream, chat target and customer fallback."""
    connection = _connection_or_redirect(request, slug)
    if isinstance(connection, HttpResponse):
        return connection
    table, error = _metadata(connection)
    priorities = table.priority_options() if table else dict(FALLBACK_PRIORITIES)
    form = DefaultsForm(request.POST or None, instance=connection, priorities=priorities)
    if request.method == "POST" and form.is_valid():
        problem = _records_problem(connection, form)
        if problem:
            form.add_error(None, f"Nothing was saved. {problem}")
        else:
            form.save()
            messages.success(request, "Defaults saved. Verify the connection to check them all.")
            return redirect("settings_ui:settings_defaults", slug=slug)
        connection.refresh_from_db()
    context = {
        "tenant": request.tenant,
        "form": form,
        "metadata_error": error,
        "section": "defaults",
    }
    return render(request, "settings_ui/settings/defaults.html", context)


def _properties_text(properties: dict) -> str:
    return json.dumps(properties, indent=2, ensure_ascii=False) if properties else ""


def _save_properties(
    connection: DynamicsConnection, form: TicketPropertiesForm
) -> TableMetadata | None:
    """Check the submitted mapping against fresh metadata; save it only when valid."""
    table, error = _metadata(connection, fresh=True)
    if table is None:
        form.add_error(
            "ticket_properties",
            f"Could not read the org's case columns, so nothing was saved. {error.message} "
            f"Fix: {error.hint}",
        )
        return None
    mapping, renamed = ticket_properties.translate(form.cleaned_data["ticket_properties"], table)
    problems = ticket_properties.validate(mapping, table)
    if problems:
        form.add_column_problems(problems)
        return table
    connection.ticket_properties = mapping
    connection.save(update_fields=["ticket_properties", "updated_at"])
    form.renamed = renamed
    return table


@require_http_methods(["GET", "POST"])
@tenant_view(admin=True)
def edit_ticket_properties(request: HttpRequest, slug: str) -> HttpResponse:
    """The JSON mapping of extra case columns, refused key by key while invalid."""
    connection = _connection_or_redirect(request, slug)
    if isinstance(connection, HttpResponse):
        return connection
    initial = {"ticket_properties": _properties_text(connection.ticket_properties)}
    form = TicketPropertiesForm(request.POST or None, initial=initial)
    table = None
    if request.method == "POST" and form.is_valid():
        table = _save_properties(connection, form)
        if not form.errors:
            for note in getattr(form, "renamed", []):
                messages.info(request, note)
            messages.success(request, "Ticket properties saved: new cases carry them.")
            return redirect("settings_ui:settings_ticket_properties", slug=slug)
    error = None
    if table is None:
        table, error = _metadata(connection)
    context = {
        "tenant": request.tenant,
        "form": form,
        "columns": ticket_properties.writable_columns(table) if table else [],
        "metadata_error": error,
        "section": "ticket_properties",
    }
    return render(request, "settings_ui/settings/ticket_properties.html", context)


@require_POST
@tenant_view(admin=True)
def chats_as_cases(request: HttpRequest, slug: str) -> HttpResponse:
    """The checklist's offer for orgs without Omnichannel: write chats as cases."""
    connection = _connection_or_redirect(request, slug)
    if isinstance(connection, HttpResponse):
        return connection
    connection.chat_target = DynamicsConnection.ChatTarget.INCIDENT
    connection.save(update_fields=["chat_target", "updated_at"])
    messages.success(
        request,
        f"{channels.chat_labels()} handoffs now become cases. Verify again to update the "
        "checklist.",
    )
    return redirect("settings_ui:settings_connection", slug=slug)

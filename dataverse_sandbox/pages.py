"""Read-only pages: what each sandbox org holds, so a person sees what "Dynamics" received."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from dataverse_sandbox.models import Org, Record
from dataverse_sandbox.schema import TABLES
from dataverse_sandbox.validation import parse_guid

HIDDEN = {"documentbody", "versionnumber"}
PAGE_SIZE = 50  # newest rows per section on an org's page


@dataclass
class Field:
    label: str
    value: object
    link: str = ""
    multiline: bool = False


def record_url(org: Org, entity: str, record_id: object) -> str:
    """The sandbox's main.aspx form link, built like Dynamics' own record URLs."""
    query = urlencode({"etn": entity, "pagetype": "entityrecord", "id": str(record_id)})
    return f"{reverse('dataverse_sandbox:record', args=[org.slug])}?{query}"


class Names(dict):
    """Primary names of looked-up rows, fetched on first use."""

    def __init__(self, org: Org) -> None:
        super().__init__()
        self.org = org

    def __missing__(self, record_id: str) -> str:
        record = Record.objects.filter(org=self.org, record_id=record_id).first()
        name = str(record_id)
        if record is not None:
            name = str(record.data.get(TABLES[record.entity].primary_name) or record_id)
        self[record_id] = name
        return name


def fields(org: Org, record: Record, names: Names) -> list[Field]:
    table = TABLES[record.entity]
    out = []
    for name, column in table.columns.items():
        value = record.data.get(name)
        if name in HIDDEN or name == table.pk or value in (None, ""):
            continue
        label = column.label or name
        if column.is_lookup:
            target = value["id"]
            link = record_url(org, value["entity"], target) if value["entity"] in TABLES else ""
            out.append(Field(label, names[target], link))
        elif column.options and not isinstance(value, str):
            out.append(Field(label, column.options.get(value, value)))
        elif column.type == "MultiSelectPicklist":
            labels = [column.options.get(int(v), v) for v in str(value).split(",")]
            out.append(Field(label, ", ".join(labels)))
        else:
            out.append(Field(label, value, multiline=column.type == "Memo"))
    return out


def _related(org: Org, record: Record) -> tuple[list[Record], list[Record]]:
    """Notes regarding the record and queue items holding it."""
    related = (
        Record.objects.filter(org=org, entity__in=("annotation", "queueitem"))
        .regarding(record.record_id)
        .order_by("created_at", "id")
    )
    notes = [r for r in related if r.entity == "annotation"]
    return notes, [r for r in related if r.entity == "queueitem"]


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "dataverse_sandbox/index.html", {"orgs": Org.objects.all()})


def org_home(request: HttpRequest, org: str) -> HttpResponse:
    """Cases (with description and notes), conversations, contacts and queues of one org."""
    sandbox_org = get_object_or_404(Org, slug=org)
    names = Names(sandbox_org)
    sections = []
    for entity, title in (
        ("incident", "Cases"),
        ("msdyn_ocliveworkitem", "Conversations"),
        ("contact", "Contacts"),
        ("queue", "Queues"),
    ):
        rows = Record.objects.filter(org=sandbox_org, entity=entity).order_by("-created_at", "-id")
        sections.append({
            "title": title, "entity": entity, "total": rows.count(),
            "rows": [_card(sandbox_org, row, names) for row in rows[:PAGE_SIZE]],
        })  # fmt: skip
    return render(
        request,
        "dataverse_sandbox/org.html",
        {"org": sandbox_org, "sections": sections, "omnichannel": sandbox_org.omnichannel},
    )


def _card(org: Org, record: Record, names: Names) -> dict:
    table = TABLES[record.entity]
    notes, items = _related(org, record)
    return {
        "record": record,
        "name": record.data.get(table.primary_name) or str(record.record_id),
        "url": record_url(org, record.entity, record.record_id),
        "fields": fields(org, record, names),
        "notes": [{"record": n, "fields": fields(org, n, names)} for n in notes],
        "queues": [names[i.data["queueid"]["id"]] for i in items],
    }


def record(request: HttpRequest, org: str) -> HttpResponse:
    """main.aspx?etn=<table>&pagetype=entityrecord&id=<guid>: one row, as a form would show it."""
    sandbox_org = get_object_or_404(Org, slug=org)
    entity = request.GET.get("etn", "")
    record_id = parse_guid(request.GET.get("id", "").strip())
    if entity not in TABLES or record_id is None:
        raise Http404("Use main.aspx?etn=<table>&pagetype=entityrecord&id=<guid>.")
    row = get_object_or_404(Record, org=sandbox_org, entity=entity, record_id=record_id)
    card = _card(sandbox_org, row, Names(sandbox_org))
    context = {"org": sandbox_org, "card": card, "table": TABLES[entity]}
    if entity == "incident":
        from dataverse_sandbox import case_pages  # it links back here: imported when needed

        context["case"] = case_pages.panel(sandbox_org, row)
    return render(request, "dataverse_sandbox/record.html", context)

"""Every checklist link and every handoff error code lands on a troubleshooting section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from handoffs.errors import CATALOGUE
from settings_ui.docs_render import render, slug

pytestmark = pytest.mark.django_db
CHECKLIST_ANCHORS = {
    "checklist-token",
    "checklist-application-user",
    "checklist-privileges",
    "checklist-omnichannel",
    "checklist-default-records",
    "checklist-ticket-properties",
    "checklist-secret-expiry",
    "checklist-schema",
    "checklist-live-chat-token",
    "checklist-live-chat-channel",
    "checklist-live-chat-workstream",
    "checklist-live-chat-record",
    "checklist-change-tracking",
}


def anchors(page: str) -> set[str]:
    text = (Path(settings.BASE_DIR) / "docs" / page).read_text()
    return {slug(m) for m in re.findall(r"^#{1,4}\s+(.*)$", text, re.MULTILINE)}


def test_it_has_a_troubleshooting_section_for_every_handoff_error_code():
    missing = {kind.anchor for kind in CATALOGUE.values()} - anchors("troubleshooting.md")

    assert not missing


def test_it_has_a_troubleshooting_section_for_every_checklist_line():
    import handoffs.verification

    folder = Path(handoffs.verification.__file__).parent
    sources = "".join(path.read_text() for path in folder.glob("*.py"))
    used = set(re.findall(r'"(checklist-[a-z-]+)"', sources))

    assert used <= CHECKLIST_ANCHORS <= anchors("troubleshooting.md")


def test_it_serves_the_docs_with_heading_anchors(admin_client_):
    page = admin_client_.get("/help/troubleshooting/").content.decode()

    assert '<h3 id="entra_invalid_secret"><code>entra_invalid_secret</code></h3>' in page
    assert '<h3 id="checklist-privileges">' in page
    assert 'href="../setup/"' in page


def test_it_renders_tables_code_and_links_between_pages():
    html = render("| a | b |\n|---|---|\n| `<b>` | [setup](setup.md#step-2) |\n")

    assert "<table>" in html
    assert "<code>&lt;b&gt;</code>" in html
    assert '<a href="../setup/#step-2">setup</a>' in html


def test_it_answers_404_for_an_unknown_help_page(admin_client_):
    assert admin_client_.get("/help/settings/").status_code == 404

"""The product's docs (docs/*.md) served in the app, so checklist links open the right section."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from settings_ui.docs_render import render as render_markdown

# Only these pages, by name: never a path taken from the URL.
PAGES = {
    "setup": "setup.md",
    "troubleshooting": "troubleshooting.md",
    "live-chat": "live-chat.md",
}


def docs_dir() -> Path:
    return Path(settings.BASE_DIR) / "docs"


@require_GET
@login_required
def help_page(request: HttpRequest, page: str) -> HttpResponse:
    """One docs page rendered as HTML."""
    filename = PAGES.get(page)
    if filename is None or not (docs_dir() / filename).is_file():
        raise Http404("No such help page.")
    text = (docs_dir() / filename).read_text(encoding="utf-8")
    return render(request, "settings_ui/settings/help.html", {"body": render_markdown(text)})

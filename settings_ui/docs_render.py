"""The product's own docs (docs/*.md) as HTML, with GitHub-style heading anchors.

The anchors match GitHub's, so a checklist line links to the same section in the app and in the
repository. The docs are files of this repository, never user input.
"""

from __future__ import annotations

import re

import markdown
from django.utils.safestring import SafeString, mark_safe

# Links between docs pages ("setup.md#x") point at the in-app page of the same name ("../setup/#x").
DOC_LINK = re.compile(r'href="([a-z0-9_-]+)\.md(#[^"]*)?"')


def slug(text: str, separator: str = "-") -> str:
    """GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", separator)


def render(text: str) -> SafeString:
    """Markdown (headings, lists, tables, fenced code, links) to HTML."""
    html = markdown.markdown(
        text,
        extensions=["tables", "fenced_code", "toc"],
        extension_configs={"toc": {"slugify": slug}},
        output_format="html",
    )
    html = DOC_LINK.sub(lambda m: f'href="../{m.group(1)}/{m.group(2) or ""}"', html)
    return mark_safe(html)  # noqa: S308 - built from the repository's own docs

"""The admin docs list exactly the navigation names and text limits the product falls back to."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from handoffs.dynamics import schema

SECTION = "## Names and limits the integration uses"
LOOKUP_ROW = re.compile(r"^\| `(\w+)` \| `(\w+)` → `(\w+)` \| `(\w+)` \|$", re.MULTILINE)
CHILD_ROW = re.compile(
    r"^\| `(\w+)` \| (?:transcript note|queue item) \(`(\w+)\.objectid`\) \| `(\w+)` \|$",
    re.MULTILINE,
)
LIMIT_ROW = re.compile(r"^\| `(\w+)` \| `(\w+)` \| ([\d,]+) \|$", re.MULTILINE)


def section() -> str:
    """The admin-facing section of docs/conversations.md, up to the next chapter."""
    text = (Path(settings.BASE_DIR) / "docs" / "conversations.md").read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return text[start:] if end == -1 else text[start:end]


def test_it_documents_every_navigation_property_the_product_binds():
    documented = {(t, c, target): nav for t, c, target, nav in LOOKUP_ROW.findall(section())}

    assert documented == {
        (table, column, target): nav
        for table, navigations in schema.DOCUMENTED_NAVIGATIONS.items()
        for (column, target), nav in navigations.items()
    }


def test_it_documents_the_collections_rows_are_deep_inserted_through():
    documented = {(child, parent): nav for parent, child, nav in CHILD_ROW.findall(section())}

    assert documented == {
        (child, parent): nav
        for (child, parent), nav in schema.DOCUMENTED_COLLECTIONS.items()
        if parent != schema.CONTACT
    }


def test_it_documents_every_text_limit_the_product_cuts_to():
    documented = {(t, c): int(n.replace(",", "")) for t, c, n in LIMIT_ROW.findall(section())}

    assert documented == {
        (table, column): limit
        for table, limits in schema.DOCUMENTED_MAX_LENGTHS.items()
        for column, limit in limits.items()
    }

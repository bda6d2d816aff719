"""A small Markdown-to-HTML renderer for the product's own docs (docs/*.md), shown in the app.

It covers what those files use: headings (with GitHub-style anchors, so checklist links land on
the right section), paragraphs, lists, fenced code, tables, inline code, bold and links.
Everything is escaped first; only the markup built here is trusted.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INLINE_CODE = re.compile(r"`([^`]+)`")
BOLD = re.compile(r"\*\*(.+?)\*\*")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
SAFE_LINK = re.compile(r"^(https?://|#|[a-z0-9_-]+(\.md)?(#[\w-]+)?$)", re.IGNORECASE)


def slug(text: str) -> str:
    """GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def _link(match: re.Match) -> str:
    label, target = match.group(1), match.group(2)
    if not SAFE_LINK.match(target):
        return label
    # Links between docs pages point at the in-app page of the same name.
    target = re.sub(r"^([a-z0-9_-]+)\.md", r"../\1/", target)
    return f'<a href="{target}">{label}</a>'


def inline(text: str) -> str:
    """Escape, then apply code spans, bold and links (code spans are left untouched)."""
    parts = INLINE_CODE.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(f"<code>{escape(part)}</code>")
        else:
            html = BOLD.sub(r"<strong>\1</strong>", escape(part))
            out.append(LINK.sub(_link, html))
    return "".join(out)


def _table(rows: list[str]) -> str:
    cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
    head, body = cells[0], [r for r in cells[2:]]
    html = "<table><thead><tr>" + "".join(f"<th>{inline(c)}</th>" for c in head) + "</tr></thead>"
    html += "<tbody>" + "".join(
        "<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>" for row in body
    )
    return html + "</tbody></table>"


def render(markdown: str) -> SafeString:
    """The HTML of a docs page."""
    html: list[str] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            end = next(
                (j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines)
            )
            html.append("<pre><code>" + escape("\n".join(lines[i + 1 : end])) + "</code></pre>")
            i = end + 1
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            level, text = len(heading.group(1)), heading.group(2)
            html.append(f'<h{level} id="{slug(text)}">{inline(text)}</h{level}>')
            i += 1
            continue
        block, i = _block(lines, i)
        html.append(block)
    return mark_safe("\n".join(h for h in html if h))  # noqa: S308 - built from escaped text


def _block(lines: list[str], i: int) -> tuple[str, int]:
    """A list, a table or a paragraph starting at line i; returns (html, next line)."""
    if not lines[i].strip():
        return "", i + 1
    kinds = (
        (r"^\s*[-*]\s+", "ul"),
        (r"^\s*\d+\.\s+", "ol"),
    )
    for pattern, tag in kinds:
        if re.match(pattern, lines[i]):
            items: list[str] = []
            while i < len(lines) and lines[i].strip():
                if re.match(pattern, lines[i]):
                    items.append(re.sub(pattern, "", lines[i]))
                elif items:
                    items[-1] += " " + lines[i].strip()
                i += 1
            return f"<{tag}>" + "".join(f"<li>{inline(t)}</li>" for t in items) + f"</{tag}>", i
    if lines[i].startswith("|"):
        rows = []
        while i < len(lines) and lines[i].startswith("|"):
            rows.append(lines[i])
            i += 1
        return _table(rows), i
    text = [lines[i].strip()]
    i += 1
    while (
        i < len(lines)
        and lines[i].strip()
        and not re.match(r"^(#|```|\||\s*[-*]\s|\s*\d+\.\s)", lines[i])
    ):
        text.append(lines[i].strip())
        i += 1
    return f"<p>{inline(' '.join(text))}</p>", i

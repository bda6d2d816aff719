"""The Prefer header: several preferences, comma-separated, values optionally quoted (RFC 7240).

Dataverse reads odata.track-changes, odata.maxpagesize and odata.include-annotations from it.
Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
"""

from __future__ import annotations

from dataclasses import dataclass, field

TRACK_CHANGES = "odata.track-changes"
MAX_PAGE_SIZE = "odata.maxpagesize"
INCLUDE_ANNOTATIONS = "odata.include-annotations"
# "You can't request a page size larger than 5,000", and 5,000 is what comes without asking.
# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/page-results
PAGE_SIZE_LIMIT = 5000


def _split(header: str) -> list[str]:
    """Split on commas outside double quotes (an annotation list is quoted and has commas)."""
    parts, current, quoted = [], [], False
    for char in header:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


@dataclass(frozen=True)
class Preferences:
    """What a request's Prefer header asks for."""

    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, header: str) -> Preferences:
        values = {}
        for part in _split(header or ""):
            name, _, value = part.partition("=")
            values[name.strip().lower()] = value.strip().strip('"')
        return cls(values)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    @property
    def track_changes(self) -> bool:
        return TRACK_CHANGES in self.values

    @property
    def page_size(self) -> int | None:
        """odata.maxpagesize when it is a positive number (capped at the service's limit)."""
        raw = self.values.get(MAX_PAGE_SIZE, "")
        return min(int(raw), PAGE_SIZE_LIMIT) if raw.isdigit() and int(raw) > 0 else None

    def annotation_wanted(self, term: str) -> bool:
        """Whether odata.include-annotations asks for `term` ("*" and "Namespace.*" included)."""
        raw = self.values.get(INCLUDE_ANNOTATIONS)
        if raw is None:
            return False
        for pattern in (p.strip() for p in raw.split(",")):
            if pattern == "*" or pattern == term:
                return True
            if pattern.endswith(".*") and term.startswith(pattern[:-1]):
                return True
        return False

    @property
    def wants_annotations(self) -> bool:
        return INCLUDE_ANNOTATIONS in self.values

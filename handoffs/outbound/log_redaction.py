"""Log lines about outbound requests keep parameter names and lose their values.

urllib3 logs every request line at DEBUG, query string included: a callback URL's query may
carry the receiver's token and a Dataverse `$filter` carries a customer's email address.
"""

from __future__ import annotations

import logging
import re

QUERY = re.compile(r"\?([^\s\"']+)")


def redact_query(text: str) -> str:
    """The text with every query string's values replaced by '…'."""

    def names_only(match: re.Match[str]) -> str:
        return "?" + "&".join(part.split("=", 1)[0] + "=…" for part in match.group(1).split("&"))

    return QUERY.sub(names_only, text)


class RedactQueryStrings(logging.Filter):
    """A handler filter that strips query values from urllib3's request lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("urllib3"):
            record.msg = redact_query(record.getMessage())
            record.args = ()
        return True

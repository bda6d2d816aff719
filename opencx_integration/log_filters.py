"""Log lines hold what the service was sent; control characters in it are escaped, not obeyed.

A session id, a path or an error message from outside may carry a line feed (a forged log line
follows it) or an ANSI escape sequence (it repaints the operator's terminal). The filter rewrites
each record's message, arguments merged, so every record stays one line of plain text; exception
messages in tracebacks are escaped the same way.
"""

from __future__ import annotations

import logging
import re
import traceback

# C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
READABLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """The text with each control character spelled as a backslash escape."""
    return CONTROL.sub(lambda m: READABLE.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def _escaped_traceback(exc_info: tuple) -> str:
    """The formatted traceback with line breaks inside exception messages escaped."""
    text = "".join(traceback.format_exception(*exc_info)).rstrip("\n")
    seen: set[int] = set()
    exc = exc_info[1]
    while exc is not None and id(exc) not in seen:  # the exception and those it chains
        seen.add(id(exc))
        message = "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")
        text = text.replace(message, escape_controls(message))
        exc = exc.__cause__ or exc.__context__
    # Line feeds between traceback lines stay; any other control character is spelled out.
    return CONTROL.sub(lambda m: "\n" if m.group() == "\n" else escape_controls(m.group()), text)


class EscapeControlCharacters(logging.Filter):
    """A handler filter that keeps every record on one line, free of terminal escapes."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it, as without the filter
            return True
        escaped = escape_controls(message)
        if escaped != message:
            record.msg, record.args = escaped, ()
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = _escaped_traceback(record.exc_info)
        return True

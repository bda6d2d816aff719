"""Whatever reaches a log line is escaped: one record is one line, no terminal escapes run."""

from __future__ import annotations

import io
import logging

import pytest


@pytest.fixture
def console():
    """The configured console handler (settings.LOGGING), writing into a buffer."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


# The web app's, the task worker's (django-q) and Django's own request log lines.
@pytest.mark.parametrize("logger", ["handoffs.lifecycle.attempt", "django-q", "django.request"])
def test_it_keeps_a_record_with_a_forged_line_on_one_line(console, logger):
    session_id = "sess-1\n2026-11-23 14:00:00,000 INFO handoffs handoff sess-2 done"

    logging.getLogger(logger).warning("handoff %s failed", session_id)

    assert console.getvalue().count("\n") == 1
    assert "sess-1\\n2026-11-23" in console.getvalue()


def test_it_spells_out_terminal_escapes_and_separators(console):
    logging.getLogger("handoffs.test").warning("id %s", "a\x1b[2Jb\rc\u2028d\x85e")

    line = console.getvalue()
    assert "\x1b" not in line and "\r" not in line and "\u2028" not in line
    assert "a\\u001b[2Jb\\rc\\u2028d\\u0085e" in line


def test_it_escapes_line_breaks_inside_an_exception_message(console):
    try:
        raise ValueError("bad id sess-1\nCRITICAL forged line")
    except ValueError:
        logging.getLogger("handoffs.test").exception("handoff stopped")

    lines = console.getvalue().splitlines()
    assert not any(line.startswith("CRITICAL") for line in lines)
    assert lines[-1] == "ValueError: bad id sess-1\\nCRITICAL forged line"
    assert lines[1] == "Traceback (most recent call last):"


def test_it_leaves_plain_records_as_they_are(console):
    logging.getLogger("handoffs.test").warning("handoff %s of %s done", 12, "Zoë")

    assert console.getvalue().endswith("handoff 12 of Zoë done\n")

"""The case updates poll interval is 30 or 60 seconds; anything else stops with the fix."""

from __future__ import annotations

from tests.test_settings_modes import manage


def test_it_refuses_a_poll_interval_the_scheduler_cannot_keep():
    result = manage("check", DEBUG="true", CASE_UPDATES_POLL_SECONDS="10")

    assert result.returncode != 0
    assert "CASE_UPDATES_POLL_SECONDS=10: set it to 30 or 60 (seconds)." in result.stderr

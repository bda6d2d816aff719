"""Small text helpers shared by the history pages and the export."""

from __future__ import annotations


def human_duration(seconds: float | None) -> str:
    """A duration as a person reads it: 850 ms, 4.2 s, 3 min 5 s, 2 h 4 min; "—" when unknown."""
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"

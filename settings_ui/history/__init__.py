"""Handoff history pages: list, filters, summary, detail, retry and CSV export."""

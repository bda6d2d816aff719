from __future__ import annotations

from tests.browser import browser, page  # noqa: F401

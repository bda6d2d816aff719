"""The pages a lead and an admin use fit a phone screen (390 px) without sideways scrolling."""

from __future__ import annotations

import pytest

from tests.browser import sign_in
from tests.e2e.test_history_browser import PASSWORD, connected_tenant, hand_off, member

PHONE = {"width": 390, "height": 844}
# How far the page scrolls sideways (tables may scroll inside their own box instead).
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# Form fields that stick out of the card holding them.
FIELDS_OUTSIDE_CARD = """() => [...document.querySelectorAll('.card input, .card select')]
    .filter(el => el.getBoundingClientRect().right
                  > el.closest('.card').getBoundingClientRect().right)
    .map(el => el.name)"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_fits_the_overview_history_session_and_record_pages_on_a_phone(page, live_server):
    tenant, _ = connected_tenant(live_server.url, "acme")
    member(tenant, "lena", "lead")
    session = hand_off(tenant, "phone", "sess-phone-1")
    page.set_viewport_size(PHONE)
    sign_in(page, "lena", PASSWORD)

    for path in ["/t/acme/", "/t/acme/sessions/", f"/t/acme/sessions/{session.pk}/"]:
        page.goto(path)
        assert page.evaluate(OVERFLOW) <= 0, path
        assert page.evaluate(FIELDS_OUTSIDE_CARD) == [], path

    page.goto(session.record_url)
    assert "Billing - Maria Keller" in page.content()
    assert page.evaluate(OVERFLOW) <= 0

"""A person opens the workspace in Chromium, accepts a chat, replies and sees the thread."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def test_it_accepts_replies_and_shows_the_thread(page, messaging, receiver):
    chat = messaging.create(
        "sess-b", startmessage={"message": "Bot: hi there", "displayname": "OpenCX"}
    )["conversationId"]
    messaging.say(chat, "I need a human")

    page.goto("/sandbox/contoso/workspace/")
    page.get_by_role("button", name="Accept").click()
    page.wait_for_url(f"**/workspace/{chat}/#reply")
    page.fill("#reply-text", "Hello, Avery here")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state()
    messaging.say(chat, "Thanks!")
    page.reload()

    thread = page.inner_text(".thread")
    assert thread.index("I need a human") < thread.index("Hello, Avery here")
    assert thread.index("Hello, Avery here") < thread.index("Thanks!")
    assert "Bot: hi there" in page.inner_text("main")
    assert [b.get("name") or b.get("text") for b in receiver.bodies()] == [
        "AgentAccepted",
        "Hello, Avery here",
    ]


def test_it_fits_a_phone_screen(page, messaging):
    chat = messaging.create("sess-p", conversationcontext={"channel": "sms"})["conversationId"]
    messaging.say(chat, "x" * 300)
    page.set_viewport_size(PHONE)

    for path in ("/sandbox/contoso/workspace/", f"/sandbox/contoso/workspace/{chat}/"):
        page.goto(path)
        assert page.evaluate(OVERFLOW) <= 0, path

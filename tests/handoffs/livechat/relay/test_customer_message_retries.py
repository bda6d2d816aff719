"""While the Messaging API is down or throttling, customer messages wait and retry: never
reordered, never dropped, never sent twice."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from handoffs.models import CustomerMessage
from handoffs.tasks import send_customer_messages


def make_due(session) -> None:
    """The scheduled retry's moment has come (the worker would run it then)."""
    CustomerMessage.objects.filter(session=session, next_attempt_at__isnull=False).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_it_waits_as_long_as_retry_after_says_and_keeps_the_order(customer, chat, api):
    api.refuses(429, **{"Retry-After": "7"})
    api.takes(2)
    customer.says("m1", "first")
    customer.says("m2", "second")
    before = timezone.now()

    assert send_customer_messages(chat.pk) == 0
    waiting = CustomerMessage.objects.get(message_id="m1")
    assert waiting.next_attempt_at >= before + timedelta(seconds=7)
    assert waiting.last_error_code == "messaging_rate_limited"
    assert send_customer_messages(chat.pk) == 0  # not due yet: nothing is sent, m2 waits too
    make_due(chat)

    assert send_customer_messages(chat.pk) == 2
    assert [a["text"] for a in api.sent()] == ["first", "first", "second"]


def test_it_delivers_everything_in_order_once_the_api_is_back(customer, chat, api):
    for _ in range(4):
        api.refuses(503)
    api.takes(5)
    for n in range(1, 6):
        customer.says(f"m{n}", f"part {n}")

    for _ in range(10):  # the worker's scheduled retries
        send_customer_messages(chat.pk)
        make_due(chat)

    attempted = [a["text"] for a in api.sent()]
    assert attempted == ["part 1"] * 5 + ["part 2", "part 3", "part 4", "part 5"]
    messages = CustomerMessage.objects.order_by("sequence")
    assert [m.delivered_at is not None for m in messages] == [True] * 5
    assert [m.attempts for m in messages] == [5, 1, 1, 1, 1]


def test_it_gives_up_only_the_message_the_api_refuses_as_invalid(customer, chat, api):
    api.refuses(400, 30012)
    api.takes()
    customer.says("m1", "refused")
    customer.says("m2", "fine")

    send_customer_messages(chat.pk)

    refused, fine = CustomerMessage.objects.order_by("sequence")
    assert refused.given_up_at and refused.last_error_code == "messaging_bad_request"
    assert "x-ms-correlation-id" in refused.last_error_message
    assert fine.delivered_at is not None


def test_it_gives_up_a_message_older_than_the_maximum_age(customer, chat, api, settings):
    settings.LIVE_CHAT_MESSAGE_MAX_AGE_HOURS = 1
    customer.says("m1", "too late")
    CustomerMessage.objects.update(received_at=timezone.now() - timedelta(hours=2))

    send_customer_messages(chat.pk)

    message = CustomerMessage.objects.get()
    assert message.given_up_at and message.last_error_code == "live_chat_message_expired"
    assert api.sent() == []


def test_it_skips_a_typing_signal_that_went_stale_while_waiting(customer, chat, api):
    api.takes()
    customer.post({"message_id": "t1", "type": "typing"})
    customer.says("m1", "here")
    CustomerMessage.objects.filter(message_id="t1").update(
        received_at=timezone.now() - timedelta(minutes=1)
    )

    send_customer_messages(chat.pk)

    assert [a["type"] for a in api.sent()] == ["message"]


def test_it_leaves_a_message_to_the_sender_holding_its_lease(customer, chat, api):
    api.takes()
    customer.says("m1", "hello")
    CustomerMessage.objects.update(sending_until=timezone.now() + timedelta(minutes=1))

    assert send_customer_messages(chat.pk) == 0
    CustomerMessage.objects.update(sending_until=timezone.now() - timedelta(seconds=1))

    assert send_customer_messages(chat.pk) == 1  # a crashed sender's lease ran out
    assert [a["text"] for a in api.sent()] == ["hello"]

"""manage.py sandbox_rep: accept, reply, end and show a chat by its session id."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from dataverse_sandbox.messaging.models import Conversation


def rep(*args: str) -> str:
    out = io.StringIO()
    call_command("sandbox_rep", "contoso", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def chat(messaging) -> str:
    created = messaging.create(
        "sess-7", startmessage={"message": "AI transcript", "displayname": "OpenCX"}
    )
    messaging.say(created["conversationId"], "Anyone there?")
    return created["conversationId"]


@pytest.mark.django_db(transaction=True)
def test_it_accepts_replies_and_ends_a_chat_by_session_id(chat, receiver):
    accepted = rep("--accept", "sess-7")
    rep("--say", "sess-7", "Hello, I am Avery")
    rep("--end", "sess-7")

    assert "webhook AgentAccepted: delivered after 1 attempt(s), last 200" in accepted
    assert [b.get("name") or b.get("text") for b in receiver.bodies()] == [
        "AgentAccepted", "Hello, I am Avery", "AgentClosed",
    ]  # fmt: skip
    assert Conversation.objects.get(id=chat).state == Conversation.WRAPUP


@pytest.mark.django_db(transaction=True)
def test_it_shows_the_messages_as_json_oldest_first(chat):
    rep("--accept", "sess-7", "--say", "sess-7", "Hello")

    shown = json.loads(rep("--show", "sess-7"))

    assert [(m["sender"], m["text"]) for m in shown] == [
        ("start", "AI transcript"), ("customer", "Anyone there?"), ("rep", "Hello"),
    ]  # fmt: skip
    assert shown[0]["name"] == "OpenCX"
    assert shown[2]["name"] == "Avery Agent"
    assert all(m["timestamp"].endswith("+00:00") for m in shown)


def test_it_fails_clearly_for_an_unknown_org(db):
    with pytest.raises(CommandError, match="No sandbox org 'nowhere'"):
        call_command("sandbox_rep", "nowhere", "--show", "s1")


def test_it_fails_clearly_for_an_unknown_session(messaging):
    with pytest.raises(CommandError, match="No conversation for session 'missing'"):
        rep("--show", "missing")


def test_it_refuses_to_reply_before_accepting(chat):
    with pytest.raises(CommandError, match="is waiting; this needs it active"):
        rep("--say", "sess-7", "too early")


def test_it_asks_what_to_do_without_an_action(messaging):
    with pytest.raises(CommandError, match="--accept"):
        rep()

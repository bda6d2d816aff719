"""Every event name Microsoft lists (and its samples use) maps to one documented decision."""

from __future__ import annotations

import pytest

from handoffs.livechat.relay.mapping import Chat, decide

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-webhook
# name → (OpenCX events from an active chat with rep "Avery", state after).
ACTIVE = Chat("active", "Avery")
EXPECTED = {
    "AgentAccepted": ((), "active"),
    "AgentAssigned": ((), "active"),
    "AgentJoinedCustomerConversation": ((), "active"),
    "TransferAgentAcceptSession": (("agent.joined",), "active"),
    "TransferToAgentInitiated": (("conversation.transferred",), "waiting"),
    "TransferToQueueInitiated": (("conversation.transferred",), "waiting"),
    "TransferToAgentFailed": ((), "active"),
    "TransferToQueueFailed": ((), "active"),
    "TransferAgentRejectSession": ((), "active"),
    "TransferAgentTimedOutSession": ((), "active"),
    "AgentEndSession": (("conversation.ended",), "ended"),
    "AgentClosed": (("conversation.ended",), "ended"),
    "PrimaryAgentEndConversation": (("conversation.ended",), "ended"),
    "ConversationClose": (("conversation.ended",), "ended"),
    "ConversationClosed": (("conversation.ended",), "ended"),
    "SupervisorForceClosedConversation": (("conversation.ended",), "ended"),
    "CustomerDisconnected": (("conversation.ended",), "ended"),
    "CustomerDisconnectedAgentWaiting": ((), "active"),
    "AgentDisconnected": ((), "active"),
    "AgentStartSecondaryChannel": ((), "active"),
    "AgentRaiseSecondaryChannel": ((), "active"),
    "AgentEndSecondaryChannel": ((), "active"),
    "ConsultAgentInitiated": ((), "active"),
    "ConsultAgentFailed": ((), "active"),
    "ConsultAgentAcceptSession": ((), "active"),
    "ConsultAgentEndSession": ((), "active"),
    "ConsultAgentRejectSession": ((), "active"),
    "ConsultAgentSessionTimedOut": ((), "active"),
    "ConsultAgentRemoved": ((), "active"),
    "ConsultAgentLeftPublicConversation": ((), "active"),
    "AgentEndedConsult": ((), "active"),
    "OutOfOperatingHoursDueToNonWorkingHours": ((), "active"),
    "OutOfOperatingHoursDueToHoliday": ((), "active"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_decides_each_documented_event_of_an_active_chat(name):
    decision = decide(ACTIVE, {"type": "event", "name": name})

    assert (tuple(a.name for a in decision.announcements), decision.chat.state) == EXPECTED[name]
    assert decision.outcome  # every activity says what became of it


@pytest.mark.parametrize(
    "name", ["AgentAccepted", "AgentAssigned", "AgentJoinedCustomerConversation"]
)
def test_it_announces_the_first_rep_of_a_waiting_chat(name):
    decision = decide(Chat("waiting", ""), {"type": "event", "name": name})

    assert [a.name for a in decision.announcements] == ["agent.joined"]
    assert decision.chat == Chat("active", "")


def test_it_keeps_the_rep_when_a_transfer_fails_after_it_was_initiated():
    moved = decide(ACTIVE, {"type": "event", "name": "TransferToQueueInitiated"}).chat

    back = decide(moved, {"type": "event", "name": "TransferToQueueFailed"})

    assert back.chat == ACTIVE
    assert back.announcements == ()


def test_it_relays_nothing_but_late_messages_once_the_chat_ended():
    ended = Chat("ended", "Avery")

    assert decide(ended, {"type": "typing"}).announcements == ()
    assert decide(ended, {"type": "event", "name": "ConversationClose"}).announcements == ()
    late = decide(ended, {"type": "message", "text": "one last thing", "from_name": "Avery"})
    assert [a.name for a in late.announcements] == ["agent.message"]


def test_it_says_why_an_empty_message_is_not_sent():
    decision = decide(ACTIVE, {"type": "message", "from_name": "Avery"})

    assert decision.outcome == "not sent: an empty message"

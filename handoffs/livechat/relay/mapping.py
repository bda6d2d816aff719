"""Which OpenCX event a rep's activity becomes, and how the chat's state moves (pure).

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-webhook
The page lists 31 event names without saying what each means; its samples add AgentClosed and
ConversationClosed. The groups below read each name the way the rest of Omnichannel uses it
(inferred, see docs/live-chat.md, "Which events OpenCX hears"):
- a rep takes the chat: AgentAccepted, AgentAssigned, AgentJoinedCustomerConversation →
  agent.joined once, state active; TransferAgentAcceptSession (another rep took over a
  transferred chat) → agent.joined again;
- the chat goes to another rep or queue: TransferToAgentInitiated, TransferToQueueInitiated →
  conversation.transferred, state waiting until a rep takes it; a failed transfer leaves it with
  the same rep (state active, nothing sent);
- the chat is over: AgentEndSession, AgentClosed, PrimaryAgentEndConversation,
  ConversationClose, ConversationClosed, SupervisorForceClosedConversation,
  CustomerDisconnected → conversation.ended, once;
- consults, secondary channels, disconnections a rep recovers from and operating-hours notices
  change nothing the customer sees: recorded on the session, not sent.
A rep's message is agent.message (an agent.joined first if no rep had joined yet: the accept
activity was lost); typing is agent.typing while the chat is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handoffs.livechat.relay import events

WAITING, ACTIVE, ENDED = "waiting", "active", "ended"

JOIN = frozenset({"AgentAccepted", "AgentAssigned", "AgentJoinedCustomerConversation"})
NEW_REP = frozenset({"TransferAgentAcceptSession"})
TRANSFER = frozenset({"TransferToAgentInitiated", "TransferToQueueInitiated"})
TRANSFER_FAILED = frozenset({"TransferToAgentFailed", "TransferToQueueFailed"})
END = frozenset(
    {"AgentEndSession", "AgentClosed", "PrimaryAgentEndConversation", "ConversationClose",
     "ConversationClosed", "SupervisorForceClosedConversation", "CustomerDisconnected"}
)  # fmt: skip


@dataclass(frozen=True)
class Chat:
    """The live-chat state a decision starts from."""

    state: str
    agent: str


@dataclass(frozen=True)
class Announcement:
    """One OpenCX event to send."""

    name: str
    agent: str = ""
    text: str = ""
    attachments: tuple[dict[str, str], ...] = ()
    dynamics_event: str = ""


@dataclass(frozen=True)
class Decision:
    """What an activity does: the events to send (in order), the state after, or why nothing."""

    chat: Chat
    announcements: tuple[Announcement, ...] = ()
    note: str = ""

    @property
    def outcome(self) -> str:
        """The events sent, or why none was (kept on the activity and shown on the page)."""
        sent = ", ".join(a.name for a in self.announcements)
        return sent or f"not sent: {self.note}"


def _joined(chat: Chat, name: str, agent: str) -> Decision:
    if chat.state == ENDED:
        return Decision(chat, note="the chat had already ended")
    new_rep = name in NEW_REP
    if chat.state == ACTIVE and not new_rep:
        return Decision(chat, note="a rep had already joined")
    # Microsoft's accept sample names no sender: the rep's name comes with their first message.
    rep = agent or ("" if new_rep else chat.agent)
    joined = Announcement(events.JOINED, rep, dynamics_event=name)
    return Decision(Chat(ACTIVE, rep), (joined,))


def _event(chat: Chat, name: str, agent: str) -> Decision:
    if name in JOIN or name in NEW_REP:
        return _joined(chat, name, agent)
    if name in TRANSFER:
        if chat.state == ENDED:
            return Decision(chat, note="the chat had already ended")
        moved = Announcement(events.TRANSFERRED, chat.agent, dynamics_event=name)
        return Decision(Chat(WAITING, chat.agent), (moved,))
    if name in TRANSFER_FAILED:
        back = Chat(ACTIVE if chat.state == WAITING and chat.agent else chat.state, chat.agent)
        return Decision(back, note="the transfer failed; the same rep keeps the chat")
    if name in END:
        if chat.state == ENDED:
            return Decision(chat, note="the chat had already ended")
        ended = Announcement(events.ENDED, agent or chat.agent, dynamics_event=name)
        return Decision(Chat(ENDED, chat.agent), (ended,))
    return Decision(chat, note=f"{name or 'an unnamed event'} changes nothing OpenCX hears about")


def _message(chat: Chat, activity: dict[str, Any]) -> Decision:
    text = activity.get("text", "")
    attachments = tuple(activity.get("attachments", ()))
    if not text.strip() and not attachments:
        return Decision(chat, note="an empty message")
    agent = activity.get("from_name") or chat.agent
    said = Announcement(events.MESSAGE, agent, text, attachments)
    if chat.state == WAITING:
        joined = Announcement(events.JOINED, agent, dynamics_event="")
        return Decision(Chat(ACTIVE, agent), (joined, said))
    return Decision(Chat(chat.state, agent), (said,))


def decide(chat: Chat, activity: dict[str, Any]) -> Decision:
    """The decision for one normalised activity (handoffs.livechat.activities.normalised)."""
    kind = activity.get("type", "")
    if kind == "event":
        return _event(chat, activity.get("name", ""), activity.get("from_name", ""))
    if kind == "message":
        return _message(chat, activity)
    if kind == "typing":
        if chat.state == ENDED:
            return Decision(chat, note="typing after the chat ended")
        return Decision(chat, (Announcement(events.TYPING, chat.agent),))
    return Decision(chat, note=f"activity type {kind or 'missing'!r} is not relayed")

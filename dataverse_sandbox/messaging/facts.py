"""What Microsoft defines for the Messaging API: limits, error codes, event names, values.

Each fact names the Learn page it comes from; where the pages leave a gap, the comment says
what the sandbox inferred. Pages are under
https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/
"""

from __future__ import annotations

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/configure-custom-messaging-channel
# msdyn_occustomchannelid's value for "Messaging API".
MESSAGING_API_CHANNEL = 192350005
# Same page: the token scope is https://{org id without dashes}-c.{zone}.dynamics.com/.default;
# "crm" (North America) is taken as the zone of every sandbox org (inferred: it has no region).
SANDBOX_ZONE = "crm"

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-create
# Every customercontext field is at most 200 characters; up to 100 context variables (30010).
CUSTOMER_FIELDS = ("customerid", "firstname", "lastname", "preferredname", "email", "phonenumber")
CUSTOMER_FIELD_MAX = 200
CONTEXT_MAX = 100
# Same page: startmessage is "27 Kb" where every other limit there says "chars", so the sandbox
# counts UTF-8 bytes, 27 × 1024 (inferred).
START_MESSAGE_MAX_BYTES = 27 * 1024

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-endpoint
# text ≤ 6,000 characters; type, from.id, from.name, attachment contentType and name ≤ 256;
# "MessageRead" is the reserved read-receipt event; "messagingapi-oc" marks automated messages.
TEXT_MAX = 6000
SHORT_MAX = 256
ACTIVITY_TYPES = ("message", "typing", "endOfConversation", "event")
READ_EVENT = "MessageRead"
AUTOMATED_KEY = "messagingapi-oc"

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation
# and …/api/api-conversation-messages: default and largest page sizes.
CONVERSATIONS_PAGE_DEFAULT, CONVERSATIONS_PAGE_MAX = 50, 250
MESSAGES_PAGE_DEFAULT, MESSAGES_PAGE_MAX = 50, 100

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/error-handling
# code: (HTTP status, message).
ERRORS: dict[int, tuple[int, str]] = {
    30001: (400, "The provided organization ID isn't valid."),
    30002: (400, "The provided channel ID isn't valid."),
    30003: (400, "The requested operation is invalid or not supported."),
    30004: (404, "The specified channel configuration doesn't exist."),
    30005: (400, "The provided conversation ID isn't valid."),
    30006: (400, "The provided timestamp isn't valid."),
    30007: (400, "The page size for conversations must either be null or between 1 and 250."),
    30008: (400, "The page size for messages must either be null or between 1 and 100."),
    30009: (400, "The provided continuation token is invalid. Use the same token as before."),
    30010: (400, "The conversation context size is too large. Maximum allowed is 100 entries."),
    30011: (400, "The message text length is too large. Max 6,000 characters allowed."),
    30012: (400, "The request body was either not provided or is malformed."),
    30013: (404, "The specified conversation doesn't exist."),
    30014: (400, "The specified channel configuration isn't linked to a workstream."),
    30015: (500, "The response body wasn't serialized successfully."),
    30016: (400, "The message activity has no text or attachments."),
}

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-webhook
# Ten seconds per attempt. "Retries up to three times" reads as 1 + 3 attempts, the same page's
# "after three failed attempts" as 3: the org's webhook_attempts switch picks (default 4).
WEBHOOK_TIMEOUT_SECONDS = 10
# Same page: the names listed for the `name` field of event activities.
EVENT_NAMES = (
    "AgentAccepted", "AgentEndSession", "PrimaryAgentEndConversation", "AgentDisconnected",
    "AgentStartSecondaryChannel", "AgentRaiseSecondaryChannel", "AgentEndSecondaryChannel",
    "ConversationClose", "SupervisorForceClosedConversation", "ConsultAgentInitiated",
    "ConsultAgentFailed", "ConsultAgentAcceptSession", "ConsultAgentEndSession",
    "ConsultAgentRejectSession", "ConsultAgentSessionTimedOut", "ConsultAgentRemoved",
    "TransferToAgentInitiated", "TransferToAgentFailed", "TransferAgentAcceptSession",
    "TransferAgentRejectSession", "TransferAgentTimedOutSession", "AgentEndedConsult",
    "AgentJoinedCustomerConversation", "ConsultAgentLeftPublicConversation",
    "TransferToQueueInitiated", "TransferToQueueFailed", "CustomerDisconnected",
    "CustomerDisconnectedAgentWaiting", "AgentAssigned",
    "OutOfOperatingHoursDueToNonWorkingHours", "OutOfOperatingHoursDueToHoliday",
)  # fmt: skip
# Same page: its samples call the rep's end "AgentClosed" and the close "ConversationClosed",
# names the list lacks; the list's nearest are AgentEndSession and ConversationClose (inferred).
SAMPLE_EVENT_NAMES = ("AgentClosed", "ConversationClosed")
LIFECYCLE_EVENTS = {
    "samples": {
        "accepted": "AgentAccepted",
        "ended": "AgentClosed",
        "closed": "ConversationClosed",
    },
    "list": {
        "accepted": "AgentAccepted",
        "ended": "AgentEndSession",
        "closed": "ConversationClose",
    },
}
# Same page: the typing sample's channelId is this literal where the others carry the GUID.
TYPING_CHANNEL_ID = "MessagingApi"

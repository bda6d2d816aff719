"""What Microsoft defines for the Contact Center Messaging API, each with the page that says so.

Pages live under https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/; where a
page leaves a gap, the comment says what was inferred.
"""

from __future__ import annotations

import re

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/intro-messaging-apis
# Base URL https://m-{org_id}.{geo}.omnichannelengagementhub.com; every call carries these
# three headers (a missing token is a 401).
MESSAGING_HOST_SUFFIX = ".omnichannelengagementhub.com"
BASE_URL_EXAMPLE = "https://m-<organization id>.<geo>.omnichannelengagementhub.com"
CHANNEL_HEADER = "channel-id"
ORGANIZATION_HEADER = "organization-id"
API_PREFIX = "/api/v1.0/consumer/"

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-create
CREATE_PATH = "conversation/create"
# Every customercontext field is at most 200 characters; at most 100 context variables.
CUSTOMER_FIELD_MAX = 200
CONTEXT_MAX = 100
# startmessage: "27 Kb". Every other limit on the page is in characters, so this one is a size:
# 27 KB of UTF-8. 27,000 bytes fits both the decimal and the binary reading (inferred).
START_MESSAGE_MAX_BYTES = 27_000

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation
# Lists this channel's active conversations; PageSize is 1–250.
LIST_PATH = "conversations"

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-endpoint
# POST conversation/{id} takes one Bot Framework activity: message (text and/or attachments),
# typing or endOfConversation. text is at most 6,000 characters (else 30011, error-handling
# page); type, from.id, from.name and an attachment's contentType and name at most 256.
ACTIVITY_PATH = "conversation/{conversation_id}"
TEXT_MAX = 6000
SHORT_MAX = 256

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/configure-custom-messaging-channel
# Token scope https://{organization_id_without_dash}-c.{zone}.dynamics.com/.default, the zone
# mapped from the org's region (Datacenter regions page, below).
SCOPE_TEMPLATE = "https://{org}-c.{zone}.dynamics.com/.default"
# The channel record: table msdyn_occustommessagingchannel, the app in msdyn_appid, the base
# webhook URL in msdyn_webhookurl (activities arrive at {webhook_url}/v3/conversations/{id}/
# activities).
# Reference: https://learn.microsoft.com/en-us/dynamics365/customer-service/develop/reference/entities/msdyn_occustommessagingchannel
CHANNEL_ENTITY_SET = "msdyn_occustommessagingchannels"
# msdyn_liveworkstreamid: the channel's workstream. That adding the channel to a workstream
# fills this lookup is inferred (the create sample leaves it out; the table lists it).
CHANNEL_COLUMNS = "msdyn_name,msdyn_appid,msdyn_webhookurl,_msdyn_liveworkstreamid_value,statecode"

# Reference: https://learn.microsoft.com/en-us/power-platform/admin/new-datacenter-regions
# Commercial environment hosts are <name>.<zone>.dynamics.com, the zone being crm, crm2 … crm21.
ZONE_FROM_HOST = re.compile(r"^[a-z0-9-]+\.(crm\d*)\.dynamics\.com$")
ZONE = re.compile(r"^[a-z0-9][a-z0-9-]{0,30}$")

# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/error-handling
# Codes the body carries (which member holds it is not said: see classify.py).
ORG_INVALID, CHANNEL_INVALID, CHANNEL_NOT_FOUND = 30001, 30002, 30004
CONTEXT_TOO_LARGE, CONVERSATION_NOT_FOUND, NO_WORKSTREAM = 30010, 30013, 30014
CORRELATION_HEADER = "x-ms-correlation-id"

# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/annotation
# A note is attached to a contact or an account through these navigation properties (system
# relationships Contact_Annotation and Account_Annotation, which cannot be renamed).
NOTE_ON = {"contact": "objectid_contact", "account": "objectid_account"}

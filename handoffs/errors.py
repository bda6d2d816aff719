"""The one error catalogue: every code a handoff (or a verification) can end with.

Each entry has the message people read, the fix in plain words, whether waiting helps, and its
section in docs/troubleshooting.md (the anchor is the code). Classifiers (the Dataverse client,
the lifecycle) return catalogue entries wrapped in HandoffError; pages, the status document, the
commands and the docs all read the same entries. See docs/architecture.md, "Errors".
"""

from __future__ import annotations

from dataclasses import dataclass

TROUBLESHOOTING = "docs/troubleshooting.md"


@dataclass(frozen=True)
class ErrorKind:
    '""What a stable error code means, how to fix it, and whether waiting helps.""'

    code: str
    message: str
    fix: str
    retryable: bool = False

    @property
    def anchor(self) -> str:
        '""The section of docs/troubleshooting.md that explains this code.""'
        return self.code


class HandoffError(Exception):
    """Why a handoff did not (yet) land: a catalogue entry plus what this occurrence adds.

    Never carries a token or a secret: details are the remote service's words or ours.
    """

    def __init__(
        self,
        code: str,
        *,
        detail: str = "",
        fix: str = "",
        http_status: int | None = None,
        retry_after: float | None = None,
        dataverse_code: str = "",
        subject: str = "",
    ) -> None:
        self.kind = CATALOGUE[code]
        self.code = code
        self.message = f"{self.kind.message} {detail}".strip()
        self.hint = fix or self.kind.fix
        self.retryable = self.kind.retryable
        self.http_status = http_status
        self.retry_after = retry_after
        self.dataverse_code = dataverse_code
        self.subject = subject  # the column or property the remote service named, if any
        super().__init__(self.message)

    @property
    def readable(self) -> str:
        '""Message and fix in one line, as stored on the session.""'
        return f"{self.message} Fix: {self.hint}" if self.hint else self.message


KINDS = (
    ErrorKind(
        "entra_tenant_not_found",
        "Microsoft Entra ID does not know the Directory (tenant) ID (AADSTS90002).",
        "Copy the Directory (tenant) ID from Azure portal → App registrations → your app → "
        "Overview; for a sovereign cloud also set its authority host.",
    ),
    ErrorKind(
        "entra_app_not_found",
        "The Application (client) ID is not registered in that directory (AADSTS700016).",
        "Copy the Application (client) ID from the same app registration's Overview page and "
        "check that the Directory (tenant) ID belongs to the same directory.",
    ),
    ErrorKind(
        "entra_invalid_secret",
        "Microsoft Entra ID refused the client secret (AADSTS7000215).",
        "Paste the secret's Value, not its Secret ID: create a new client secret under "
        "Certificates & secrets and copy the Value column right away.",
    ),
    ErrorKind(
        "entra_secret_expired",
        "The client secret has expired (AADSTS7000222).",
        "Create a new client secret under Certificates & secrets, paste its Value here and set "
        "its expiry date so you are warned before the next one runs out.",
    ),
    ErrorKind(
        "entra_missing_secret",
        "The token request carried no client secret (AADSTS7000218).",
        'Paste the client secret"s Value in the Dynamics connection settings and save.',
    ),
    ErrorKind(
        "entra_app_disabled",
        "The app registration is disabled in Microsoft Entra ID (AADSTS7000112).",
        "Enable the enterprise application for this app registration, or use another one.",
    ),
    ErrorKind(
        "entra_environment_not_found",
        "Microsoft Entra ID does not know the environment URL as a resource (AADSTS500011).",
        "Copy the environment URL from Power Platform admin center → Environments → your "
        "environment (e.g. https://contoso.crm.dynamics.com); it must be in the same directory.",
    ),
    ErrorKind(
        "entra_invalid_scope",
        "Microsoft Entra ID refused the requested scope (AADSTS1002012/70011).",
        "Check the environment URL: it must be the bare address of the environment, e.g. "
        "https://contoso.crm.dynamics.com, without a path.",
    ),
    ErrorKind(
        "entra_discovery_failed",
        "The authority host did not describe the directory (OpenID configuration missing).",
        "Check the authority host (https://login.microsoftonline.com for the public cloud) and "
        "the Directory (tenant) ID.",
    ),
    ErrorKind(
        "entra_rejected",
        "Microsoft Entra ID refused the token request.",
        "Check the Directory (tenant) ID, Application (client) ID and client secret Value of "
        "the app registration, then verify the connection again.",
    ),
    ErrorKind(
        "entra_unavailable",
        "Microsoft Entra ID is temporarily unavailable.",
        "Nothing to change: the handoff is retried automatically.",
        retryable=True,
    ),
    ErrorKind(
        "dataverse_unauthorized",
        "Dataverse refused the access token twice (HTTP 401).",
        "Check that the environment URL is the environment the application user lives in, and "
        "that the app registration is the one added as application user there.",
    ),
    ErrorKind(
        "dataverse_no_application_user",
        "The app is not an application user in this Dynamics environment (0x80072560).",
        "In Power Platform admin center → Environments → your environment → Settings → Users + "
        "permissions → Application users, add the app registration and give it a security role.",
    ),
    ErrorKind(
        "dataverse_missing_privilege",
        "The application user lacks a privilege (0x80040220).",
        "Give the application user a security role with the privilege named above "
        "(Create/Read/Append/Append To on Contact, Case, Note and Queue item), then verify "
        "again.",
    ),
    ErrorKind(
        "dataverse_forbidden",
        "Dataverse refused the request for security reasons (HTTP 403).",
        "Check the application user's security roles and business unit in Power Platform admin "
        "center.",
    ),
    ErrorKind(
        "dataverse_not_found",
        "A record or table Dataverse was asked about does not exist (HTTP 404).",
        "Check the default owner, queue, workstream and fallback customer IDs in the connection"
        " settings: each must be the GUID of an existing record in this environment.",
    ),
    ErrorKind(
        "omnichannel_not_installed",
        "This environment has no Omnichannel conversations table (msdyn_ocliveworkitem).",
        "Install Omnichannel for Customer Service, or set 'Chats become' to Case in the "
        "connection settings so chats are written as cases.",
    ),
    ErrorKind(
        "dataverse_duplicate_record",
        "A record with the same key already exists (0x80040237).",
        "Nothing to change for a repeated handoff; otherwise check for a duplicate key.",
    ),
    ErrorKind(
        "dataverse_value_too_long",
        "A value is longer than its Dynamics column allows (0x80044331).",
        "If the column named above is a ticket property, shorten its value or widen the column "
        "in Dynamics. If the product wrote it, verify the connection (Settings → Verify now) so "
        "the product reads the org's column limits again.",
    ),
    ErrorKind(
        "dataverse_unknown_property",
        "Dataverse does not know a column in the request (Invalid property).",
        "If the name above is a ticket property key, correct it to a column's logical name "
        "(lookups as <navigation property>@odata.bind); Ticket properties lists the valid keys. "
        "If the product sent it, verify the connection so it reads the org's tables again.",
    ),
    ErrorKind(
        "dataverse_undeclared_property",
        "Dataverse does not know a lookup in the request: the table declares no such navigation "
        "property (0x80048d19).",
        "If the name above is a ticket property key, write the lookup as its navigation "
        "property (Ticket properties lists them, e.g. customerid_contact@odata.bind). If the "
        "product sent it, verify the connection (Settings → Verify now): verification reads "
        "the navigation names this org declares.",
    ),
    ErrorKind(
        "dataverse_customer_required",
        "Dataverse needs a customer (contact or account) on the case.",
        "Set a fallback customer in the connection settings for handoffs without an email.",
    ),
    ErrorKind(
        "dataverse_bad_request",
        "Dataverse refused the request as invalid (HTTP 400).",
        "Read the Dataverse message above. When ticket properties are set, check their values "
        "first (choices take numbers, lookups take /<entity set>(<guid>)); otherwise send the "
        "handoff's event log to support.",
    ),
    ErrorKind(
        "dataverse_rejected",
        "Dataverse answered with an unexpected error.",
        "Read the Dataverse message above; if it persists, send the handoff's event log to "
        "support.",
    ),
    ErrorKind(
        "dataverse_unexpected_response",
        "Dataverse answered in a shape this service does not understand.",
        "Check that the environment URL points at a Dynamics 365 environment (not a portal or "
        "another site).",
    ),
    ErrorKind(
        "rate_limited",
        "Dataverse is throttling requests (HTTP 429, service protection limits).",
        "Nothing to change: the handoff waits as long as Dataverse asks (Retry-After) and tries"
        " again.",
        retryable=True,
    ),
    ErrorKind(
        "dataverse_unavailable",
        "Dataverse is temporarily unavailable (HTTP 5xx).",
        "Nothing to change: the handoff is retried automatically.",
        retryable=True,
    ),
    ErrorKind(
        "dynamics_unavailable",
        "Dynamics 365 has not answered this tenant's last requests, so its handoffs wait "
        "together instead of each retrying on its own.",
        "Nothing to change: the service checks once a minute and sends every waiting handoff, "
        "oldest first, as soon as Dynamics answers. Check the environment's health in Power "
        "Platform admin center if it lasts.",
        retryable=True,
    ),
    ErrorKind(
        "timeout",
        "Dynamics 365 did not answer in time.",
        "Nothing to change: the handoff is retried automatically. If it keeps happening, check "
        "the environment's health in Power Platform admin center.",
        retryable=True,
    ),
    ErrorKind(
        "connection_failed",
        "Could not connect to Dynamics 365 or Microsoft Entra ID.",
        "Check the environment URL and authority host; the handoff is retried automatically.",
        retryable=True,
    ),
    ErrorKind(
        "live_chat_not_configured",
        "Chats are set to become live chats, but this tenant's Contact Center messaging channel "
        "is not configured.",
        "An admin opens Settings → Live chat, fills in the channel's values and clicks Save & "
        "verify (or sets 'Chats become' to another target); then retry the handoff.",
    ),
    ErrorKind(
        "live_chat_message_expired",
        "The customer's message could not be delivered to the live chat before it grew too old "
        "(LIVE_CHAT_MESSAGE_MAX_AGE_HOURS), so it was given up.",
        "Look at the errors of the attempts before it on the session page: they name what kept "
        "the Messaging API from taking it. Once that is fixed, newer messages go through.",
    ),
    ErrorKind(
        "messaging_scope_not_found",
        "Microsoft Entra ID does not know the Messaging API resource named by the organization "
        "ID and zone (AADSTS500011).",
        "Under Settings → Live chat check the organization ID (WhoAmI's OrganizationId, or "
        "Power Platform admin center → your environment → Details) and the zone (crm, crm4 …: "
        "the word after your environment's name in its URL).",
    ),
    ErrorKind(
        "messaging_unauthorized",
        "The Messaging API refused the access token twice (HTTP 401).",
        "The channel record's msdyn_appid must be the Application (client) ID this service "
        "signs in with, and msdyn_tenantid its Directory (tenant) ID; check both in Dynamics "
        "and the app under Settings → Live chat.",
    ),
    ErrorKind(
        "messaging_organization_invalid",
        "The Messaging API does not accept the organization ID (30001).",
        "Copy the organization ID (WhoAmI's OrganizationId, or Power Platform admin center → "
        "your environment → Details) into Settings → Live chat.",
    ),
    ErrorKind(
        "messaging_channel_invalid",
        "The Messaging API does not accept the channel ID (30002).",
        "Paste the channel record's id (msdyn_occustommessagingchannelid, a GUID) into "
        "Settings → Live chat.",
    ),
    ErrorKind(
        "messaging_channel_not_found",
        "No active Messaging API channel has this ID in the organization (30004).",
        "Create the channel record (docs/live-chat.md), or copy its id again; a deactivated "
        "channel is not found either.",
    ),
    ErrorKind(
        "messaging_no_workstream",
        "The messaging channel is not linked to a workstream (30014).",
        "In Dynamics 365 (Copilot Service admin center → Workstreams), add the channel to a "
        "messaging workstream with routing rules, then retry the handoff.",
    ),
    ErrorKind(
        "messaging_conversation_not_found",
        "The conversation does not exist or is already closed (30013).",
        "Nothing to change: a rep or a timeout closed it. A new handoff opens a new one.",
    ),
    ErrorKind(
        "messaging_context_too_large",
        "The Messaging API refused more than 100 context variables (30010).",
        "The service sends five; send the handoff's event log to support.",
    ),
    ErrorKind(
        "messaging_bad_request",
        "The Messaging API refused the request as invalid (HTTP 400).",
        "Read the message above (docs/troubleshooting.md lists each 300xx code); if it "
        "persists, send the handoff's event log to support.",
    ),
    ErrorKind(
        "messaging_not_found",
        "The Messaging API answered 404 without an error code: the base URL leads elsewhere.",
        "Check the messaging base URL under Settings → Live chat: https://m-<organization "
        "id>.<geo>.omnichannelengagementhub.com, without a path.",
    ),
    ErrorKind(
        "messaging_rejected",
        "The Messaging API answered with an unexpected error.",
        "Read the message above; if it persists, send the handoff's event log (with its "
        "x-ms-correlation-id) to support.",
    ),
    ErrorKind(
        "messaging_unexpected_response",
        "The Messaging API answered in a shape this service does not understand.",
        "Check the messaging base URL under Settings → Live chat: it must be the "
        "omnichannelengagementhub.com address of your organization.",
    ),
    ErrorKind(
        "messaging_rate_limited",
        "The Messaging API is throttling requests (HTTP 429).",
        "Nothing to change: the handoff waits as long as the API asks (Retry-After) and tries "
        "again.",
        retryable=True,
    ),
    ErrorKind(
        "messaging_unavailable",
        "The Messaging API is temporarily unavailable (HTTP 5xx).",
        "Nothing to change: the handoff is retried automatically. If it persists, give "
        "Microsoft support the x-ms-correlation-id above.",
        retryable=True,
    ),
    ErrorKind(
        "change_tracking_disabled",
        "Change tracking is off for the Case table in this environment (0x80072491), so the "
        "service cannot follow what reps change on cases.",
        "In Power Apps (make.powerapps.com) → your environment → Tables → Case → Properties → "
        "Advanced options, turn on Track changes and save. Or turn off 'Send case updates to "
        "OpenCX' under Settings → Webhook.",
    ),
    ErrorKind(
        "change_tracking_expired",
        "Dynamics no longer keeps the case changes since the last check (0x80044352, the delta "
        "token expired).",
        "Nothing to change: the service reads every case once more and reports only what "
        "changed since it last reported.",
    ),
    ErrorKind(
        "integration_not_configured",
        "This tenant has no Dynamics 365 connection yet, so the handoff is waiting.",
        "An admin opens Settings → Dynamics connection, pastes the Azure credentials and saves;"
        " then replay the failed handoffs (Retry, or manage.py replay_handoffs --failed).",
    ),
    ErrorKind(
        "database_busy",
        "This service's own database was briefly busy or out of reach during the handoff.",
        "Nothing to change: the handoff is retried automatically with the same record id, so no "
        "second record is made. If it keeps happening, check the service's database.",
        retryable=True,
    ),
    ErrorKind(
        "unexpected_error",
        "An unexpected error stopped the handoff before it reached Dynamics 365.",
        "Replay the handoff (Retry, or manage.py replay_handoffs); if it fails the same way, "
        "send its event log to support.",
    ),
)

CATALOGUE: dict[str, ErrorKind] = {kind.code: kind for kind in KINDS}

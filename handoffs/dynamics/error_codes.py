"""The catalogue of every code a handoff can end with: message, plain-words fix, retryable.

ERROR_CODES holds the Dynamics and Entra ID codes (handoffs.dynamics.errors classifies answers
into them); catalogue() adds the codes raised outside Dynamics, for docs and pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from handoffs.errors import integration_not_configured, unexpected_failure


@dataclass(frozen=True)
class ErrorKind:
    """What a stable error code means, how to fix it, and whether waiting helps."""

    message: str
    hint: str
    retryable: bool = False


ERROR_CODES: dict[str, ErrorKind] = {
    # Entra ID (token endpoint), by AADSTS code.
    "entra_tenant_not_found": ErrorKind(
        "Microsoft Entra ID does not know the Directory (tenant) ID (AADSTS90002).",
        "Copy the Directory (tenant) ID from Azure portal → App registrations → your app → "
        "Overview; for a sovereign cloud also set its authority host.",
    ),
    "entra_app_not_found": ErrorKind(
        "The Application (client) ID is not registered in that directory (AADSTS700016).",
        "Copy the Application (client) ID from the same app registration's Overview page and "
        "check that the Directory (tenant) ID belongs to the same directory.",
    ),
    "entra_invalid_secret": ErrorKind(
        "Microsoft Entra ID refused the client secret (AADSTS7000215).",
        "Paste the secret's Value, not its Secret ID: create a new client secret under "
        "Certificates & secrets and copy the Value column right away.",
    ),
    "entra_secret_expired": ErrorKind(
        "The client secret has expired (AADSTS7000222).",
        "Create a new client secret under Certificates & secrets, paste its Value here and set "
        "its expiry date so you are warned before the next one runs out.",
    ),
    "entra_missing_secret": ErrorKind(
        "The token request carried no client secret (AADSTS7000218).",
        "Paste the client secret's Value in the Dynamics connection settings and save.",
    ),
    "entra_app_disabled": ErrorKind(
        "The app registration is disabled in Microsoft Entra ID (AADSTS7000112).",
        "Enable the enterprise application for this app registration, or use another one.",
    ),
    "entra_environment_not_found": ErrorKind(
        "Microsoft Entra ID does not know the environment URL as a resource (AADSTS500011).",
        "Copy the environment URL from Power Platform admin center → Environments → your "
        "environment (e.g. https://contoso.crm.dynamics.com); it must be in the same directory.",
    ),
    "entra_invalid_scope": ErrorKind(
        "Microsoft Entra ID refused the requested scope (AADSTS1002012/70011).",
        "Check the environment URL: it must be the bare address of the environment, "
        "e.g. https://contoso.crm.dynamics.com, without a path.",
    ),
    "entra_discovery_failed": ErrorKind(
        "The authority host did not describe the directory (OpenID configuration missing).",
        "Check the authority host (https://login.microsoftonline.com for the public cloud) and "
        "the Directory (tenant) ID.",
    ),
    "entra_rejected": ErrorKind(
        "Microsoft Entra ID refused the token request.",
        "Check the Directory (tenant) ID, Application (client) ID and client secret Value of the "
        "app registration, then verify the connection again.",
    ),
    "entra_unavailable": ErrorKind(
        "Microsoft Entra ID is temporarily unavailable.",
        "Nothing to change: the handoff is retried automatically.",
        retryable=True,
    ),
    # Dataverse Web API, by HTTP status and error.code.
    "dataverse_unauthorized": ErrorKind(
        "Dataverse refused the access token twice (HTTP 401).",
        "Check that the environment URL is the environment the application user lives in, and "
        "that the app registration is the one added as application user there.",
    ),
    "dataverse_no_application_user": ErrorKind(
        "The app is not an application user in this Dynamics environment (0x80072560).",
        "In Power Platform admin center → Environments → your environment → Settings → Users + "
        "permissions → Application users, add the app registration and give it a security role.",
    ),
    "dataverse_missing_privilege": ErrorKind(
        "The application user lacks a privilege (0x80040220).",
        "Give the application user a security role with the privilege named above (Create/Read/"
        "Append/Append To on Contact, Case, Note and Queue item), then verify again.",
    ),
    "dataverse_forbidden": ErrorKind(
        "Dataverse refused the request for security reasons (HTTP 403).",
        "Check the application user's security roles and business unit in Power Platform admin "
        "center.",
    ),
    "dataverse_not_found": ErrorKind(
        "A record or table Dataverse was asked about does not exist (HTTP 404).",
        "Check the default owner, queue, workstream and fallback customer IDs in the connection "
        "settings: each must be the GUID of an existing record in this environment.",
    ),
    "omnichannel_not_installed": ErrorKind(
        "This environment has no Omnichannel conversations table (msdyn_ocliveworkitem).",
        "Install Omnichannel for Customer Service, or set 'Chats become' to Case in the "
        "connection settings so chats are written as cases.",
    ),
    "dataverse_duplicate_record": ErrorKind(
        "A record with the same key already exists (0x80040237).",
        "Nothing to change for a repeated handoff; otherwise check for a duplicate key.",
    ),
    "dataverse_value_too_long": ErrorKind(
        "A value is longer than its Dynamics column allows (0x80044331).",
        "Shorten the value named above in the ticket properties, or widen the column in Dynamics.",
    ),
    "dataverse_unknown_property": ErrorKind(
        "Dataverse does not know a column or table in the request (0x80060888).",
        "Check the ticket properties: each key must be a column's logical name (lookups as "
        "name@odata.bind); verify the connection to list the valid columns.",
    ),
    "dataverse_customer_required": ErrorKind(
        "Dataverse needs a customer (contact or account) on the case.",
        "Set a fallback customer in the connection settings for handoffs without an email.",
    ),
    "dataverse_bad_request": ErrorKind(
        "Dataverse refused the request as invalid (HTTP 400).",
        "Read the Dataverse message above; most often a ticket property has a wrong value "
        "(option sets take numbers, lookups take /entityset(guid)).",
    ),
    "dataverse_rejected": ErrorKind(
        "Dataverse answered with an unexpected error.",
        "Read the Dataverse message above; if it persists, send the handoff's event log to "
        "support.",
    ),
    "dataverse_unexpected_response": ErrorKind(
        "Dataverse answered in a shape this service does not understand.",
        "Check that the environment URL points at a Dynamics 365 environment (not a portal or "
        "another site).",
    ),
    "rate_limited": ErrorKind(
        "Dataverse is throttling requests (HTTP 429, service protection limits).",
        "Nothing to change: the handoff waits as long as Dataverse asks (Retry-After) and tries "
        "again.",
        retryable=True,
    ),
    "dataverse_unavailable": ErrorKind(
        "Dataverse is temporarily unavailable (HTTP 5xx).",
        "Nothing to change: the handoff is retried automatically.",
        retryable=True,
    ),
    "timeout": ErrorKind(
        "Dynamics 365 did not answer in time.",
        "Nothing to change: the handoff is retried automatically. If it keeps happening, check "
        "the environment's health in Power Platform admin center.",
        retryable=True,
    ),
    "connection_failed": ErrorKind(
        "Could not connect to Dynamics 365 or Microsoft Entra ID.",
        "Check the environment URL and authority host; the handoff is retried automatically.",
        retryable=True,
    ),
}


def catalogue() -> dict[str, ErrorKind]:
    """Every code a handoff can end with (Dynamics or not), for docs, pages and checklists."""
    codes = dict(ERROR_CODES)
    for error in (integration_not_configured(), unexpected_failure()):
        codes[error.code] = ErrorKind(error.message, error.hint, error.retryable)
    return codes


AADSTS_CODES: dict[int, str] = {
    90002: "entra_tenant_not_found",
    900023: "entra_tenant_not_found",
    700016: "entra_app_not_found",
    7000215: "entra_invalid_secret",
    7000222: "entra_secret_expired",
    7000218: "entra_missing_secret",
    7000112: "entra_app_disabled",
    500011: "entra_environment_not_found",
    1002012: "entra_invalid_scope",
    70011: "entra_invalid_scope",
    90024: "entra_unavailable",
    90033: "entra_unavailable",
}

"""Running the checklist: the connection's gates in the order a handoff meets them.

Shared by the settings page ("Save & verify", "Verify now"), `manage.py verify_integration` and
`create_tenant --sandbox`. A passing run also stores the org's schema with the connection.
"""

from __future__ import annotations

from django.utils import timezone

from handoffs.dynamics.client import DynamicsClient, candidate_client, client_for
from handoffs.dynamics.whoami import Identity, whoami
from handoffs.errors import HandoffError
from handoffs.lifecycle import outage
from handoffs.models import DynamicsConnection
from handoffs.verification import live_chat, org, schema
from handoffs.verification.checklist import (
    EXPIRY_WARNING_DAYS,
    FAIL,
    PASS,
    WARN,
    Check,
    Checklist,
    failed,
)

__all__ = ["FAIL", "Checklist", "candidate_client", "run_checklist", "store", "verify_connection"]


def check_token(client: DynamicsClient) -> Check:
    title = "Token from Microsoft Entra ID (directory, application, secret, environment URL)"
    try:
        client.token()
    except HandoffError as exc:
        return failed("token", title, exc)
    return Check("token", PASS, title, "Entra ID issued a token for the environment.")


def check_application_user(client: DynamicsClient) -> tuple[Check, Identity | None]:
    title = "Application user in the Dynamics environment (WhoAmI)"
    try:
        identity = whoami(client)
    except HandoffError as exc:
        return failed("application_user", title, exc), None
    detail = f"The app signs in as application user {identity.user_id}."
    return Check("application_user", PASS, title, detail), identity


def check_secret_expiry(connection: DynamicsConnection) -> Check:
    title = "Client secret expiry date"
    anchor = "checklist-secret-expiry"
    expires = connection.secret_expires_on
    if expires is None:
        return Check(
            "secret_expiry",
            WARN,
            title,
            "No expiry date is recorded, so nobody is warned before the secret runs out.",
            "Copy the secret's Expires date from Azure (Certificates & secrets) into the form.",
            anchor,
        )
    days = (expires - timezone.localdate()).days
    if days <= EXPIRY_WARNING_DAYS:
        when = f"expired on {expires}" if days < 0 else f"expires on {expires} ({days} days)"
        return Check(
            "secret_expiry",
            WARN,
            title,
            f"The client secret {when}.",
            "Create a new client secret in Azure, paste its Value in Settings → Dynamics "
            "connection, Save & verify, then "
            "delete the old secret in Azure.",
            anchor,
        )
    return Check("secret_expiry", PASS, title, f"The secret is valid until {expires}.")


def run_checklist(connection: DynamicsConnection, client: DynamicsClient) -> Checklist:
    """Every check, in the order a handoff meets them; later ones skip when a gate fails."""
    checklist = Checklist()
    token = check_token(client)
    checklist.checks.append(token)
    identity = None
    if token.status != PASS:
        checklist.checks += org.skipped_after("a token is needed first")
    else:
        user, identity = check_application_user(client)
        checklist.checks.append(user)
        if identity is None:
            checklist.checks += org.skipped_after("the application user is missing")
        else:
            checklist.organization_id = identity.organization_id
            checklist.checks += org.org_checks(client, connection, identity)
            line, checklist.org_schema = schema.check_schema(client, connection)
            checklist.checks.append(line)
    checklist.checks += live_chat.checks_for_connection(connection, client if identity else None)
    if connection.unavailable_since is not None:
        checklist.checks.append(check_outage(connection, answered=identity_ok(checklist)))
    checklist.checks.append(check_secret_expiry(connection))
    return checklist


def identity_ok(checklist: Checklist) -> bool:
    return any(c.key == "application_user" and c.status == PASS for c in checklist.checks)


def check_outage(connection: DynamicsConnection, *, answered: bool) -> Check:
    """The tenant's outage: over if this verification reached Dynamics, else still waiting."""
    title = "Dynamics 365 answering this tenant's handoffs"
    since = f"{connection.unavailable_since:%Y-%m-%d %H:%M} UTC"
    if answered:
        sent = outage.end(connection)
        detail = f"Dynamics did not answer from {since}; it answers again, and {sent} waiting "
        return Check("outage", PASS, title, detail + "handoff(s) go out now.")
    waiting = connection.waiting_for_recovery()
    return Check(
        "outage",
        WARN,
        title,
        f"Dynamics has not answered since {since}; {waiting} handoff(s) wait and go out, "
        "oldest first, as soon as it answers (checked once a minute).",
        "Nothing to change in the connection. Check the environment's health in Power "
        "Platform admin center.",
        "dynamics_unavailable",
    )


def verify_connection(connection: DynamicsConnection) -> Checklist:
    """Verify a saved connection and store the result on it."""
    checklist = run_checklist(connection, client_for(connection))
    store(connection, checklist)
    return checklist


def store(connection: DynamicsConnection, checklist: Checklist) -> None:
    """Keep the run on the connection, and the org's schema when it was read."""
    connection.last_verification = checklist.as_dict()
    update = ["last_verification", "updated_at"]
    if checklist.ok:
        connection.verified_at = checklist.checked_at
        update.append("verified_at")
    if checklist.org_schema is not None:
        connection.dataverse_schema = checklist.org_schema.as_dict()
        update.append("dataverse_schema")
    connection.save(update_fields=update)

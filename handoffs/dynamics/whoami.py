"""WhoAmI: the side-effect-free call that proves token, application user and environment."""

from __future__ import annotations

from dataclasses import dataclass

from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError

# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/reference/whoami


@dataclass(frozen=True)
class Identity:
    """Who the application user is inside the environment."""

    user_id: str
    business_unit_id: str
    organization_id: str


def whoami(client: DataverseApi) -> Identity:
    """Ask Dataverse who we are; raises HandoffError when any part of the setup is wrong."""
    data = client.get("WhoAmI")
    try:
        return Identity(
            user_id=str(data["UserId"]),
            business_unit_id=str(data["BusinessUnitId"]),
            organization_id=str(data["OrganizationId"]),
        )
    except KeyError:
        raise HandoffError(
            "dataverse_unexpected_response", detail="WhoAmI answered without UserId."
        ) from None

"""Who is calling and what they may do: bearer token → application user → role privileges."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.http import HttpRequest

from dataverse_sandbox import tokens
from dataverse_sandbox.errors import ApiError
from dataverse_sandbox.facts import Table
from dataverse_sandbox.models import AppRegistration, Org, UserRole
from dataverse_sandbox.schema import TABLES

VERBS = ("Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share")
# Privileges not tied to a served table. RetrieveUserPrivileges needs prvReadOrganization
# (with prvReadUser): https://learn.microsoft.com/en-us/previous-versions/dynamicscrm-2016/developers-guide/gg309700(v=crm.8)
READ_ORGANIZATION = "prvReadOrganization"
ORGANIZATION_OTC = 1019  # the organization table's type code


@dataclass
class Caller:
    org: Org
    app: AppRegistration | None  # None for a rep using the sandbox's own pages
    user_id: str
    privileges: frozenset[str]
    role_count: int


def privilege_id(name: str) -> str:
    """A stable id per privilege name, the same in every org (as in Dataverse)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"dataverse-sandbox:privilege:{name}"))


def all_privileges() -> list[str]:
    names = [f"prv{verb}{table.privilege}" for table in TABLES.values() for verb in VERBS]
    return sorted({*names, READ_ORGANIZATION})


def unauthorized(reason: str) -> ApiError:
    # Dataverse answers 401 with a Bearer challenge and no error code of its own.
    return ApiError(401, "", reason, {"WWW-Authenticate": 'Bearer error="invalid_token"'})


def authenticate(request: HttpRequest, org: Org) -> Caller:
    """The caller behind the request's bearer token, or 401/403 like Dataverse."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("Bearer token is missing: send 'Authorization: Bearer <token>'.")
    try:
        claims = tokens.verify(org, token.strip())
    except tokens.InvalidToken as exc:
        raise unauthorized(str(exc)) from None
    app = org.apps.filter(client_id=claims.get("appid")).first()
    if app is None or app.application_user_id is None:
        raise ApiError(403, "0x80072560", "The user is not a member of the organization.")
    roles = list(
        UserRole.objects.filter(org=org, systemuserid=app.application_user_id).select_related(
            "role"
        )
    )
    privileges: set[str] = set()
    for user_role in roles:
        privileges.update(user_role.role.privileges)
    return Caller(org, app, str(app.application_user_id), frozenset(privileges), len(roles))


def require(caller: Caller, verb: str, table: Table) -> None:
    """Refuse with 403 0x80040220 unless the caller's roles grant prv<verb><table>."""
    require_privilege(caller, f"prv{verb}{table.privilege}", table.otc, table.logical)


def require_privilege(caller: Caller, name: str, otc: int, entity: str) -> None:
    """Refuse with 403 0x80040220, worded as Dataverse words a missing privilege."""
    if name in caller.privileges:
        return
    raise ApiError(
        403,
        "0x80040220",
        f"Principal user (Id={caller.user_id}, type=8, roleCount={caller.role_count}, "
        f"privilegeCount={len(caller.privileges)}, accessMode=4), is missing {name} privilege "
        f"(Id={privilege_id(name)}) on OTC={otc} for entity '{entity}'. "
        f"context.Caller={caller.user_id}",
    )

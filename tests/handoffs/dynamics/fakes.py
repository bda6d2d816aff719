"""Canned Entra ID and Dataverse answers for `responses`, shaped like the real services."""

from __future__ import annotations

import json
from typing import Any

import responses

AZURE_TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT_ID = "66666666-7777-8888-9999-000000000000"
CLIENT_SECRET = "s3cr3t~Value.ThatMustNeverLeak"
ACCESS_TOKEN = "eyJ0eXAiOiJKV1Qi.token-that-must-never-leak"
ENVIRONMENT = "https://contoso.crm.dynamics.com"
API = f"{ENVIRONMENT}/api/data/v9.2/"
LOGIN = f"https://login.microsoftonline.com/{AZURE_TENANT}"
DISCOVERY = f"{LOGIN}/v2.0/.well-known/openid-configuration"
TOKEN_URL = f"{LOGIN}/oauth2/v2.0/token"


def dataverse_error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def entra_error(error: str, number: int, text: str) -> dict:
    return {
        "error": error,
        "error_description": f"AADSTS{number}: {text} Trace ID: 0000",
        "error_codes": [number],
    }


class FakeDynamics:
    """Registers the login answers once and offers helpers for Dataverse answers."""

    def __init__(self, mock: responses.RequestsMock) -> None:
        self.mock = mock
        self.discovery = mock.get(
            DISCOVERY,
            json={
                "issuer": f"https://login.microsoftonline.com/{AZURE_TENANT}/v2.0",
                "authorization_endpoint": f"{LOGIN}/oauth2/v2.0/authorize",
                "token_endpoint": TOKEN_URL,
            },
        )
        self.token = mock.post(
            TOKEN_URL,
            json={"token_type": "Bearer", "expires_in": 3599, "access_token": ACCESS_TOKEN},
        )

    def refuse_token(self, body: dict, status: int = 401) -> None:
        self.mock.replace(responses.POST, TOKEN_URL, json=body, status=status)

    def add(
        self, method: str, path: str, status: int = 200, body: Any = None, **kw: Any
    ) -> responses.BaseResponse:
        return self.mock.add(
            method,
            path if path.startswith("http") else API + path,
            status=status,
            body=json.dumps(body) if body is not None else "",
            content_type="application/json; odata.metadata=minimal",
            **kw,
        )

    def api(self, path: str) -> str:
        return API + path

    def dataverse_calls(self) -> list:
        return [c for c in self.mock.calls if c.request.url.startswith(API)]

    def token_calls(self) -> list:
        return [c for c in self.mock.calls if c.request.url.startswith(TOKEN_URL)]

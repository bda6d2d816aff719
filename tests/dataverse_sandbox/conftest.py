"""Sandbox fixtures: an org, and a client that talks to its Web API with a real token."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from dataverse_sandbox import provisioning
from dataverse_sandbox.models import AppRegistration, Org


class Dataverse:
    """Calls one org's Web API through Django's test client, as the integration app."""

    def __init__(self, client: Client, org: Org, app: AppRegistration | None = None) -> None:
        self.client = client
        self.org = org
        self.app = app or provisioning.integration_app(org)
        self.fields = provisioning.connection_fields(org, "http://testserver", self.app)
        self.base = f"/sandbox/{org.slug}/api/data/v9.2/"
        self._token: str | None = None

    def token_response(self, **overrides: str):
        form = {
            "grant_type": "client_credentials",
            "client_id": self.fields["client_id"],
            "client_secret": self.fields["client_secret"],
            "scope": f"{self.fields['environment_url']}/.default",
            **overrides,
        }
        tenant = overrides.pop("tenant", None) or self.fields["azure_tenant_id"]
        form.pop("tenant", None)
        url = f"/sandbox/{self.org.slug}/login/{tenant}/oauth2/v2.0/token"
        return self.client.post(url, form)

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = self.token_response().json()["access_token"]
        return self._token

    def call(self, method: str, path: str, body: object = None, *, headers: dict | None = None):
        sent = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        data = b"" if body is None else json.dumps(body).encode()
        return self.client.generic(
            method, self.base + path, data, content_type="application/json", headers=sent
        )

    def get(self, path: str, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: object, **kwargs):
        return self.call("POST", path, body, **kwargs)

    def patch(self, path: str, body: object, **kwargs):
        return self.call("PATCH", path, body, **kwargs)

    def new_contact(self, **values: object) -> str:
        body = {"firstname": "Ada", "lastname": "Lovelace", "emailaddress1": "ada@example.com"}
        response = self.post("contacts", {**body, **values})
        assert response.status_code == 204, response.content
        return response["OData-EntityId"].rsplit("(", 1)[1].rstrip(")")


@pytest.fixture
def org(db) -> Org:
    return provisioning.create_org("contoso")


@pytest.fixture
def dataverse(client: Client, org: Org) -> Dataverse:
    return Dataverse(client, org)


@pytest.fixture
def receiver():
    """A webhook receiver: a real HTTP server on a free loopback port."""
    from tests.dataverse_sandbox.messaging_helpers import Receiver

    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def live_chat(org: Org, receiver):
    """The org's Messaging API channel, posting to `receiver`, retrying without waiting."""
    from dataverse_sandbox.messaging import channel

    return channel.configure(
        org, webhook_url=receiver.url, base_url="http://testserver", retry_backoff_ms=0
    )


@pytest.fixture
def messaging(client: Client, org: Org, live_chat):
    from tests.dataverse_sandbox.messaging_helpers import Messaging

    return Messaging(client, org)


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run rep actions so their webhook deliveries happen (they wait for the commit)."""

    def run(action, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args)

    return run

"""create_tenant and send_test_handoff, as an operator runs them."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from handoffs.models import DynamicsConnection, HandoffSession, Membership, Tenant


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_creates_a_tenant_and_prints_its_webhook(db):
    printed = json.loads(run("create_tenant", "acme", "--name", "Acme Inc"))

    tenant = Tenant.objects.get(slug="acme")
    assert printed == {
        "tenant": "acme",
        "webhook_url": f"http://127.0.0.1:8000/hooks/opencx/{tenant.webhook_key}/",
        "webhook_secret": tenant.webhook_secret,
    }
    assert tenant.name == "Acme Inc"


def test_it_connects_the_tenant_with_normalised_credentials(db):
    run(
        "create_tenant",
        "acme",
        "--environment-url",
        "acme.crm4.dynamics.com/main.aspx/",
        "--azure-tenant-id",
        "{11111111-1111-1111-1111-111111111111}",
        "--client-id",
        "22222222-2222-2222-2222-222222222222",
        "--client-secret",
        "abc~DEF.ghi",
    )

    connection = DynamicsConnection.objects.get()
    assert connection.environment_url == "https://acme.crm4.dynamics.com"
    assert connection.azure_tenant_id == "11111111-1111-1111-1111-111111111111"
    assert connection.client_secret == "abc~DEF.ghi"


def create_connected(*secret: str) -> str:
    """create_tenant acme on a Dynamics environment, with the secret given as these arguments."""
    return run(
        "create_tenant",
        "acme",
        "--environment-url",
        "https://acme.crm.dynamics.com",
        "--azure-tenant-id",
        "11111111-1111-1111-1111-111111111111",
        "--client-id",
        "22222222-2222-2222-2222-222222222222",
        *secret,
    )


def test_it_takes_a_secret_that_begins_with_a_dash_in_the_equals_form(db):
    create_connected("--client-secret=-Xq8~abc.DEF")

    assert DynamicsConnection.objects.get().client_secret == "-Xq8~abc.DEF"


def test_it_refuses_a_secret_id_in_place_of_the_secret_value(db):
    with pytest.raises(CommandError, match="paste the Value, not the Secret ID"):
        create_connected("--client-secret", "33333333-3333-3333-3333-333333333333")
    assert not Tenant.objects.exists()


def test_it_refuses_a_duplicate_slug(db):
    run("create_tenant", "acme")

    with pytest.raises(CommandError, match="already exists"):
        run("create_tenant", "acme")


def test_it_makes_an_existing_user_the_tenant_admin(db):
    get_user_model().objects.create_user("alice", password="pw-alice-123")

    run("create_tenant", "acme", "--admin", "alice")

    assert Membership.objects.get().role == "admin"


def test_it_refuses_an_unknown_admin_user_and_creates_nothing(db):
    with pytest.raises(CommandError, match="No user 'bob'"):
        run("create_tenant", "acme", "--admin", "bob")
    assert not Tenant.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_sends_a_signed_sample_handoff_to_the_running_server(live_server):
    run("create_tenant", "acme")

    printed = run("send_test_handoff", "acme", "--channel", "email", "--base-url", live_server.url)

    assert "HTTP 202" in printed
    session = HandoffSession.objects.get()
    assert session.channel == "email"
    assert session.session_id.startswith("test-email-")


def test_it_explains_when_the_server_is_not_running(db):
    run("create_tenant", "acme")

    with pytest.raises(CommandError, match="Is the server running.*or pass --base-url"):
        run("send_test_handoff", "acme", "--channel", "sms", "--base-url", "http://127.0.0.1:9")


@pytest.mark.parametrize(
    "command",
    [
        ("send_test_handoff", "nobody", "--channel", "sms"),
        ("send_test_message", "nobody", "s", "Hi"),
    ],
)
def test_the_test_senders_name_an_unknown_tenant(db, command):
    with pytest.raises(CommandError, match="No tenant 'nobody': create it with manage.py create"):
        run(*command)

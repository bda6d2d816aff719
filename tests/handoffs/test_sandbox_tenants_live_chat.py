"""create_tenant --sandbox and the demo connect chats to the sandbox org's messaging channel."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dataverse_sandbox.messaging import channel as sandbox_channel
from dataverse_sandbox.models import Org
from handoffs.livechat import setup
from handoffs.models import DynamicsConnection, Tenant

pytestmark = pytest.mark.django_db


def test_it_connects_a_sandbox_tenants_chats_to_its_orgs_channel(settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8123"

    call_command("create_tenant", "tailspin", "--sandbox", stdout=io.StringIO())

    tenant = Tenant.objects.get(slug="tailspin")
    channel = setup.channel_for(tenant)
    org = Org.objects.get(slug="tailspin")
    sandbox = sandbox_channel.live_chat_fields(org)
    assert DynamicsConnection.objects.get(tenant=tenant).chat_target == "live_chat"
    assert channel.is_complete
    assert channel.webhook_url == f"http://127.0.0.1:8123/hooks/dynamics/{channel.channel_key}"
    assert sandbox["webhook_url"] == channel.webhook_url
    assert (str(channel.organization_id), str(channel.channel_id)) == (
        sandbox["org_id"],
        sandbox["channel_id"],
    )
    assert channel.base_url == sandbox["base_url"]
    assert channel.zone == "crm"


def test_it_gives_each_tenant_its_own_channel_key():
    for slug in ("one", "two"):
        call_command("create_tenant", slug, "--sandbox", stdout=io.StringIO())

    keys = {setup.channel_for(t).channel_key for t in Tenant.objects.all()}
    assert len(keys) == 2
    assert all(len(key) >= 32 and key.replace("-", "").replace("_", "").isalnum() for key in keys)


def test_it_seeds_the_demo_with_live_chat_once(settings):
    settings.DEBUG = True  # seed_demo is for development only
    call_command("seed_demo", stdout=io.StringIO())
    key = setup.channel_for(Tenant.objects.get(slug="demo")).channel_key

    call_command("seed_demo", stdout=io.StringIO())

    demo = Tenant.objects.get(slug="demo")
    assert setup.is_configured(demo)
    assert setup.channel_for(demo).channel_key == key
    assert DynamicsConnection.objects.get(tenant=demo).chat_target == "live_chat"
    assert sandbox_channel.live_chat_fields(Org.objects.get(slug="demo"))["webhook_url"].endswith(
        f"/hooks/dynamics/{key}"
    )

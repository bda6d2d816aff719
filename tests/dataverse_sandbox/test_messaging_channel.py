"""An org's Messaging API channel is a Dataverse row the Web API serves, set up by command."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from dataverse_sandbox import provisioning


def test_it_serves_the_channel_row_through_the_web_api(dataverse, live_chat, receiver):
    response = dataverse.get("msdyn_occustommessagingchannels")

    rows = response.json()["value"]
    assert response.status_code == 200
    assert len(rows) == 1
    row = rows[0]
    assert row["msdyn_occustommessagingchannelid"] == str(live_chat.record_id)
    assert row["msdyn_occustomchannelid"] == 192350005
    assert row["msdyn_webhookurl"] == receiver.url
    assert row["msdyn_appid"] == dataverse.fields["client_id"]
    assert row["msdyn_tenantid"] == dataverse.fields["azure_tenant_id"]
    assert row["_msdyn_liveworkstreamid_value"]


def test_it_limits_the_webhook_url_to_500_characters(dataverse, live_chat):
    path = f"msdyn_occustommessagingchannels({live_chat.record_id})"

    response = dataverse.patch(path, {"msdyn_webhookurl": "https://x.example/" + "a" * 500})

    assert response.status_code == 400
    assert "msdyn_webhookurl" in response.json()["error"]["message"]


def test_it_configures_the_channel_from_sandbox_create_org(db):
    out = io.StringIO()

    call_command(
        "sandbox_create_org",
        "fabrikam",
        "--base-url",
        "http://127.0.0.1:8102",
        "--live-chat-webhook-url",
        "http://127.0.0.1:8102/hooks/dynamics/abc",
        stdout=out,
    )

    fields = json.loads(out.getvalue())
    org = provisioning.Org.objects.get(slug="fabrikam")
    live = fields["live_chat"]
    assert live["base_url"] == "http://127.0.0.1:8102/sandbox/fabrikam/messaging"
    assert live["org_id"] == str(org.organization_id)
    assert live["scope"] == f"https://{org.organization_id.hex}-c.crm.dynamics.com/.default"
    assert live["webhook_url"] == "http://127.0.0.1:8102/hooks/dynamics/abc"
    assert live["client_id"] == fields["client_id"]
    assert fields["environment_url"] == "http://127.0.0.1:8102/sandbox/fabrikam"


def test_it_changes_the_webhook_url_when_run_again_and_keeps_one_channel(db):
    for url in ("http://a.example/hook", "http://b.example/hook"):
        call_command(
            "sandbox_create_org", "fabrikam", "--live-chat-webhook-url", url, stdout=io.StringIO()
        )
    out = io.StringIO()

    call_command("sandbox_live_chat", "fabrikam", stdout=out)

    live = json.loads(out.getvalue())
    assert live["webhook_url"] == "http://b.example/hook"
    org = provisioning.Org.objects.get(slug="fabrikam")
    assert len(provisioning.rows(org, "msdyn_occustommessagingchannel")) == 1


def test_it_leaves_the_connection_fields_alone_without_the_option(db):
    out = io.StringIO()

    call_command("sandbox_create_org", "fabrikam", stdout=out)

    assert "live_chat" not in json.loads(out.getvalue())


def test_it_refuses_a_channel_for_an_org_without_omnichannel(db):
    with pytest.raises(CommandError, match="no Omnichannel"):
        call_command(
            "sandbox_create_org",
            "plain",
            "--without-omnichannel",
            "--live-chat-webhook-url",
            "http://a.example/hook",
            stdout=io.StringIO(),
        )


def test_it_refuses_a_webhook_url_that_is_not_http(db):
    with pytest.raises(CommandError, match="must start with http"):
        call_command(
            "sandbox_create_org",
            "fabrikam",
            "--live-chat-webhook-url",
            "ftp://a.example/hook",
            stdout=io.StringIO(),
        )


def test_it_sets_and_checks_the_switches(db):
    call_command(
        "sandbox_create_org", "fabrikam", "--live-chat-webhook-url", "http://a.example",
        stdout=io.StringIO(),
    )  # fmt: skip
    out = io.StringIO()

    call_command(
        "sandbox_live_chat", "fabrikam", "--event-type", "event", "--key-case", "pascal", stdout=out
    )

    switches = json.loads(out.getvalue())["switches"]
    assert switches["event_type"] == "event"
    assert switches["key_case"] == "pascal"
    assert switches["audience"] == "client_id"
    with pytest.raises(CommandError):
        call_command("sandbox_live_chat", "fabrikam", "--webhook-attempts", "0")


def test_it_grants_an_older_orgs_full_role_the_channel_privileges(dataverse, org):
    provisioning.role_without(
        org, provisioning.FULL_ROLE, ["prvReadmsdyn_occustommessagingchannel"]
    )
    assert dataverse.get("msdyn_occustommessagingchannels").status_code == 403

    call_command(
        "sandbox_create_org", org.slug, "--live-chat-webhook-url", "http://a.example",
        stdout=io.StringIO(),
    )  # fmt: skip

    assert dataverse.get("msdyn_occustommessagingchannels").status_code == 200

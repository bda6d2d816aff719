"""manage.py connect_live_chat verifies the channel against the sandbox, then saves it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from dataverse_sandbox import provisioning
from dataverse_sandbox.messaging import channel as sandbox_channel
from handoffs.livechat import setup
from handoffs.models import DynamicsConnection
from tests.handoffs.livechat.sandbox import sandbox_live_chat

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def acme(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    return sandbox_live_chat(live_server.url)


def connect(*args: str) -> tuple[list[str], int]:
    out = io.StringIO()
    try:
        call_command("connect_live_chat", *args, stdout=out)
    except SystemExit as exc:
        return out.getvalue().splitlines(), int(exc.code)
    return out.getvalue().splitlines(), 0


def chat_target(acme) -> str:
    return DynamicsConnection.objects.get(tenant=acme.tenant).chat_target


def test_it_saves_a_working_channel_and_prints_its_webhook_url(acme):
    printed, status = connect(*acme.command_args())

    assert status == 0, "\n".join(printed)
    assert "[PASS] Token for the Messaging API (live chat)" in printed
    assert "[PASS] The messaging channel answers (organization ID, channel ID)" in printed
    assert "[PASS] The messaging channel is in a workstream" in printed
    assert "[PASS] The channel record names this app and this service's webhook" in printed
    url = setup.channel_for(acme.tenant).webhook_url
    assert json.loads(printed[-1]) == {"dynamics_webhook_url": url}
    assert url.startswith(f"{acme.base_url}/hooks/dynamics/")
    assert chat_target(acme) == "live_chat"
    assert setup.channel_for(acme.tenant).verified_at is not None


@pytest.mark.parametrize("code_in", ["errorCode", "title", "detail"])
def test_it_fails_a_channel_outside_any_workstream_and_saves_nothing(acme, code_in):
    sandbox_channel.configure(acme.org, error_code_in=code_in)
    sandbox_channel.unlink_workstream(acme.org)

    printed, status = connect(*acme.command_args())

    assert status == 1
    text = "\n".join(printed)
    assert "[FAIL] The messaging channel answers" in text
    assert "(30014)" in text
    assert "See: docs/troubleshooting.md#messaging_no_workstream" in text
    assert "[WARN] The messaging channel is in a workstream" in text
    assert "Nothing was saved." in text
    assert json.loads(printed[-1])["dynamics_webhook_url"]
    assert chat_target(acme) == "live_work_item"
    assert not setup.is_configured(acme.tenant)


def test_it_warns_when_the_channel_posts_elsewhere_and_exits_2(acme):
    sandbox_channel.configure(acme.org, webhook_url="https://elsewhere.example/hooks")

    printed, status = connect(*acme.command_args())

    assert status == 2
    assert "[WARN] The channel record names this app and this service's webhook" in printed
    assert chat_target(acme) == "live_chat"  # warnings only: saved


def test_it_fails_an_app_the_channel_record_does_not_name(acme):
    other = provisioning.add_app(acme.org, "Another app")
    args = [
        *acme.command_args(),
        "--azure-tenant-id", str(acme.org.azure_tenant_id),
        "--client-id", str(other.client_id),
        f"--client-secret={other.client_secret}",  # a secret may begin with -
        "--authority-host", f"{acme.base_url}/sandbox/{acme.org.slug}/login",
    ]  # fmt: skip

    printed, status = connect(*args)

    text = "\n".join(printed)
    assert status == 1
    assert "See: docs/troubleshooting.md#messaging_unauthorized" in text
    assert f"this service signs in as {other.client_id}" in text


def test_it_names_the_missing_app_options(acme):
    with pytest.raises(CommandError, match="--client-id, --client-secret"):
        call_command("connect_live_chat", *acme.command_args(), "--azure-tenant-id", "x")


def test_it_refuses_a_base_url_off_microsofts_messaging_host(acme, settings):
    settings.ALLOW_LOOPBACK_DYNAMICS_URLS = False
    args = acme.command_args()
    args[args.index("--base-url") + 1] = "https://m-example.evil.example"

    with pytest.raises(CommandError, match="Microsoft host"):
        call_command("connect_live_chat", *args)

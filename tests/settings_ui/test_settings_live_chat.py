"""The live-chat page: the webhook URL to paste, the values, and Save & verify against the org."""

from __future__ import annotations

import pytest

from handoffs.livechat import setup
from handoffs.models import DynamicsConnection, Tenant
from tests.handoffs.livechat.sandbox import sandbox_live_chat
from tests.settings_ui.conftest import member_client

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "own~app.Secret-Value-that-never-shows"


@pytest.fixture
def acme(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    return sandbox_live_chat(live_server.url)


@pytest.fixture
def tenant(acme) -> Tenant:
    return acme.tenant


@pytest.fixture
def page(tenant):
    return f"/t/{tenant.slug}/settings/live-chat/"


def form(acme, **changes) -> dict:
    return {**acme.options(), "app": "same", **changes}


def test_it_shows_the_webhook_url_and_offers_the_organization_id(acme, admin_client_, page):
    connection = DynamicsConnection.objects.get(tenant=acme.tenant)
    connection.last_verification = {"organization_id": str(acme.org.organization_id)}
    connection.save()

    html = admin_client_.get(page).content.decode()

    assert setup.channel_for(acme.tenant).webhook_url in html
    assert f'value="{acme.org.organization_id}"' in html


def test_it_saves_verified_values_and_makes_chats_live(acme, admin_client_, page):
    response = admin_client_.post(page, form(acme))

    assert response.status_code == 302
    assert setup.is_configured(acme.tenant)
    connection = DynamicsConnection.objects.get(tenant=acme.tenant)
    assert connection.chat_target == "live_chat"
    html = admin_client_.get(page).content.decode()
    assert "Live chat saved and verified" in html
    assert 'data-key="live_chat_channel"' in html


def test_it_saves_nothing_when_a_line_fails(acme, admin_client_, page):
    wrong = "00000000-0000-4000-8000-000000000000"

    response = admin_client_.post(page, form(acme, channel_id=wrong))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in html
    assert "messaging_channel_not_found" in html
    assert not setup.is_configured(acme.tenant)


def test_it_refuses_a_base_url_that_is_not_microsofts(acme, admin_client_, page, settings):
    settings.ALLOW_LOOPBACK_DYNAMICS_URLS = False

    response = admin_client_.post(page, form(acme))
    other = admin_client_.post(page, form(acme, base_url="https://m-x.evil.example"))

    assert "must be a Microsoft host" in other.content.decode()
    # A loopback stand-in is for development only.
    assert "The messaging base URL takes no port" in response.content.decode()
    assert not setup.is_configured(acme.tenant)


def test_it_refuses_a_base_url_of_another_organization(acme, admin_client_, page, settings):
    settings.ALLOW_LOOPBACK_DYNAMICS_URLS = False
    other_org = "11111111-2222-4333-8444-555555555555"
    base_url = f"https://m-{other_org}.eu.omnichannelengagementhub.com"

    html = admin_client_.post(page, form(acme, base_url=base_url)).content.decode()

    assert f"names organization {other_org}" in html


def test_it_never_shows_a_stored_secret(acme, admin_client_, page):
    app = {"azure_tenant_id": str(acme.org.azure_tenant_id), "client_secret": SECRET,
           "client_id": "44444444-3333-4222-8111-000000000000"}  # fmt: skip
    setup.configure(acme.tenant, own_app=True, **app)

    html = admin_client_.get(page).content.decode()

    assert SECRET not in html
    assert "leave blank to keep it" in html


def test_it_asks_for_the_secret_of_a_new_own_app(acme, admin_client_, page):
    own = {"app": "own", "azure_tenant_id": str(acme.org.azure_tenant_id),
           "client_id": "44444444-3333-4222-8111-000000000000"}  # fmt: skip

    html = admin_client_.post(page, form(acme, **own)).content.decode()

    assert "Paste the client secret&#x27;s Value" in html
    assert not setup.is_configured(acme.tenant)


def test_it_is_not_there_for_support_leads(acme, page):
    lead = member_client(acme.tenant, "lee", "lead")

    assert lead.get(page).status_code == 404


def test_it_refuses_live_chat_as_chat_target_before_the_channel_is_set_up(acme, admin_client_):
    defaults = f"/t/{acme.tenant.slug}/settings/defaults/"

    response = admin_client_.post(defaults, {"chat_target": "live_chat", "phone_lookup": "on"})

    assert "Set up the messaging channel under Live chat first" in response.content.decode()
    assert DynamicsConnection.objects.get(tenant=acme.tenant).chat_target == "live_work_item"

"""Secrets are encrypted at rest and survive key rotation."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from handoffs.models import DynamicsConnection, Tenant
from handoffs.tenancy import tenants

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def raw_column(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def connected(settings, db) -> Tenant:
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    tenant = tenants.create_tenant("acme")
    tenants.connect(
        tenant,
        azure_tenant_id="11111111-1111-1111-1111-111111111111",
        client_id="22222222-2222-2222-2222-222222222222",
        client_secret="s3cr3t~Value.ABC",
        environment_url="https://acme.crm.dynamics.com",
    )
    return tenant


def test_it_never_stores_secrets_in_plaintext(connected):
    stored_secret = raw_column("handoffs_dynamicsconnection", "client_secret")
    stored_webhook = raw_column("handoffs_tenant", "webhook_secret")

    assert "s3cr3t" not in stored_secret
    assert connected.webhook_secret not in stored_webhook
    assert DynamicsConnection.objects.get().client_secret == "s3cr3t~Value.ABC"


def test_it_rotates_every_secret_to_the_newest_key(connected, settings):
    webhook_secret = connected.webhook_secret
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    call_command("rotate_encryption_keys", stdout=__import__("io").StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert DynamicsConnection.objects.get().client_secret == "s3cr3t~Value.ABC"
    assert Tenant.objects.get().webhook_secret == webhook_secret


def test_it_still_reads_secrets_under_an_older_listed_key(connected, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    assert DynamicsConnection.objects.get().client_secret == "s3cr3t~Value.ABC"


def test_it_refuses_to_rotate_when_a_key_is_missing_and_changes_nothing(connected, settings):
    before = raw_column("handoffs_dynamicsconnection", "client_secret")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("rotate_encryption_keys")

    assert raw_column("handoffs_dynamicsconnection", "client_secret") == before


def test_it_encrypts_and_rotates_a_live_chat_apps_secret(connected, settings):
    from handoffs.livechat import setup
    from handoffs.models import LiveChatChannel

    setup.configure(connected, own_app=True, client_id="c", client_secret="live~chat.Secret")
    assert "live~chat" not in raw_column("handoffs_livechatchannel", "client_secret")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    call_command("rotate_encryption_keys", stdout=__import__("io").StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert LiveChatChannel.objects.get().client_secret == "live~chat.Secret"

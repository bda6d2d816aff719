"""A rotate form sent twice (reload, double click) rotates once; the old secret keeps its grace."""

from __future__ import annotations

import re

import pytest

from handoffs.models import Tenant

pytestmark = pytest.mark.django_db
URL = "/t/acme/settings/webhook/"


def rotate_form_token(client) -> str:
    page = client.get(URL).content.decode()
    return re.search(r'name="rotating" value="([^"]+)"', page).group(1)


def test_it_rotates_once_when_the_same_form_is_sent_twice(admin_client_, tenant):
    original = tenant.webhook_secret
    token = rotate_form_token(admin_client_)

    admin_client_.post(URL + "rotate/", {"rotating": token})
    first = Tenant.objects.get(pk=tenant.pk).webhook_secret
    response = admin_client_.post(URL + "rotate/", {"rotating": token}, follow=True)

    tenant.refresh_from_db()
    assert tenant.webhook_secret == first
    assert tenant.verifying_secrets() == [first, original]
    assert "Not rotated again" in response.content.decode()
    assert first not in response.content.decode()


def test_it_rotates_again_from_the_page_showing_the_new_secret(admin_client_, tenant):
    token = rotate_form_token(admin_client_)
    shown = admin_client_.post(URL + "rotate/", {"rotating": token}).content.decode()
    first = Tenant.objects.get(pk=tenant.pk).webhook_secret

    token_after = re.search(r'name="rotating" value="([^"]+)"', shown).group(1)
    admin_client_.post(URL + "rotate/", {"rotating": token_after})

    tenant.refresh_from_db()
    assert tenant.webhook_secret != first
    assert "ends the previous secret's grace period" in shown

"""Operators can read a tenant's live-chat channel in the admin, never its secret."""

from __future__ import annotations

from handoffs.livechat import setup
from handoffs.tenancy import tenants

SECRET = "own~app.Secret-Value-that-never-shows"


def test_it_lists_the_channel_without_its_secret(operator):
    tenant = tenants.create_tenant("acme", "Acme")
    channel = setup.configure(tenant, own_app=True, client_id="c", client_secret=SECRET)

    listing = operator.get("/admin/handoffs/livechatchannel/")
    detail = operator.get(f"/admin/handoffs/livechatchannel/{channel.pk}/change/")

    assert listing.status_code == detail.status_code == 200
    assert "Acme" in listing.content.decode()
    assert channel.channel_key in detail.content.decode()
    assert SECRET not in detail.content.decode()
    assert operator.get("/admin/handoffs/livechatchannel/add/").status_code == 403

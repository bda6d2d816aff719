"""The front page sends an admin to the connection form when it is missing or unverified."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
FORM = 'href="/t/acme/settings/connection/"'


def test_it_links_an_admin_to_connect_dynamics(admin_client_, tenant):
    html = admin_client_.get("/t/acme/").content.decode()

    assert "connect it</a>" in html
    assert FORM in html


def test_it_links_an_admin_to_verify_an_unverified_connection(admin_client_, connection):
    html = admin_client_.get("/t/acme/").content.decode()

    assert "Not verified yet" in html
    assert "verify it</a>" in html


def test_it_gives_a_lead_no_link_to_a_form_they_cannot_open(lead_client, connection):
    html = lead_client.get("/t/acme/").content.decode()

    assert "Not verified yet." in html
    assert FORM not in html

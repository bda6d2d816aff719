"""Outbound requests never follow a redirect, so an answer cannot steer them to another host."""

from __future__ import annotations

import responses

from handoffs.dynamics.transport import DoorHttpClient
from handoffs.outbound import http

METADATA = "http://169.254.169.254/latest/meta-data/"


def test_it_hands_back_a_callback_redirect_instead_of_following_it():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        receiver = mock.post(
            "https://hooks.opencx.example/cb", status=302, headers={"Location": METADATA}
        )
        inside = mock.get(METADATA, body="secret-role-credentials")
        mock.post(METADATA, body="secret-role-credentials")

        response, exchange = http.post_json(
            "redirect-test", "https://hooks.opencx.example/cb", b"{}", {}
        )

    assert response.status_code == exchange.status == 302
    assert receiver.call_count == 1
    assert inside.call_count == 0


def test_it_keeps_msals_token_request_from_following_a_redirect():
    token_url = "https://login.microsoftonline.com/contoso/oauth2/v2.0/token"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(token_url, status=307, headers={"Location": METADATA})
        inside = mock.post(METADATA, body="{}")

        response = DoorHttpClient(http.session_for("redirect-test-msal")).post(
            token_url, data={"grant_type": "client_credentials", "client_secret": "s3cret"}
        )

    assert response.status_code == 307
    assert inside.call_count == 0

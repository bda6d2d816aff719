"""Environment and authority URLs name exactly the Microsoft host the HTTP client will reach."""

from __future__ import annotations

import pytest
from django.test import override_settings

from handoffs.tenancy.connection_input import (
    ConnectionInputError,
    normalise_authority_host,
    normalise_environment_url,
)

pytestmark = pytest.mark.usefixtures("production_urls")


@pytest.fixture
def production_urls():
    with override_settings(ALLOW_LOOPBACK_DYNAMICS_URLS=False):
        yield


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254\\.crm.dynamics.com",  # requests connects to 169.254.169.254
        "https://evil.example\\.crm.dynamics.com",
        "https://evil.example%2f.crm.dynamics.com",
        "https://evil.example;.crm.dynamics.com",
        "https://a b.crm.dynamics.com",
        "https://contoso.crm.dynamics.com.",
    ],
)
def test_it_refuses_environment_hosts_a_client_would_read_differently(url):
    with pytest.raises(ConnectionInputError, match="must be a Microsoft host"):
        normalise_environment_url(url)


def test_it_refuses_an_authority_host_that_only_ends_like_microsofts():
    with pytest.raises(ConnectionInputError, match="must be a Microsoft host"):
        normalise_authority_host("https://evil-login.microsoftonline.com")


@pytest.mark.parametrize("url", ["https://[::1", "https://contoso.crm.dynamics.com:99999"])
def test_it_answers_a_malformed_url_with_a_fix_instead_of_crashing(url):
    with pytest.raises(
        ConnectionInputError, match="must be a URL like https://contoso.crm.dynamics.com"
    ):
        normalise_environment_url(url)


def test_it_still_normalises_a_real_environment_url():
    assert normalise_environment_url("contoso.crm4.dynamics.com/main.aspx") == (
        "https://contoso.crm4.dynamics.com"
    )
    assert normalise_authority_host("https://login.microsoftonline.us/") == (
        "https://login.microsoftonline.us"
    )

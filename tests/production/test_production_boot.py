"""The production configuration boots under gunicorn and serves pages, static files and webhooks.

Requests carry `X-Forwarded-Proto: https`, as the TLS-terminating proxy in front of it sends.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from urllib.parse import urlsplit

import pytest
import requests

from handoffs.channels import sample_handoff

HTTPS = {"X-Forwarded-Proto": "https"}


def signed(secret: str, message: bytes) -> dict[str, str]:
    """README "Webhook": v1=hex(HMAC-SHA256(secret, "<timestamp>." + message))."""
    timestamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + message, hashlib.sha256)
    return {
        **HTTPS,
        "X-OpenCX-Timestamp": timestamp,
        "X-OpenCX-Signature": "v1=" + digest.hexdigest(),
    }


@pytest.fixture(scope="module")
def tenant(deployment) -> dict:
    """`create_tenant` run as an operator would; its JSON (webhook URL and secret)."""
    return json.loads(deployment.manage("create_tenant", "boot", "--name", "Boot").stdout)


def test_it_passes_the_deploy_checks_with_its_database(deployment):
    result = deployment.manage("check", "--deploy", "--fail-level", "WARNING")

    assert "no issues" in result.stdout


def test_it_serves_the_sign_in_page_under_a_content_security_policy(deployment):
    page = requests.get(f"{deployment.base_url}/accounts/login/", headers=HTTPS, timeout=10)

    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    assert "Sign in" in page.text


def test_it_serves_the_stylesheet_the_page_links_under_its_hashed_name(deployment):
    page = requests.get(f"{deployment.base_url}/accounts/login/", headers=HTTPS, timeout=10)
    href = re.search(r'href="(/static/settings_ui/app\.[0-9a-f]{12}\.css)"', page.text)
    assert href is not None, "the page links no hashed stylesheet"

    css = requests.get(deployment.base_url + href.group(1), headers=HTTPS, timeout=10)

    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert "immutable" in css.headers["Cache-Control"]
    assert ".topbar" in css.text


def test_it_answers_the_health_probe_over_plain_http(deployment):
    response = requests.get(f"{deployment.base_url}/healthz", timeout=10)

    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_it_redirects_plain_http_pages_to_https(deployment):
    response = requests.get(
        f"{deployment.base_url}/accounts/login/", timeout=10, allow_redirects=False
    )

    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://127.0.0.1:")


def test_it_queues_a_signed_handoff_and_reports_its_status(deployment, tenant):
    body = json.dumps(sample_handoff("phone", "boot-1")).encode()
    path = urlsplit(tenant["webhook_url"]).path

    accepted = requests.post(
        deployment.base_url + path,
        data=body,
        headers={**signed(tenant["webhook_secret"], body), "Content-Type": "application/json"},
        timeout=10,
    )
    status = wait_for_status(deployment, f"{path}sessions/boot-1", tenant["webhook_secret"])

    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["status"] == "queued"
    # The worker ran it: with no Dynamics 365 connected, it waits as failed until replayed.
    assert status["status"] == "failed"
    assert status["error"]["code"] == "integration_not_configured"


def wait_for_status(deployment, path: str, secret: str) -> dict:
    """The signed status document, once the worker has finished the session (bounded poll)."""
    document: dict = {}
    for _ in range(100):
        response = requests.get(
            deployment.base_url + path, headers=signed(secret, path.encode()), timeout=10
        )
        assert response.status_code == 200, response.text
        document = response.json()
        if document["status"] in ("done", "failed"):
            return document
        time.sleep(0.2)
    pytest.fail(f"the session is still {document.get('status')}:\n{deployment.log()}")

"""The list pages by keyset on (received_at, id): stable, newest first, filters kept."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs

import pytest

from settings_ui.history.pages import PAGE_SIZE
from tests.settings_ui.history_helpers import at, make_session

URL = "/t/acme/sessions/"


@pytest.fixture
def many(tenant):
    start = at(1)
    # Two sessions per minute share a received_at, so the id must break ties.
    for i in range(PAGE_SIZE * 2 + 5):
        channel = "web" if i % 2 else "phone"
        make_session(
            tenant, f"s{i:03d}", channel=channel, received_at=start + timedelta(minutes=i // 2)
        )


def ids(response) -> list[str]:
    return [row.session.session_id for row in response.context["rows"]]


def follow(client, link: str):
    assert link.startswith("?")
    return client.get(URL, {k: v[0] for k, v in parse_qs(link[1:]).items()})


def test_it_walks_every_session_once_in_order(lead_client, many):
    seen: list[str] = []
    response = lead_client.get(URL)
    while True:
        seen += ids(response)
        if not response.context["older_link"]:
            break
        response = follow(lead_client, response.context["older_link"])

    expected = [f"s{i:03d}" for i in range(PAGE_SIZE * 2 + 5)]
    assert seen == list(reversed(expected))


def test_it_goes_back_to_the_same_newer_page(lead_client, many):
    first = lead_client.get(URL)
    second = follow(lead_client, first.context["older_link"])
    third = follow(lead_client, second.context["older_link"])

    back = follow(lead_client, third.context["newer_link"])

    assert ids(back) == ids(second)
    assert len(ids(third)) == 5


def test_it_keeps_the_filters_on_every_page(lead_client, many):
    first = lead_client.get(URL, {"channel": "web"})
    assert "channel=web" in first.context["older_link"]

    second = follow(lead_client, first.context["older_link"])

    assert {row.session.channel for row in second.context["rows"]} == {"web"}
    assert len(ids(first)) + len(ids(second)) == PAGE_SIZE + 2


@pytest.mark.parametrize(
    "cursor", ["'; drop table--", "99999999999999999999-1", "1-99999999999999999999"]
)
def test_it_shows_the_first_page_for_a_garbled_cursor(lead_client, many, cursor):
    response = lead_client.get(URL, {"after": cursor})

    assert response.status_code == 200
    assert ids(response)[0] == f"s{PAGE_SIZE * 2 + 4:03d}"

"""No disguised formula in the CSV export runs when the file is opened in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from settings_ui.history.export import safe_cell
from tests.settings_ui.history_helpers import at, make_session

URL = "/t/acme/sessions/export.csv"


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1+1",
        "-1+1",
        "@SUM(A1)",
        '|cmd /C calc"!A0',
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        "  =1+1",  # leading spaces, which spreadsheets may trim
        "\u00a0=1+1",  # no-break space
        "\u3000=1+1",  # ideographic space
        "\u200b=1+1",  # zero width space
        "\u200d\u2060=1+1",  # zero width joiner, word joiner
        "\ufeff=1+1",  # byte order mark
        "\u2028=1+1",  # line separator
        "\uff1d1+1",  # ＝ fullwidth equals sign
        "\uff0b1+1",  # ＋ fullwidth plus sign
        "\uff0d1+1",  # － fullwidth hyphen-minus
        "\uff20SUM(A1)",  # ＠ fullwidth commercial at
        "\uff5ccmd",  # ｜ fullwidth vertical line
        "\ufe66" + "1+1",  # ﹦ small equals sign
        " \u200b\uff1dHYPERLINK()",  # every disguise at once
    ],
)
def test_it_neutralises_text_that_would_run_as_a_formula(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    ["Maria Keller", "maria.keller@example.com", "CAS-01042-Z4Q8", "a=b", "  ", "", "\u200b"],
)
def test_it_leaves_ordinary_text_alone(text):
    assert safe_cell(text) == text


def test_it_leaves_numbers_as_numbers():
    assert safe_cell(-4.25) == "-4.25"
    assert safe_cell(None) == ""


def test_it_exports_a_disguised_formula_as_text(lead_client, tenant):
    disguised = '\u200b\uff1dHYPERLINK("http://evil.test","click")'
    make_session(tenant, "sess-1", customer={"name": disguised}, received_at=at(20))

    response = lead_client.get(URL)
    text = b"".join(response.streaming_content).decode()

    assert next(csv.DictReader(io.StringIO(text)))["customer_name"] == "'" + disguised

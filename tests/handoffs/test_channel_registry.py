"""The channel registry agrees with Microsoft's option values, the samples, the schema and docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from handoffs import channels
from handoffs.channels import CHANNELS
from handoffs.inbound.payload import validate
from handoffs.models import HandoffSession

# Copied from Microsoft's docs; a registry entry must match them.
# incident.caseorigincode (Origin): Phone 1, Email 2, Web 3.
# https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/incident
CASE_ORIGIN_OPTIONS = {"Phone": 1, "Email": 2, "Web": 3}
# msdyn_ocliveworkitem.msdyn_channel (msdyn_streamsource): Live chat, SMS, WhatsApp.
# https://learn.microsoft.com/en-us/dynamics365/customer-service/develop/reference/entities/msdyn_ocliveworkitem
STREAM_SOURCE_OPTIONS = {"Live chat": 192360000, "SMS": 192340000, "WhatsApp": 192300000}


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.code)
def test_it_uses_only_option_values_microsoft_defines(channel):
    assert channel.case_origin in CASE_ORIGIN_OPTIONS.values()
    if channel.chat:
        assert channel.stream_source in STREAM_SOURCE_OPTIONS.values()
    else:
        assert channel.stream_source is None


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.code)
def test_it_has_a_valid_sample_for_every_channel(channel):
    body = channels.sample_handoff(channel.code, "sample-check")

    assert validate(body)["channel"] == channel.code


def test_it_keeps_every_code_within_the_session_column():
    column = HandoffSession._meta.get_field("channel")

    assert column.max_length == channels.CODE_MAX_LENGTH
    assert all(len(c.code) <= column.max_length for c in CHANNELS)
    assert all(re.fullmatch(r"[a-z0-9_]+", c.code) for c in CHANNELS)


def test_it_gives_each_channel_its_own_label_and_colour():
    assert len({c.label for c in CHANNELS}) == len(CHANNELS)
    assert len({c.colour for c in CHANNELS}) == len(CHANNELS)


def test_it_documents_every_channel_for_dynamics_admins():
    text = (Path(settings.BASE_DIR) / "docs" / "conversations.md").read_text()
    rows = {m[0]: m[1] for m in re.findall(r"^\| [^|]*\(`(\w+)`\) \| ([^|]+) \|", text, re.M)}

    assert {code: label.strip() for code, label in rows.items()} == {
        c.code: c.label for c in CHANNELS
    }

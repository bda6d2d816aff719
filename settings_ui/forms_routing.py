"""Forms for defaults and routing, ticket properties and the webhook panel."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from handoffs import channels
from handoffs.livechat import setup
from handoffs.models import DynamicsConnection
from handoffs.outbound.policy import RefusedUrl, check_callback_url

GUID_MESSAGE = "Enter a GUID like 00000000-0000-0000-0000-000000000000 (copy it from Dynamics)."


class DefaultsForm(forms.ModelForm):
    """Priority, owner, queue, workstream, chat target and the customer fallback."""

    default_priority = forms.TypedChoiceField(
        label="Priority", coerce=int, required=False, empty_value=None
    )

    class Meta:
        model = DynamicsConnection
        fields = [
            "default_priority",
            "default_owner_id",
            "default_queue_id",
            "default_workstream_id",
            "chat_target",
            "phone_lookup",
            "fallback_customer_type",
            "fallback_customer_id",
        ]
        labels = {
            "default_owner_id": "Owner (user or team GUID)",
            "default_queue_id": "Queue (GUID)",
            "default_workstream_id": "Omnichannel workstream (GUID)",
            "chat_target": "Chats become",
            "phone_lookup": "Find customers without email by phone number",
            "fallback_customer_type": "Fallback customer type",
            "fallback_customer_id": "Fallback customer (GUID)",
        }
        help_texts = {
            "default_owner_id": "Leave blank to let Dynamics routing assign cases.",
            "default_queue_id": "Cases and conversations are added to this queue.",
            "default_workstream_id": f"Used for {channels.chat_labels()} conversations.",
            "chat_target": "Live chat needs the channel set up under Live chat; a conversation "
            "record or a case needs nothing more.",
            "fallback_customer_id": "Linked when a customer has no email and no phone match; "
            "leave blank to use one 'Anonymous OpenCX customer' contact.",
        }
        error_messages = {
            name: {"invalid": GUID_MESSAGE}
            for name in (
                "default_owner_id",
                "default_queue_id",
                "default_workstream_id",
                "fallback_customer_id",
            )
        }

    def __init__(self, *args: Any, priorities: dict[int, str], **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = [("", "Dynamics default")]
        choices += [
            (str(v), f"{v} - {label}" if label else str(v)) for v, label in priorities.items()
        ]
        self.fields["default_priority"].choices = choices
        # Django's "---------" says nothing; say what no fallback means.
        fallback = self.fields["fallback_customer_type"]
        fallback.choices = [("", "None (the anonymous contact)"), *fallback.choices[1:]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        live_chat = DynamicsConnection.ChatTarget.LIVE_CHAT
        if data.get("chat_target") == live_chat and not setup.is_configured(self.instance.tenant):
            self.add_error(
                "chat_target",
                "Set up the messaging channel under Live chat first (Save & verify there makes "
                "chats live chats).",
            )
        has_type = bool(data.get("fallback_customer_type"))
        has_id = bool(data.get("fallback_customer_id"))
        if has_id and not has_type:
            self.add_error(
                "fallback_customer_type", "Say whether the fallback is a contact or an account."
            )
        if has_type and not has_id:
            self.add_error(
                "fallback_customer_id", "Give the GUID of the fallback contact or account."
            )
        return data


class TicketPropertiesForm(forms.Form):
    """ticket_properties as a JSON object; checked against the org's columns by the caller."""

    ticket_properties = forms.CharField(
        label="Ticket properties (JSON object)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )

    def clean_ticket_properties(self) -> dict[str, Any]:
        text = (self.cleaned_data.get("ticket_properties") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"Not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
                'Write an object like {"casetypecode": 2}.',
                code="json",
            ) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(
                'Write a JSON object like {"casetypecode": 2}, not a list or a single value.',
                code="not_object",
            )
        return value

    def add_column_problems(self, problems: dict[str, str]) -> None:
        """Report each refused key on the field, keyed so the admin sees which one."""
        for key, problem in problems.items():
            self.add_error("ticket_properties", f"{key}: {problem}" if key else problem)


class CallbackForm(forms.Form):
    """Where the service reports a finished handoff back to OpenCX."""

    callback_url = forms.CharField(
        label="Callback URL",
        required=False,
        max_length=500,
        help_text="Optional. https only; receives the signed status document when a handoff "
        "is done or failed.",
    )
    case_updates_enabled = forms.BooleanField(
        label="Send case updates to OpenCX",
        required=False,
        help_text="When a rep resolves, cancels or reassigns a case made from a handoff, this "
        "URL receives a signed case.updated event within about a minute.",
    )

    def clean_callback_url(self) -> str:
        value = (self.cleaned_data.get("callback_url") or "").strip()
        if not value:
            return ""
        try:
            return check_callback_url(value)
        except RefusedUrl as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class TestHandoffForm(forms.Form):
    """Which channel's sample conversation to send."""

    channel = forms.ChoiceField(choices=channels.choices(), initial="phone")

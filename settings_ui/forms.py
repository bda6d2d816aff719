"""Forms for the integration settings. They own validation; views only route."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings

from handoffs.connection_input import (
    ConnectionInputError,
    looks_like_secret_id,
    normalise_authority_host,
    normalise_environment_url,
    normalise_guid,
)
from handoffs.models import DynamicsConnection
from settings_ui.callback_url import CallbackUrlError, check_callback_url

PASTE_THE_VALUE = (
    "This looks like the Secret ID (a GUID): paste the Value, not the Secret ID. Azure shows "
    "the Value only once, right after the secret is created; if you no longer have it, create "
    "a new client secret and copy its Value column."
)
GUID_MESSAGE = "Enter a GUID like 00000000-0000-0000-0000-000000000000 (copy it from Dynamics)."
DEFAULT_AUTHORITY = "https://login.microsoftonline.com"


def _input_error(exc: ConnectionInputError) -> forms.ValidationError:
    return forms.ValidationError(exc.message, code="invalid")


class ConnectionForm(forms.Form):
    """The Azure app registration's credentials and the Dynamics environment address."""

    azure_tenant_id = forms.CharField(
        label="Directory (tenant) ID",
        help_text="Azure portal → App registrations → your app → Overview.",
    )
    client_id = forms.CharField(
        label="Application (client) ID", help_text="On the same Overview page."
    )
    client_secret = forms.CharField(
        label="Client secret Value",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Certificates & secrets → the secret's Value column (not the Secret ID).",
    )
    secret_expires_on = forms.DateField(
        label="Secret expires on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Shown next to the secret in Azure; you get a warning 30 days ahead.",
    )
    environment_url = forms.CharField(
        label="Environment URL",
        help_text="Like https://contoso.crm.dynamics.com: no path, no trailing slash.",
    )
    authority_host = forms.CharField(
        label="Authority host (advanced)",
        required=False,
        help_text="Leave as is unless your tenant is in a sovereign cloud.",
    )

    def __init__(self, *args: Any, connection: DynamicsConnection | None = None, **kw: Any):
        if connection is not None and "initial" not in kw:
            kw["initial"] = {
                name: getattr(connection, name)
                for name in (
                    "azure_tenant_id",
                    "client_id",
                    "secret_expires_on",
                    "environment_url",
                    "authority_host",
                )
            }
        kw.setdefault("initial", {}).setdefault("authority_host", DEFAULT_AUTHORITY)
        super().__init__(*args, **kw)
        self.connection = connection
        # What normalisation changed, told to the admin so a silent fix never surprises.
        self.adjustments: list[str] = []
        if connection is not None and connection.client_secret:
            set_on = connection.client_secret_set_at
            when = f"set on {set_on:%Y-%m-%d}" if set_on else "set"
            self.fields[
                "client_secret"
            ].help_text = (
                f"A secret is {when}; leave blank to keep it, or paste a new Value to replace it."
            )

    def clean_azure_tenant_id(self) -> str:
        try:
            return normalise_guid(
                "azure_tenant_id", self.cleaned_data["azure_tenant_id"], "The Directory (tenant) ID"
            )
        except ConnectionInputError as exc:
            raise _input_error(exc) from None

    def clean_client_id(self) -> str:
        try:
            return normalise_guid(
                "client_id", self.cleaned_data["client_id"], "The Application (client) ID"
            )
        except ConnectionInputError as exc:
            raise _input_error(exc) from None

    def clean_client_secret(self) -> str:
        secret = self.cleaned_data.get("client_secret", "")
        if secret and looks_like_secret_id(secret):
            raise forms.ValidationError(PASTE_THE_VALUE, code="secret_id")
        if not secret and not (self.connection and self.connection.client_secret):
            raise forms.ValidationError(
                "Paste the client secret's Value (Certificates & secrets in the app registration).",
                code="required",
            )
        return secret

    def _normalised(self, name: str, normalise: Any, label: str) -> str:
        raw = (self.cleaned_data.get(name) or "").strip()
        try:
            value = normalise(raw)
        except ConnectionInputError as exc:
            raise _input_error(exc) from None
        if raw and value != raw:
            self.adjustments.append(f"{label} was changed from {raw} to {value}.")
        return value

    def clean_environment_url(self) -> str:
        return self._normalised("environment_url", normalise_environment_url, "The environment URL")

    def clean_authority_host(self) -> str:
        raw = self.cleaned_data.get("authority_host") or DEFAULT_AUTHORITY
        self.cleaned_data["authority_host"] = raw
        return self._normalised("authority_host", normalise_authority_host, "The authority host")

    def connection_fields(self) -> dict[str, Any]:
        """The cleaned values to store; a blank secret means 'keep the stored one'."""
        fields = dict(self.cleaned_data)
        if not fields.get("client_secret"):
            fields.pop("client_secret", None)
        return fields


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
            "default_workstream_id": "Used for web chat, SMS and WhatsApp conversations.",
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

    def clean(self) -> dict[str, Any]:
        data = super().clean()
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

    def clean_callback_url(self) -> str:
        value = (self.cleaned_data.get("callback_url") or "").strip()
        if not value:
            return ""
        try:
            return check_callback_url(value, production=not settings.DEBUG)
        except CallbackUrlError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

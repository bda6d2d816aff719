"""The Dynamics connection form: it owns normalising and checking the credentials."""

from __future__ import annotations

from typing import Any

from django import forms

from handoffs.models import DynamicsConnection
from handoffs.tenancy.connection_input import (
    ConnectionInputError,
    looks_like_secret_id,
    normalise_authority_host,
    normalise_environment_url,
    normalise_guid,
)

PASTE_THE_VALUE = (
    "This looks like the Secret ID (a GUID): paste the Value, not the Secret ID. Azure shows "
    "the Value only once, right after the secret is created; if you no longer have it, create "
    "a new client secret and copy its Value column."
)
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
        self.secret_dropped = False
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.connection is None or cleaned.get("client_secret"):
            return cleaned
        # The stored secret belongs to the stored app: with another app it can only fail.
        for name, label in (
            ("client_id", "Application (client) ID"),
            ("azure_tenant_id", "Directory (tenant) ID"),
        ):
            if name in cleaned and cleaned[name] != str(getattr(self.connection, name)):
                self.add_error(
                    "client_secret",
                    forms.ValidationError(
                        f"You changed the {label}: paste the client secret Value of that app "
                        "too. The stored secret belongs to the previous app.",
                        code="secret_for_other_app",
                    ),
                )
                break
        return cleaned

    def secret_not_kept(self) -> None:
        """After a refused Save & verify, say that a pasted Value must be pasted again."""
        if self.cleaned_data.get("client_secret"):
            self.secret_dropped = True
            self.fields["client_secret"].help_text = (
                "The Value you pasted was not saved, because the checklist failed: paste it "
                "again with your fix."
            )

    def connection_fields(self) -> dict[str, Any]:
        """The cleaned values to store; a blank secret means 'keep the stored one'."""
        fields = dict(self.cleaned_data)
        if not fields.get("client_secret"):
            fields.pop("client_secret", None)
        return fields

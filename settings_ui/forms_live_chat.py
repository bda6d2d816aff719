"""The live-chat channel form: it owns normalising and checking the channel's values."""

from __future__ import annotations

from typing import Any

from django import forms

from handoffs.livechat.channel_input import (
    ConnectionInputError,
    check_base_url_matches,
    normalise_app,
    normalise_app_id_uri,
    normalise_base_url,
    normalise_zone,
)
from handoffs.livechat.models import DEFAULT_AUTHORITY, LiveChatChannel
from handoffs.tenancy.connection_input import normalise_guid

SAME_APP, OWN_APP = "same", "own"
APP_FIELDS = ("azure_tenant_id", "client_id", "client_secret", "authority_host")


def _checked(normalise: Any, *args: Any) -> Any:
    try:
        return normalise(*args)
    except ConnectionInputError as exc:
        raise forms.ValidationError(exc.message, code="invalid") from None


class LiveChatForm(forms.Form):
    """Channel record values, and the Entra app that calls the Messaging API."""

    base_url = forms.CharField(
        label="Messaging base URL",
        help_text="https://m-<organization id>.<geo>.omnichannelengagementhub.com (the "
        "data-org-url of a chat widget snippet of this org).",
    )
    organization_id = forms.CharField(
        label="Organization ID",
        help_text="WhoAmI's OrganizationId, or Power Platform admin center → your environment → "
        "Details.",
    )
    channel_id = forms.CharField(
        label="Channel record ID",
        help_text="The id of the msdyn_occustommessagingchannel record you created.",
    )
    app = forms.ChoiceField(
        label="Entra app that calls the Messaging API",
        choices=[
            (SAME_APP, "Same app as the Dataverse connection"),
            (OWN_APP, "Its own app registration"),
        ],
        initial=SAME_APP,
        widget=forms.RadioSelect,
    )
    azure_tenant_id = forms.CharField(label="Directory (tenant) ID", required=False)
    client_id = forms.CharField(label="Application (client) ID", required=False)
    client_secret = forms.CharField(
        label="Client secret Value",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Certificates & secrets → the secret's Value column (not the Secret ID).",
    )
    authority_host = forms.CharField(
        label="Authority host", required=False, help_text="Sovereign clouds only."
    )
    zone = forms.CharField(
        label="Zone (advanced)",
        required=False,
        help_text="Leave blank: derived from the environment URL (crm4 for contoso.crm4."
        "dynamics.com). Needed only when the environment URL has no zone.",
    )
    app_id_uri = forms.CharField(
        label="Application ID URI (advanced)",
        required=False,
        help_text="Tokens Dynamics sends to the webhook may name it as their audience; "
        "api://<client id> is always accepted.",
    )

    def __init__(
        self, *args: Any, channel: LiveChatChannel, suggested_org_id: str = "", **kw: Any
    ) -> None:
        initial = {
            name: getattr(channel, name) or ""
            for name in ("base_url", "organization_id", "channel_id", "zone", "app_id_uri")
        }
        initial.update(
            app=OWN_APP if channel.own_app else SAME_APP,
            azure_tenant_id=channel.azure_tenant_id,
            client_id=channel.client_id,
            authority_host=channel.authority_host or DEFAULT_AUTHORITY,
        )
        if not initial["organization_id"] and suggested_org_id:
            initial["organization_id"] = suggested_org_id
        kw.setdefault("initial", initial)
        super().__init__(*args, **kw)
        self.channel = channel
        self.secret_dropped = False
        if channel.client_secret:
            set_on = channel.client_secret_set_at
            when = f"set on {set_on:%Y-%m-%d}" if set_on else "set"
            self.fields[
                "client_secret"
            ].help_text = (
                f"A secret is {when}; leave blank to keep it, or paste a new Value to replace it."
            )

    def clean_base_url(self) -> str:
        return _checked(normalise_base_url, self.cleaned_data["base_url"])

    def clean_organization_id(self) -> str:
        value = self.cleaned_data["organization_id"]
        return _checked(normalise_guid, "organization_id", value, "The organization ID")

    def clean_channel_id(self) -> str:
        value = self.cleaned_data["channel_id"]
        return _checked(normalise_guid, "channel_id", value, "The channel record ID")

    def clean_zone(self) -> str:
        return _checked(normalise_zone, self.cleaned_data.get("zone", ""))

    def clean_app_id_uri(self) -> str:
        return _checked(normalise_app_id_uri, self.cleaned_data.get("app_id_uri", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("base_url") and cleaned.get("organization_id"):
            try:
                check_base_url_matches(cleaned["base_url"], cleaned["organization_id"])
            except ConnectionInputError as exc:
                self.add_error("base_url", exc.message)
        if cleaned.get("app") == OWN_APP:
            self._clean_app(cleaned)
        return cleaned

    def _clean_app(self, cleaned: dict[str, Any]) -> None:
        same_app = self.channel.own_app and cleaned.get("client_id", "").strip() == str(
            self.channel.client_id
        )
        try:
            cleaned.update(
                normalise_app(cleaned, secret_stored=bool(same_app and self.channel.client_secret))
            )
        except ConnectionInputError as exc:
            self.add_error(exc.field, exc.message)

    def secret_not_kept(self) -> None:
        """After a refused Save & verify, say that a pasted Value must be pasted again."""
        if self.cleaned_data.get("client_secret"):
            self.secret_dropped = True

    def channel_fields(self) -> dict[str, Any]:
        """The cleaned values to store; a blank secret means 'keep the stored one'."""
        fields = {
            name: self.cleaned_data[name]
            for name in ("base_url", "organization_id", "channel_id", "zone", "app_id_uri")
        }
        fields["own_app"] = self.cleaned_data["app"] == OWN_APP
        if fields["own_app"]:
            fields.update({n: self.cleaned_data[n] for n in APP_FIELDS if self.cleaned_data.get(n)})
        return fields

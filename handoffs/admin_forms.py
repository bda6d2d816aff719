"""Admin forms: an operator's edit goes through the same checks as a tenant admin's."""

from __future__ import annotations

from collections.abc import Callable

from django import forms

from handoffs.models import DynamicsConnection
from handoffs.tenancy.connection_input import (
    ConnectionInputError,
    normalise_authority_host,
    normalise_environment_url,
    normalise_guid,
)


def _checked(normalise: Callable[[str], str], value: str) -> str:
    try:
        return normalise(value)
    except ConnectionInputError as exc:
        raise forms.ValidationError(exc.message, code="invalid") from None


class DynamicsConnectionAdminForm(forms.ModelForm):
    """The connection's ids and URLs, normalised; a URL the service must not call is refused."""

    class Meta:
        model = DynamicsConnection
        # The admin adds the other editable fields; the secret is never one of them.
        fields = ["azure_tenant_id", "client_id", "environment_url", "authority_host"]

    def clean_azure_tenant_id(self) -> str:
        value = self.cleaned_data["azure_tenant_id"]
        label = "The Directory (tenant) ID"
        return _checked(lambda v: normalise_guid("azure_tenant_id", v, label), value)

    def clean_client_id(self) -> str:
        value = self.cleaned_data["client_id"]
        label = "The Application (client) ID"
        return _checked(lambda v: normalise_guid("client_id", v, label), value)

    def clean_environment_url(self) -> str:
        return _checked(normalise_environment_url, self.cleaned_data["environment_url"])

    def clean_authority_host(self) -> str:
        return _checked(normalise_authority_host, self.cleaned_data["authority_host"])

"""Tenants, their people and their Dynamics connection."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from handoffs import channels
from handoffs.outbound import policy
from handoffs.tenancy.fields import EncryptedTextField


def new_webhook_key() -> str:
    return secrets.token_urlsafe(24)


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def validate_callback_url(value: str) -> None:
    """The outbound policy's verdict on a callback URL, for every form and the admin alike."""
    try:
        policy.check_callback_url(value)
    except policy.RefusedUrl as exc:
        raise ValidationError(str(exc), code="refused_url") from None


class Tenant(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    webhook_key = models.CharField(max_length=64, unique=True, default=new_webhook_key)
    webhook_secret = EncryptedTextField(default=new_webhook_secret)
    # After a rotation the previous secret keeps verifying until this moment.
    previous_webhook_secret = EncryptedTextField(blank=True, default="")
    previous_webhook_secret_until = models.DateTimeField(null=True, blank=True)
    webhook_secret_set_at = models.DateTimeField(default=timezone.now)
    callback_url = models.URLField(blank=True, max_length=500, validators=[validate_callback_url])
    # Tell OpenCX when a rep changes a case the service created (handoffs.caseupdates).
    case_updates_enabled = models.BooleanField(default=True)
    # When updates were (last) turned on: cases finished before are not reported afterwards.
    case_updates_since = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def verifying_secrets(self) -> list[str]:
        """The secrets a signature may be made with right now."""
        current = [self.webhook_secret]
        grace = self.previous_webhook_secret_until
        if self.previous_webhook_secret and grace and grace > timezone.now():
            current.append(self.previous_webhook_secret)
        return current

    @property
    def webhook_url(self) -> str:
        return f"{settings.PUBLIC_BASE_URL}/hooks/opencx/{self.webhook_key}/"

    @property
    def sends_case_updates(self) -> bool:
        """Case updates are on and there is somewhere to send them."""
        return bool(self.case_updates_enabled and self.callback_url)


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        LEAD = "lead", "Support lead"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LEAD)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant"], name="membership_unique_user_tenant")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.tenant}"


class DynamicsConnection(models.Model):
    class ChatTarget(models.TextChoices):
        # Set when the tenant configures its Contact Center messaging channel (handoffs.livechat).
        LIVE_CHAT = "live_chat", "Live chat a rep answers (Contact Center Messaging API)"
        LIVE_WORK_ITEM = "live_work_item", "Omnichannel conversation (live work item)"
        INCIDENT = "incident", "Case (incident), for orgs without Omnichannel"

    class FallbackType(models.TextChoices):
        CONTACT = "contact", "Contact"
        ACCOUNT = "account", "Account"

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="connection")
    azure_tenant_id = models.CharField("Directory (tenant) ID", max_length=64)
    client_id = models.CharField("Application (client) ID", max_length=64)
    client_secret = EncryptedTextField(blank=True, default="")
    client_secret_set_at = models.DateTimeField(null=True, blank=True)
    secret_expires_on = models.DateField(null=True, blank=True)
    environment_url = models.CharField(max_length=300)
    authority_host = models.CharField(max_length=300, default="https://login.microsoftonline.com")

    default_priority = models.PositiveIntegerField(null=True, blank=True)
    default_owner_id = models.UUIDField(null=True, blank=True)
    default_queue_id = models.UUIDField(null=True, blank=True)
    default_workstream_id = models.UUIDField(null=True, blank=True)
    chat_target = models.CharField(
        max_length=20, choices=ChatTarget.choices, default=ChatTarget.LIVE_WORK_ITEM
    )
    ticket_properties = models.JSONField(default=dict, blank=True)

    phone_lookup = models.BooleanField(default=True)
    fallback_customer_type = models.CharField(
        max_length=10, choices=FallbackType.choices, blank=True, default=""
    )
    fallback_customer_id = models.UUIDField(null=True, blank=True)
    # The per-tenant "Anonymous OpenCX customer" contact, created once when first needed.
    anonymous_contact_id = models.UUIDField(null=True, blank=True)

    verified_at = models.DateTimeField(null=True, blank=True)
    last_verification = models.JSONField(default=dict, blank=True)
    # Navigation names and text limits the org declares (handoffs.dynamics.schema), read when
    # the connection is verified; empty means Microsoft's documented defaults.
    dataverse_schema = models.JSONField(default=dict, blank=True)
    # An outage is a state of the tenant (handoffs.lifecycle.outage): after repeated transient
    # failures its handoffs wait without calling Dynamics, and one probe a minute checks it.
    transient_failures = models.PositiveIntegerField(default=0)
    unavailable_since = models.DateTimeField(null=True, blank=True)
    next_probe_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.tenant} → {self.environment_url}"

    def target_for(self, channel: str) -> str:
        """Where a handoff on `channel` is written: chats as conversations when configured."""
        from handoffs.models.sessions import HandoffSession

        chat = channels.get(channel)
        if chat is None or not chat.chat:
            return HandoffSession.Target.INCIDENT
        if self.chat_target == self.ChatTarget.LIVE_CHAT:
            return HandoffSession.Target.LIVE_CHAT
        if self.chat_target == self.ChatTarget.LIVE_WORK_ITEM:
            return HandoffSession.Target.LIVE_WORK_ITEM
        return HandoffSession.Target.INCIDENT

    def waiting_for_recovery(self) -> int:
        """Handoffs of this tenant waiting for its Dynamics to answer again."""
        from handoffs.models.sessions import HandoffSession

        waiting = (HandoffSession.Status.QUEUED, HandoffSession.Status.RETRYING)
        return HandoffSession.objects.filter(tenant_id=self.tenant_id, status__in=waiting).count()

    def remember_anonymous_contact(self, contact_id: str) -> None:
        """Keep the tenant's catch-all contact once it exists in Dynamics."""
        if str(self.anonymous_contact_id or "") == contact_id:
            return
        DynamicsConnection.objects.filter(pk=self.pk).update(anonymous_contact_id=contact_id)
        self.anonymous_contact_id = contact_id

    @property
    def is_complete(self) -> bool:
        return bool(
            self.azure_tenant_id and self.client_id and self.client_secret and self.environment_url
        )


class ContactLink(models.Model):
    """A customer's normalised email → their Dynamics contact, learned from earlier handoffs.

    A returning customer's case binds straight to the contact (no lookup); a link older than
    CONTACT_LINK_MAX_AGE is looked up again, so merges by reps are picked up, and a link
    Dataverse says is gone is forgotten at once.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="contact_links")
    email = models.CharField(max_length=254)
    contact_id = models.UUIDField()
    learned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "email"], name="contactlink_unique_email")
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.email} → {self.contact_id}"

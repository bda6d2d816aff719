"""Password change that counts wrong current passwords as the sign-in counts failed sign-ins.

Without it, someone holding a stolen session could guess the account's password here without
limit. The count is per user: whoever holds the session may change address at will.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from settings_ui import attempts
from settings_ui.attempts import Lockout


def lockout_message(lockout: Lockout) -> str:
    """What the form says while the current password may not be tried."""
    return (
        "Too many wrong current passwords. "
        f"{lockout.retry_hint}, or ask an operator to reset your password."
    )


def _key(user_pk: object) -> str:
    return f"password-change:{user_pk}"


class RateLimitedPasswordChangeForm(PasswordChangeForm):
    """Django's form, refusing to check the current password while the user is locked out."""

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.lockout: Lockout | None = None
        if self.is_bound:
            self.lockout = attempts.lockout_for(_key(user.pk))

    def clean_old_password(self) -> str:
        if self.lockout is not None:
            # Refused before the password is checked, so guessing on gains nothing.
            raise ValidationError(lockout_message(self.lockout), code="rate_limited")
        return super().clean_old_password()


class RateLimitedPasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change view with the failure limit of the sign-in."""

    form_class = RateLimitedPasswordChangeForm

    def form_invalid(self, form: RateLimitedPasswordChangeForm) -> HttpResponse:
        key = _key(self.request.user.pk)
        if form.lockout is None and form.has_error("old_password", "password_incorrect"):
            attempts.record_failure(key)
            lockout = attempts.lockout_for(key)
            if lockout is not None:
                form.add_error("old_password", lockout_message(lockout))
        response = super().form_invalid(form)
        if form.lockout is not None:
            response.status_code = 429
        return response

    def form_valid(self, form: RateLimitedPasswordChangeForm) -> HttpResponse:
        attempts.clear(_key(self.request.user.pk))
        return super().form_valid(form)

"""Forms for signing in, for two-factor set-up and verification, for typing the password
again, and for the details a user records about themself.

Each form checks its input against the user's own device or password, so the error
can say which field is wrong and what to do. Wrong codes are throttled by django-otp
(a wait that doubles after each failure); the wait is shown next to the field.
"""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit import save_audited
from safeguarding.models import Sex, User
from safeguarding.two_factor import normalise_recovery_code
from safeguarding.web.widgets import EmailInput, PasswordInput, TextInput

CODE_MISSING = "Enter the 6-digit code from your authenticator app"
CODE_MALFORMED = "Enter the 6-digit code from your authenticator app, using numbers only"
CODE_WRONG = (
    "The code is not right. Enter the code your authenticator app shows now; "
    "codes change every 30 seconds and each one works once"
)
RECOVERY_MISSING = "Enter one of your recovery codes"
RECOVERY_WRONG = "The recovery code is not right, or it has been used already"
REAUTH_MISSING = "Enter your password"
REAUTH_WRONG = "The password is not right"


def throttled_message(device: Device) -> str | None:
    """A message saying how long to wait, if django-otp is refusing codes for now."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return "Too many wrong codes in a row. Wait a moment, then try again"
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong codes in a row. Wait {seconds} {unit}, then try again"


def _code_input(**attrs: str) -> TextInput:
    """A box for a code: ten characters wide, never spell-checked."""
    return TextInput({"spellcheck": "false", **attrs}, chars=10)


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, labelled for email login and with autocomplete hints."""

    username = forms.EmailField(
        label="Email address",
        widget=EmailInput({"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=PasswordInput({"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account is inactive.",
    }


class TotpCodeForm(forms.Form):
    """A 6-digit code from the authenticator app, checked against `device`."""

    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code your authenticator app shows for Safeguarding records.",
        error_messages={"required": CODE_MISSING},
        widget=_code_input(autocomplete="one-time-code", inputmode="numeric", autocapitalize="off"),
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(CODE_MALFORMED, code="malformed")
        # Locked, so two requests at once cannot both use the same code; the errors are
        # raised after the block so that the failure count django-otp saved is kept.
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=self.device.pk)
            throttled = throttled_message(device)
            verified = not throttled and device.verify_token(code)
        if throttled:
            raise forms.ValidationError(throttled, code="throttled")
        if not verified:
            raise forms.ValidationError(CODE_WRONG, code="wrong")
        self.device = device
        return code


class RecoveryCodeForm(forms.Form):
    """A single-use recovery code: used up by a correct match."""

    code = forms.CharField(
        label="Recovery code",
        help_text="One of the 10 codes you saved when you set up two-factor authentication.",
        error_messages={"required": RECOVERY_MISSING},
        widget=_code_input(autocomplete="off", autocapitalize="off"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device: StaticDevice | None = None

    def clean_code(self) -> str:
        code = normalise_recovery_code(self.cleaned_data["code"])
        with transaction.atomic():
            device = (
                StaticDevice.objects.select_for_update()
                .filter(user=self.user, confirmed=True)
                .order_by("pk")
                .first()
            )
            throttled = device is not None and throttled_message(device)
            verified = device is not None and not throttled and device.verify_token(code)
        if throttled:
            raise forms.ValidationError(throttled, code="throttled")
        if not verified:
            raise forms.ValidationError(RECOVERY_WRONG, code="wrong")
        self.device = device
        return code


class ConfirmPasswordForm(forms.Form):
    """The signed-in user's password again. Failures count towards the account lockout,
    so a borrowed session cannot be used to guess the password."""

    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": REAUTH_MISSING},
        widget=PasswordInput({"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # django-axes needs the request, to count the failure against the account.
        confirmed = authenticate(self.request, username=self.user.email, password=password)
        if confirmed is None or confirmed.pk != self.user.pk:
            raise forms.ValidationError(REAUTH_WRONG, code="wrong")
        return password


class DetailsForm(forms.Form):
    """What a member of staff records about themself: their sex, which decides whose
    imagery they may view (002 §5.1)."""

    sex = forms.ChoiceField(
        label="Your sex",
        help_text="Imagery of a pupil may be viewed only by a member of staff of the same sex "
        "(002 §5.1). It is used for nothing else.",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose your sex.",
            "invalid_choice": "Choose female or male.",
        },
    )

    def save(self, user: User) -> User:
        """Save the answer on a fresh, locked copy of the account, so a change an
        operator made meanwhile (a new name, a deactivation) is not written over."""
        with transaction.atomic():
            current = User.objects.select_for_update().get(pk=user.pk)
            current.sex = self.cleaned_data["sex"]
            return save_audited(current, actor=current)

"""The signed-in user's own account: their details, two-factor set-up and
verification, recovery codes, and typing the password again before sensitive actions.

Who must use two-factor, and when the password must be recent, is decided in
`safeguarding.two_factor`; these views only let the user satisfy it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.models import Device

from safeguarding.accounts.forms import (
    ConfirmPasswordForm,
    DetailsForm,
    RecoveryCodeForm,
    TotpCodeForm,
)
from safeguarding.models import User
from safeguarding.two_factor import (
    RECOVERY_CODE_COUNT,
    confirmed_totp_device,
    is_verified,
    key_for_manual_entry,
    qr_code_svg,
    recent_authentication_required,
    record_password_confirmed,
    recovery_codes_left,
    recovery_codes_replace,
    redirect_with_next,
    safe_next_url,
    totp_device_confirm,
    totp_device_for_setup,
    two_factor_required,
)

# New recovery codes wait here between the POST that made them and the page that shows
# them, and are removed as they are shown: they appear once.
CODES_TO_SHOW = "recovery_codes_to_show"
FEW_CODES_LEFT = 3


def _mark_verified(request: HttpRequest, device: Device) -> None:
    """Record in the session that the second factor was proved with `device`.

    The session key changes, as at sign-in, because the session just gained access.
    """
    request.session.cycle_key()
    otp_login(request, device)


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the QR code (or type the key), then prove it
    works with a code; recovery codes are made and shown once. Never cached: the page
    holds the secret key."""
    user: User = request.user  # type: ignore[assignment]
    next_url = safe_next_url(request)
    if confirmed_totp_device(user) is not None:
        # Replacing an app goes through an operator, never through a password alone.
        if is_verified(request):
            messages.info(request, "Two-factor authentication is already set up.")
            return redirect(next_url)
        return redirect_with_next("account:two_factor_verify", next_url)
    device = totp_device_for_setup(user)
    form = TotpCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        totp_device_confirm(device=form.device)
        _mark_verified(request, form.device)
        request.session[CODES_TO_SHOW] = recovery_codes_replace(user=user)
        return redirect_with_next("account:recovery_codes", next_url)
    return render(
        request,
        "account/two_factor_setup.html",
        {
            "form": form,
            "qr_code": qr_code_svg(device, title="QR code to scan with your authenticator app"),
            "key": key_for_manual_entry(device),
            "required": two_factor_required(user),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": next_url,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app."""
    user: User = request.user  # type: ignore[assignment]
    next_url = safe_next_url(request)
    if is_verified(request):
        return redirect(next_url)
    device = confirmed_totp_device(user)
    if device is None:
        return redirect_with_next("account:two_factor_setup", next_url)
    form = TotpCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        _mark_verified(request, form.device)
        return redirect(next_url)
    return render(request, "account/two_factor_verify.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    """The second step of signing in without the app (a lost phone): a recovery code,
    used up by signing in with it."""
    user: User = request.user  # type: ignore[assignment]
    next_url = safe_next_url(request)
    if is_verified(request):
        return redirect(next_url)
    form = RecoveryCodeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid() and form.device is not None:
        _mark_verified(request, form.device)
        left = recovery_codes_left(user)
        unit = "code" if left == 1 else "codes"
        text = f"You signed in with a recovery code; it cannot be used again. {left} {unit} left."
        if left <= FEW_CODES_LEFT:
            text += " Make new recovery codes from the recovery codes page."
        messages.warning(request, text)
        return redirect(next_url)
    return render(request, "account/two_factor_recovery.html", {"form": form, "next": next_url})


@require_GET
@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, once; after that, how many are left and a way to replace them.
    Never cached, so the codes cannot be brought back with the browser's Back button."""
    user: User = request.user  # type: ignore[assignment]
    codes: list[str] = request.session.pop(CODES_TO_SHOW, None) or []
    return render(
        request,
        "account/recovery_codes.html",
        {
            "codes": [f"{code[:4]} {code[4:]}" for code in codes],
            "has_device": confirmed_totp_device(user) is not None,
            "left": 0 if codes else recovery_codes_left(user),
            "count": RECOVERY_CODE_COUNT,
            "minutes": settings.RECENT_AUTHENTICATION_MINUTES,
            "next": safe_next_url(request),
        },
    )


@require_POST
@login_required
@recent_authentication_required
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    """Replace every recovery code. Needs a recent password: whoever holds a session
    left open must not be able to mint codes that outlive it."""
    user: User = request.user  # type: ignore[assignment]
    if confirmed_totp_device(user) is None or not is_verified(request):
        return redirect("account:two_factor_setup")
    request.session[CODES_TO_SHOW] = recovery_codes_replace(user=user)
    messages.success(request, "New recovery codes made. The old ones no longer work.")
    return redirect("account:recovery_codes")


@require_http_methods(["GET", "POST"])
@login_required
def confirm_password(request: HttpRequest) -> HttpResponse:
    """Type the password again before signing or exporting (see
    `recent_authentication_required`). Wrong passwords count towards the lockout; a
    session that locks the account is signed out."""
    user: User = request.user  # type: ignore[assignment]
    form = ConfirmPasswordForm(request.POST or None, request=request, user=user)
    if request.method == "POST":
        if form.is_valid():
            record_password_confirmed(request)
            return redirect(safe_next_url(request))
        if getattr(request, "axes_locked_out", False):
            # django-axes's middleware answers with the lockout page.
            logout(request)
    return render(
        request,
        "account/confirm_password.html",
        {
            "form": form,
            "not_done": request.GET.get("not_done") == "1",
            "minutes": settings.RECENT_AUTHENTICATION_MINUTES,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def details(request: HttpRequest) -> HttpResponse:
    """Your details: your sex, recorded by you, so a viewing of imagery can be checked
    against the sex of the pupil pictured (002 §5.1)."""
    user: User = request.user  # type: ignore[assignment]
    write = request.method == "POST"
    form = DetailsForm(request.POST if write else None, initial={"sex": user.sex or None})
    if write and form.is_valid():
        form.save(user)
        messages.success(request, "Your details are saved.")
        return redirect("account:details")
    return render(request, "account/details.html", {"form": form})

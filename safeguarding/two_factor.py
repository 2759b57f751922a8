"""Two-factor authentication and recent re-authentication.

Everyone who can read or act on records about children (DSL, deputy DSL, headteacher,
trust safeguarding lead: `settings.TWO_FACTOR_ROLES`) and every superuser must prove a
second factor (a TOTP authenticator app, or a single-use recovery code) before any page
is served: a stolen or guessed password alone must never open a record. The middleware
enforces it; django-otp's `OTPMiddleware` (before it) says whether the session is
verified.

Signing and exporting are also guarded by `recent_authentication_required`: an
unattended, still signed-in browser must not be enough to sign off a decision or take a
school's records away, so the password must have been typed in the last
`RECENT_AUTHENTICATION_MINUTES`.
"""

from __future__ import annotations

import time
from base64 import b32encode
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree as ET

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.models import Membership, User

REAUTHENTICATED_AT_KEY = "password_confirmed_at"
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# URL names an unverified user may still open: otherwise they could never verify.
EXEMPT_URL_NAMES = (
    "login",
    "logout",
    "account:two_factor_setup",
    "account:two_factor_verify",
    "account:two_factor_recovery",
)

View = Callable[..., HttpResponse]


# --- Enforcing the second factor -----------------------------------------------------------


class TwoFactorRequiredMiddleware:
    """Sends a signed-in user who must use two-factor, and has not proved it in this
    session, to set it up (no authenticator app yet) or to enter a code.

    Costs nothing for a verified session and one query for an unverified one. A user
    who chose to set up an authenticator app is held to it as well, whatever their role:
    they would expect the second factor to protect their account.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # A signed-in user is a `User`; the anonymous one is not.
        if isinstance(user, User) and not is_verified(request) and not _is_exempt(request):
            required, has_device = _two_factor_state(user)
            if required or has_device:
                name = "account:two_factor_verify" if has_device else "account:two_factor_setup"
                return redirect_with_next(name, request.get_full_path())
        return self.get_response(request)


def is_verified(request: HttpRequest) -> bool:
    """Whether this session has proved a second factor (set by django-otp's middleware)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def _is_exempt(request: HttpRequest) -> bool:
    path = request.path_info
    if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
        return True
    return path in {reverse(name) for name in EXEMPT_URL_NAMES}


def _two_factor_state(user: User) -> tuple[bool, bool]:
    """(must use two-factor, has a confirmed authenticator app), in one query."""
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            holds_role=Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"),
                    revoked_at__isnull=True,
                    role__in=settings.TWO_FACTOR_ROLES,
                )
            ),
            has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .values_list("holds_role", "has_device")
        .first()
    )
    holds_role, has_device = row or (False, False)
    return bool(user.is_superuser or holds_role), bool(has_device)


def two_factor_required(user: User) -> bool:
    """Whether the user's roles (or superuser status) oblige them to use two-factor."""
    return _two_factor_state(user)[0]


def redirect_with_next(name: str, next_url: str, **extra: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_url, **extra})}")


def safe_next_url(request: HttpRequest, default: str = "home") -> str:
    """The `next` parameter if it is a local URL of this site, else the `default` page.

    Anything else (another host, a scheme, `//evil.example`) is ignored, so a crafted
    link cannot send someone elsewhere after they typed a code or password.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if (
        candidate.startswith("/")
        and not candidate.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return reverse(default)


# --- Devices: the authenticator app and the recovery codes ----------------------------------


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def totp_device_for_setup(user: User) -> TOTPDevice:
    """The unconfirmed device whose key the set-up page shows; the same one on every
    visit, so the QR code scanned earlier still matches when the code is typed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice) -> None:
    """The code matched: the device becomes the user's authenticator app, and any other
    half-finished set-up is dropped."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()


def recovery_codes_replace(*, user: User) -> list[str]:
    """Ten new single-use recovery codes; every earlier code stops working.

    The codes are returned to be shown once; django-otp keeps them to compare with.
    """
    with transaction.atomic():
        device = StaticDevice.objects.filter(user=user).order_by("pk").first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        device.throttle_reset()
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise_recovery_code(value: str) -> str:
    """Codes are shown as `abcd efgh`; accept them typed with or without the space,
    a hyphen, or in capitals."""
    return "".join(value.split()).replace("-", "").lower()


def key_for_manual_entry(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, as authenticator apps ask for it."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice, *, title: str) -> SafeString:
    """The device's `otpauth://` URL as an inline SVG QR code with an accessible name.

    Inline SVG markup passes the Content-Security-Policy (no `style` attributes, no
    image URL); the QR code is not a file a browser or proxy could cache.
    """
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.get_image()
    svg.set("role", "img")
    svg.set("aria-labelledby", "qr-code-title")
    svg.set("focusable", "false")
    title_element = ET.Element("title", id="qr-code-title")
    title_element.text = title
    svg.insert(0, title_element)
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 (built here, text escaped)


# --- Account lockout ------------------------------------------------------------------------


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account a sign-in attempt counts against, for django-axes
    (`AXES_USERNAME_CALLABLE`): the email address as the user model stores it.

    Sign-in ignores the case of the address, so the lockout must too; otherwise each
    way of writing it (`DSL@…`, `Dsl@…`) would get five more guesses.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field)
    if value is None:
        value = request.POST.get(field, "")
    return str(value).strip().lower()


# --- Recent re-authentication ---------------------------------------------------------------


def record_password_confirmed(request: HttpRequest) -> None:
    request.session[REAUTHENTICATED_AT_KEY] = time.time()


@receiver(user_logged_in, dispatch_uid="safeguarding.two_factor.password_confirmed_at_login")
def _password_confirmed_at_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        record_password_confirmed(request)


def password_recently_confirmed(request: HttpRequest) -> bool:
    """Whether the password was typed in this session within the last
    `RECENT_AUTHENTICATION_MINUTES`. A session without the mark fails closed."""
    confirmed_at = request.session.get(REAUTHENTICATED_AT_KEY)
    if not isinstance(confirmed_at, int | float):
        return False
    age = time.time() - confirmed_at
    return -60 <= age <= settings.RECENT_AUTHENTICATION_MINUTES * 60


def _return_to_after_stale_post(request: HttpRequest) -> str:
    """Where to send the user back after they confirm: the page the form was on (a
    POST-only address cannot be reopened), if it is a local page of this site."""
    referer = request.headers.get("referer", "")
    parts = urlsplit(referer)
    if parts.netloc == request.get_host() and parts.path.startswith("/"):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.path


def recent_authentication_required(view: View) -> View:
    """Asks for the password again before `view` runs if it was last typed too long ago.

    A stale POST is not carried out, and not silently dropped either: the confirm page
    says the action was not done and should be tried again.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if password_recently_confirmed(request):
            return view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            return redirect_with_next("account:confirm_password", request.get_full_path())
        return redirect_with_next(
            "account:confirm_password", _return_to_after_stale_post(request), not_done="1"
        )

    return wrapper

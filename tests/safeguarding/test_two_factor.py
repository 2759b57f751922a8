"""Two-factor authentication: who must use it, setting it up, codes and recovery codes."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.models import Membership
from safeguarding.services import membership_revoke
from safeguarding.two_factor import (
    TwoFactorRequiredMiddleware,
    recovery_codes_replace,
)

pytestmark = pytest.mark.django_db

SETUP = reverse("account:two_factor_setup")
VERIFY = reverse("account:two_factor_verify")
RECOVERY = reverse("account:two_factor_recovery")
CODES = reverse("account:recovery_codes")
HOME = reverse("home")


def code_now(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A 6-digit code that none of the accepted time steps (now, one before, one after) give."""
    accepted = set()
    for offset in (-1, 0, 1):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, drift=offset)
        accepted.add(f"{totp.token():06d}")
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)


def location(response) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query)


def stored_codes(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def device_for(user, **fields) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True, **fields)


# --- Who must use it ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["dsl", "deputy", "head", "trust_lead", "operator"])
def test_two_factor_roles_and_superusers_must_set_it_up(client, people, who):
    client.force_login_without_two_factor(getattr(people, who))
    response = client.get(HOME)
    assert response.status_code == 302
    assert location(response) == (SETUP, {"next": [HOME]})


@pytest.mark.parametrize("who", ["staff", "nobody"])
def test_staff_and_people_without_a_role_are_not_forced(client, people, who):
    client.force_login_without_two_factor(getattr(people, who))
    # Staff land on "Report a concern"; nobody is sent to the two-factor pages.
    response = client.get(HOME, follow=True)
    assert response.status_code == 200
    assert all("two-factor" not in url for url, _ in response.redirect_chain)


def test_a_revoked_role_no_longer_forces_two_factor(client, people):
    membership = Membership.objects.get(user=people.deputy, revoked_at__isnull=True)
    membership_revoke(membership=membership, revoked_by=people.operator)
    client.force_login_without_two_factor(people.deputy)
    assert client.get(HOME).status_code == 200


def test_a_dsl_with_an_authenticator_is_asked_for_a_code_keeping_next(client, people):
    device_for(people.dsl)
    client.force_login_without_two_factor(people.dsl)
    target = reverse("incidents:triage_policy", args=[people.school.pk]) + "?tab=1"
    response = client.get(target)
    assert response.status_code == 302
    assert location(response) == (VERIFY, {"next": [target]})


def test_staff_who_chose_to_set_it_up_are_held_to_it(client, people):
    device_for(people.staff)
    client.force_login_without_two_factor(people.staff)
    assert location(client.get(HOME))[0] == VERIFY


def test_the_superuser_must_verify_before_the_admin(client, people):
    client.force_login_without_two_factor(people.operator)
    response = client.get(reverse("admin:index"))
    assert location(response) == (SETUP, {"next": [reverse("admin:index")]})


def test_sign_out_and_the_two_factor_pages_stay_open_to_an_unverified_dsl(client, people):
    client.force_login_without_two_factor(people.dsl)
    assert client.get(SETUP).status_code == 200
    assert client.get(reverse("login")).status_code == 302  # signed in: sent on
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(HOME)["Location"].startswith(reverse("login"))


def test_static_files_are_not_held_back(people, rf):
    # WhiteNoise answers most of them before this middleware; it must not block the rest.
    middleware = TwoFactorRequiredMiddleware(lambda request: HttpResponse("file"))
    request = rf.get("/static/build/app.css")
    request.user = people.dsl
    request.user.is_verified = lambda: False
    assert middleware(request).status_code == 200
    request = rf.get("/statics/")
    request.user = people.dsl
    request.user.is_verified = lambda: False
    assert middleware(request).status_code == 302


def test_the_check_costs_one_query_and_none_once_verified(people, django_assert_num_queries):
    middleware = TwoFactorRequiredMiddleware(lambda request: HttpResponse("page"))
    request = RequestFactory().get(HOME)
    request.user = people.dsl
    request.user.is_verified = lambda: False
    with django_assert_num_queries(1):
        assert middleware(request).status_code == 302
    request.user.is_verified = lambda: True
    with django_assert_num_queries(0):
        assert middleware(request).status_code == 200


def test_the_check_costs_nothing_for_the_anonymous(rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    middleware = TwoFactorRequiredMiddleware(lambda request: HttpResponse("page"))
    request = rf.get(HOME)
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert middleware(request).status_code == 200


# --- Setting it up ---------------------------------------------------------------------------


def test_set_up_page_shows_an_inline_qr_code_and_the_key_in_groups(client, people):
    client.force_login_without_two_factor(people.dsl)
    response = client.get(SETUP)
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=people.dsl)
    assert not device.confirmed
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert svg is not None
    assert 'role="img"' in svg.group(0)
    assert "<title" in svg.group(0)
    assert "style=" not in page
    assert "<img" not in page
    key = re.search(r'id="two-factor-key"[^>]*>([A-Z2-7 ]+)<', page).group(1)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", key)
    # The same key on every visit, so a QR code scanned earlier still works.
    assert key in client.get(SETUP).content.decode()
    assert TOTPDevice.objects.filter(user=people.dsl).count() == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Code: Enter the 6-digit code from your authenticator app"),
        ("12ab56", "Code: Enter the 6-digit code from your authenticator app, using numbers only"),
        (None, "Code: The code is not right."),
    ],
)
def test_set_up_with_a_wrong_code_names_the_field_and_confirms_nothing(
    client, people, code, message
):
    client.force_login_without_two_factor(people.dsl)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=people.dsl)
    response = client.post(SETUP, {"code": wrong_code(device) if code is None else code})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Error: Set up two-factor authentication" in page
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=people.dsl).exists()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert location(client.get(HOME))[0] == SETUP


def test_set_up_with_the_right_code_verifies_and_shows_ten_recovery_codes_once(client, people):
    client.force_login_without_two_factor(people.dsl)
    client.get(SETUP + "?next=/schools/1/triage-policy/")
    device = TOTPDevice.objects.get(user=people.dsl)
    response = client.post(SETUP, {"code": code_now(device), "next": "/schools/1/triage-policy/"})
    assert location(response) == (CODES, {"next": ["/schools/1/triage-policy/"]})
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    codes_page = client.get(response["Location"])
    assert "no-store" in codes_page["Cache-Control"]
    page = codes_page.content.decode()
    shown = re.findall(r"<code[^>]*>([a-z2-7]{4} [a-z2-7]{4})</code>", page)
    assert len(shown) == 10
    stored = set(
        StaticToken.objects.filter(device__user=people.dsl).values_list("token", flat=True)
    )
    assert {code.replace(" ", "") for code in shown} == stored
    assert 'href="/schools/1/triage-policy/"' in page
    # Shown once: reloading says how many are left instead.
    again = client.get(CODES).content.decode()
    assert not re.findall(r"<code[^>]*>[a-z2-7]{4} [a-z2-7]{4}</code>", again)
    assert "You have 10 unused recovery codes" in again
    assert client.get(HOME).status_code == 200


def test_the_session_key_changes_when_the_second_factor_is_proved(client, people):
    client.force_login_without_two_factor(people.dsl)
    client.get(SETUP)
    before = client.session.session_key
    client.post(SETUP, {"code": code_now(TOTPDevice.objects.get(user=people.dsl))})
    assert client.session.session_key != before


def test_set_up_cannot_replace_a_confirmed_authenticator(client, people):
    device_for(people.dsl)
    client.force_login_without_two_factor(people.dsl)
    response = client.get(SETUP)
    assert location(response)[0] == VERIFY
    response = client.post(SETUP, {"code": "123456"})
    assert location(response)[0] == VERIFY
    assert TOTPDevice.objects.filter(user=people.dsl).count() == 1


def test_set_up_when_already_verified_goes_on(client, people):
    client.force_login(people.dsl)
    response = client.get(SETUP)
    assert location(response)[0] == HOME


# --- Signing in with a code ------------------------------------------------------------------


def test_verify_with_a_code_from_the_app(client, people):
    device = device_for(people.dsl)
    client.force_login_without_two_factor(people.dsl)
    target = reverse("incidents:triage_policy", args=[people.school.pk])
    response = client.post(VERIFY + "?next=" + target, {"code": code_now(device)})
    assert location(response) == (target, {})
    assert client.get(HOME).status_code == 200


def test_verify_with_a_wrong_code_names_the_field(client, people):
    device = device_for(people.dsl)
    client.force_login_without_two_factor(people.dsl)
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "Code: The code is not right" in response.content.decode()
    assert location(client.get(HOME))[0] == VERIFY
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_code_works_once(client, people):
    device = device_for(people.dsl)
    code = code_now(device)
    client.force_login_without_two_factor(people.dsl)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.force_login_without_two_factor(people.dsl)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "Code: The code is not right" in response.content.decode()


def test_verify_without_an_authenticator_goes_to_set_up(client, people):
    client.force_login_without_two_factor(people.dsl)
    assert location(client.get(VERIFY)) == (SETUP, {"next": [HOME]})


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_next_is_followed_only_to_a_local_page(client, people, next_url):
    device = device_for(people.dsl)
    client.force_login_without_two_factor(people.dsl)
    response = client.post(VERIFY, {"code": code_now(device), "next": next_url})
    assert response["Location"] == HOME


def test_throttled_codes_say_how_long_to_wait_and_are_refused(client, people):
    device = device_for(
        people.dsl, throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    client.force_login_without_two_factor(people.dsl)
    response = client.post(VERIFY, {"code": code_now(device)})
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"Code: Too many wrong codes in a row\. Wait 1[56] seconds", page)
    assert location(client.get(HOME))[0] == VERIFY


def test_repeated_wrong_codes_are_throttled(client, people):
    device = device_for(people.dsl)
    client.force_login_without_two_factor(people.dsl)
    client.post(VERIFY, {"code": wrong_code(device)})
    # Pretend the second try came straight after the first, whatever the machine's speed.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now())
    response = client.post(VERIFY, {"code": code_now(device)})
    assert "Too many wrong codes in a row" in response.content.decode()


def test_throttling_ends_after_the_wait(client, people):
    device = device_for(
        people.dsl,
        throttling_failure_count=3,
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=5),
    )
    client.force_login_without_two_factor(people.dsl)
    assert client.post(VERIFY, {"code": code_now(device)}).status_code == 302


# --- Recovery codes ---------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(client, people):
    device_for(people.dsl)
    codes = recovery_codes_replace(user=people.dsl)
    client.force_login_without_two_factor(people.dsl)
    # Typed as shown (with a space) and in capitals.
    typed = f"{codes[0][:4]} {codes[0][4:]}".upper()
    response = client.post(RECOVERY, {"code": typed})
    assert location(response)[0] == HOME
    assert client.get(HOME).status_code == 200
    assert StaticToken.objects.filter(device__user=people.dsl).count() == 9

    client.post(reverse("logout"))
    client.force_login_without_two_factor(people.dsl)
    response = client.post(RECOVERY, {"code": codes[0]})
    assert response.status_code == 200
    assert (
        "Recovery code: The recovery code is not right, or it has been used already"
        in response.content.decode()
    )
    assert location(client.get(HOME))[0] == VERIFY


def test_signing_in_with_a_recovery_code_says_how_many_are_left(client, people):
    device_for(people.dsl)
    codes = recovery_codes_replace(user=people.dsl)
    client.force_login_without_two_factor(people.dsl)
    page = client.post(RECOVERY, {"code": codes[3]}, follow=True).content.decode()
    assert "You signed in with a recovery code; it cannot be used again. 9 codes left." in page


def test_an_empty_recovery_code_names_the_field(client, people):
    device_for(people.dsl)
    client.force_login_without_two_factor(people.dsl)
    page = client.post(RECOVERY, {"code": ""}).content.decode()
    assert "Recovery code: Enter one of your recovery codes" in page


def test_another_persons_recovery_code_does_not_work(client, people):
    device_for(people.dsl)
    theirs = recovery_codes_replace(user=people.head)
    client.force_login_without_two_factor(people.dsl)
    assert client.post(RECOVERY, {"code": theirs[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=people.head).count() == 10


def test_recovery_codes_are_throttled_too(client, people):
    device_for(people.dsl)
    codes = recovery_codes_replace(user=people.dsl)
    StaticDevice.objects.filter(user=people.dsl).update(
        throttling_failure_count=4, throttling_failure_timestamp=timezone.now()
    )
    client.force_login_without_two_factor(people.dsl)
    page = client.post(RECOVERY, {"code": codes[0]}).content.decode()
    assert "Recovery code: Too many wrong codes in a row. Wait" in page
    assert StaticToken.objects.filter(device__user=people.dsl).count() == 10


def test_new_recovery_codes_replace_the_old_ones(client, people):
    client.force_login(people.dsl)
    old = set(recovery_codes_replace(user=people.dsl))
    response = client.post(reverse("account:recovery_codes_regenerate"))
    assert response["Location"] == CODES
    page = client.get(CODES).content.decode()
    shown = {c.replace(" ", "") for c in re.findall(r">([a-z2-7]{4} [a-z2-7]{4})<", page)}
    stored = set(
        StaticToken.objects.filter(device__user=people.dsl).values_list("token", flat=True)
    )
    assert len(shown) == 10
    assert shown == stored
    assert not shown & old
    assert "New recovery codes made" in page


def test_new_recovery_codes_need_an_authenticator(client, people):
    client.force_login_without_two_factor(people.staff)
    response = client.post(reverse("account:recovery_codes_regenerate"))
    assert response["Location"] == SETUP
    assert not StaticToken.objects.exists()

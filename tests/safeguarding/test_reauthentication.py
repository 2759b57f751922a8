"""Typing the password again before sensitive actions, and the idle timeout."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from safeguarding.two_factor import (
    REAUTHENTICATED_AT_KEY,
    recent_authentication_required,
    recovery_codes_replace,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CONFIRM = reverse("account:confirm_password")
REGENERATE = reverse("account:recovery_codes_regenerate")
CODES = reverse("account:recovery_codes")
LIMIT_SECONDS = settings.RECENT_AUTHENTICATION_MINUTES * 60


def location(response) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query)


def confirmed_ago(client, seconds: float) -> None:
    session = client.session
    session[REAUTHENTICATED_AT_KEY] = time.time() - seconds
    session.save()


# --- The decorator on its own -----------------------------------------------------------------

ran: list[str] = []


@recent_authentication_required
def sign_something(request: HttpRequest) -> HttpResponse:
    ran.append(request.method or "")
    return HttpResponse("signed")


def request_with_session(method: str, user, confirmed_at: float | None, **extra) -> HttpRequest:
    request = getattr(RequestFactory(), method)("/sign/?item=3", **extra)
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    if confirmed_at is not None:
        request.session[REAUTHENTICATED_AT_KEY] = confirmed_at
    request.user = user
    return request


@pytest.fixture(autouse=True)
def _clear_ran():
    ran.clear()


@pytest.mark.parametrize("age", [0, 60, LIMIT_SECONDS - 5])
def test_a_recent_password_passes(people, age):
    request = request_with_session("post", people.dsl, time.time() - age)
    assert sign_something(request).status_code == 200
    assert ran == ["POST"]


@pytest.mark.parametrize("confirmed_at", [None, "yesterday", -1.0, 0.0])
def test_no_or_a_nonsense_mark_counts_as_stale(people, confirmed_at):
    request = request_with_session("get", people.dsl, None)
    if confirmed_at is not None:
        request.session[REAUTHENTICATED_AT_KEY] = confirmed_at
    response = sign_something(request)
    assert location(response) == (CONFIRM, {"next": ["/sign/?item=3"]})
    assert ran == []


def test_a_mark_from_the_future_counts_as_stale(people):
    request = request_with_session("get", people.dsl, time.time() + 3600)
    assert sign_something(request).status_code == 302


def test_a_stale_get_is_sent_to_confirm_and_back(people):
    request = request_with_session("get", people.dsl, time.time() - LIMIT_SECONDS - 5)
    response = sign_something(request)
    assert location(response) == (CONFIRM, {"next": ["/sign/?item=3"]})
    assert ran == []


def test_a_stale_post_is_not_done_and_says_so(people):
    request = request_with_session(
        "post",
        people.dsl,
        time.time() - LIMIT_SECONDS - 5,
        HTTP_REFERER="http://testserver/incidents/7/sign-off/?tab=2",
    )
    response = sign_something(request)
    assert location(response) == (
        CONFIRM,
        {"next": ["/incidents/7/sign-off/?tab=2"], "not_done": ["1"]},
    )
    assert ran == []


def test_a_stale_post_from_another_site_returns_to_this_address(people):
    request = request_with_session(
        "post",
        people.dsl,
        time.time() - LIMIT_SECONDS - 5,
        HTTP_REFERER="https://evil.example/incidents/7/",
    )
    assert location(sign_something(request)) == (CONFIRM, {"next": ["/sign/"], "not_done": ["1"]})


def test_the_anonymous_are_sent_to_sign_in(people):
    request = request_with_session("get", AnonymousUser(), None)
    response = sign_something(request)
    assert response["Location"].startswith(reverse("login"))
    assert ran == []


# --- Through HTTP -----------------------------------------------------------------------------


def test_signing_in_marks_the_password_as_just_typed(client, people):
    client.post(reverse("login"), {"username": people.dsl.email, "password": PASSWORD})
    assert abs(client.session[REAUTHENTICATED_AT_KEY] - time.time()) < 60


def test_a_fresh_sign_in_passes(client, people):
    client.force_login(people.dsl)
    assert client.post(REGENERATE)["Location"] == CODES
    assert StaticToken.objects.filter(device__user=people.dsl).count() == 10


def test_a_stale_session_must_confirm_and_the_action_is_not_done(client, people):
    client.force_login(people.dsl)
    old = set(recovery_codes_replace(user=people.dsl))
    confirmed_ago(client, LIMIT_SECONDS + 60)
    response = client.post(REGENERATE, HTTP_REFERER="http://testserver" + CODES)
    assert location(response) == (CONFIRM, {"next": [CODES], "not_done": ["1"]})
    assert set(StaticToken.objects.values_list("token", flat=True)) == old

    page = " ".join(client.get(response["Location"]).content.decode().split())
    assert "What you asked for has not been done. Confirm your password, then try again." in page
    assert "Confirm your password" in page


@pytest.mark.parametrize(
    ("password", "message"),
    [("", "Password: Enter your password"), ("not it", "Password: The password is not right")],
)
def test_a_wrong_password_names_the_field(client, people, password, message):
    client.force_login(people.dsl)
    confirmed_ago(client, LIMIT_SECONDS + 60)
    response = client.post(CONFIRM + "?next=" + CODES, {"password": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert time.time() - client.session[REAUTHENTICATED_AT_KEY] > LIMIT_SECONDS


def test_the_right_password_returns_to_next_and_the_action_then_works(client, people):
    client.force_login(people.dsl)
    confirmed_ago(client, LIMIT_SECONDS + 60)
    response = client.post(CONFIRM + "?next=" + CODES + "&not_done=1", {"password": PASSWORD})
    assert response["Location"] == CODES
    assert abs(client.session[REAUTHENTICATED_AT_KEY] - time.time()) < 60
    assert client.post(REGENERATE)["Location"] == CODES


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "ftp://testserver/"],
)
def test_next_is_followed_only_to_a_local_page(client, people, next_url):
    client.force_login(people.dsl)
    response = client.post(CONFIRM, {"password": PASSWORD, "next": next_url})
    assert response["Location"] == reverse("home")


def test_confirming_needs_a_signed_in_user(client):
    assert client.get(CONFIRM)["Location"].startswith(reverse("login"))


def test_another_persons_password_does_not_confirm(client, people):
    client.force_login(people.dsl)
    confirmed_ago(client, LIMIT_SECONDS + 60)
    people.head.set_password("the headteacher's own password")
    people.head.save()
    response = client.post(CONFIRM, {"password": "the headteacher's own password"})
    assert "Password: The password is not right" in response.content.decode()


# --- Idle timeout -----------------------------------------------------------------------------


def test_idle_timeout_settings_are_in_force():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.RECENT_AUTHENTICATION_MINUTES == 10


def test_each_request_pushes_the_idle_timeout_back(client, people):
    client.force_login(people.dsl)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    client.get(reverse("home"))
    expires = Session.objects.get(pk=client.session.session_key).expire_date
    assert expires > timezone.now() + dt.timedelta(minutes=29)


def test_an_idle_session_is_signed_out(client, people):
    client.force_login(people.dsl)
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("login"))

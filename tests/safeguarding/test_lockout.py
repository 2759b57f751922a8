"""Account lockout (django-axes): 5 wrong passwords lock the account for 30 minutes."""

from __future__ import annotations

import io
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from safeguarding.two_factor import REAUTHENTICATED_AT_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
EMAIL = "dsl@riverside.example"


def sign_in(client, password: str, email: str = EMAIL, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def fail(client, times: int, email: str = EMAIL, **extra):
    return [sign_in(client, "not the password", email, **extra) for _ in range(times)]


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_defaults_are_five_failures_and_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


def test_four_failures_still_show_the_sign_in_form(client, people):
    responses = fail(client, 4)
    assert {r.status_code for r in responses} == {200}
    assert "Enter a correct email address and password." in responses[-1].content.decode()
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_fifth_failure_locks_the_account_with_a_clear_message(client, people):
    *_, fifth = fail(client, 5)
    assert fifth.status_code == 429
    page = " ".join(fifth.content.decode().split())
    assert "Your account is locked" in page
    assert EMAIL in page
    assert "the wrong password was entered 5 times in a row" in page
    assert "You can try again in 30 minutes" in page
    assert "Contact your school's designated safeguarding lead or your trust's system" in page
    assert "<title> Account locked" in page


def test_the_right_password_is_refused_while_locked(client, people):
    fail(client, 5)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert not is_signed_in(client)


def test_the_lock_holds_from_another_address_but_not_for_another_account(client, people):
    fail(client, 5, REMOTE_ADDR="10.0.0.1")
    assert sign_in(client, PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 429
    assert sign_in(client, PASSWORD, email="head@riverside.example").status_code == 302


def test_changing_the_case_of_the_email_does_not_reset_the_count(client, people):
    for variant in ("DSL@riverside.example", "Dsl@riverside.example", "dSl@riverside.example"):
        fail(client, 2, email=variant)
    assert sign_in(client, PASSWORD).status_code == 429


def test_lockout_username_ignores_case_and_spaces(client, people, settings):
    settings.AXES_USERNAME_CALLABLE = "safeguarding.two_factor.lockout_username"
    for variant in ("DSL@riverside.example", " Dsl@riverside.example", "dSl@riverside.example"):
        fail(client, 2, email=variant)
    assert sign_in(client, PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {EMAIL}


def test_axes_reset_username_unlocks_the_account(client, people):
    fail(client, 5)
    out = io.StringIO()
    call_command("axes_reset_username", EMAIL, stdout=out)
    assert "removed" in out.getvalue()
    assert sign_in(client, PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_a_success_before_the_limit_starts_the_count_again(client, people):
    fail(client, 4)
    assert sign_in(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert {r.status_code for r in fail(client, 4)} == {200}


def test_wrong_passwords_when_confirming_count_and_a_lock_signs_the_session_out(client, people):
    client.force_login(people.dsl)
    session = client.session
    session[REAUTHENTICATED_AT_KEY] = time.time() - 3600
    session.save()
    url = reverse("account:confirm_password")
    responses = [client.post(url, {"password": "not the password"}) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert "Your account is locked" in responses[-1].content.decode()
    assert not is_signed_in(client)
    assert sign_in(client, PASSWORD).status_code == 429

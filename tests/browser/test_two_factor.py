"""A new DSL sets up two-factor authentication in a real browser, later signs in with a
recovery code; the set-up, code and lockout pages pass axe-core."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from safeguarding.models import Role
from safeguarding.services import membership_grant
from tests.factories import PASSWORD, SchoolFactory, UserFactory

pytestmark = pytest.mark.browser

EMAIL = "new.dsl@riverside.example"


@pytest.fixture
def new_dsl(live_server):
    """A DSL whose account was just made: no authenticator app yet."""
    operator = UserFactory(email="operator@trust.example", is_superuser=True, is_staff=True)
    school = SchoolFactory(name="Riverside Academy", reference_prefix="RA")
    user = UserFactory(email=EMAIL, full_name="Nia Newcomer")
    membership_grant(user=user, school=school, role=Role.DSL, granted_by=operator)
    return user


def sign_in_with_password(page: Page, live_server, password: str = PASSWORD) -> None:
    page.goto(live_server.url + "/login/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def code_for_key(key_text: str) -> str:
    """What an authenticator app given the key typed from the page would show now."""
    key = base64.b32decode("".join(key_text.split()))
    return f"{TOTP(key).token():06d}"


def test_new_dsl_sets_up_two_factor_then_signs_in_with_a_recovery_code(
    page: Page, live_server, new_dsl, axe_violations
):
    sign_in_with_password(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert axe_violations(page) == []

    key_text = page.locator("#two-factor-key").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", key_text)
    page.get_by_label("Code", exact=True).fill(code_for_key(key_text))
    page.get_by_role("button", name="Confirm code").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    codes = page.get_by_role("list", name="Your recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z2-7]{4} [a-z2-7]{4}", code) for code in codes)
    assert axe_violations(page) == []
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your schools")
    schools = page.get_by_role("table", name="Schools and your role in each")
    expect(schools.get_by_role("row", name="Riverside Academy")).to_contain_text(
        "Designated safeguarding lead"
    )

    # Later, without the phone: sign in with a recovery code.
    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter a code from your authenticator app"
    )
    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Use a recovery code")
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your schools")
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "You signed in with a recovery code; it cannot be used again. 9 codes left."
    )

    # The same code a second time is refused, next to the field.
    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, live_server)
    page.get_by_role("link", name="Use a recovery code instead").click()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Recovery code: The recovery code is not right, or it has been used already"
    )
    assert axe_violations(page) == []


def test_code_page_with_an_error_is_accessible(page: Page, live_server, demo, axe_violations):
    from demo.data import DEMO_PASSWORD

    page.goto(live_server.url + "/login/")
    page.get_by_label("Email address").fill("head@riverside.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter a code from your authenticator app"
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Code: Enter the 6-digit code from your authenticator app"
    )
    page.get_by_role("link", name="Code: Enter the 6-digit code").click()
    expect(page.get_by_label("Code", exact=True)).to_be_focused()
    assert axe_violations(page) == []


def test_lockout_page_is_clear_and_accessible(page: Page, live_server, new_dsl, axe_violations):
    for _ in range(5):
        sign_in_with_password(page, live_server, password="not the password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")
    expect(page.get_by_role("main")).to_contain_text("You can try again in 30 minutes")
    assert axe_violations(page) == []

"""The demo DSL signs in with the printed demo login and code and sees their school."""

import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from demo.data import DEMO_PASSWORD, DEMO_TOTP_KEY, demo_totp_key_bytes

from .test_pupil_import import assert_fits_phone

pytestmark = pytest.mark.browser


def demo_code() -> str:
    """What `manage.py demo_code` prints: the current code for the published demo key."""
    return f"{TOTP(demo_totp_key_bytes()).token():06d}"


def test_demo_dsl_signs_in_and_sees_the_home_page(page: Page, live_server, demo, axe_violations):
    assert "dsl@riverside.example" in demo
    assert DEMO_PASSWORD in demo
    assert "manage.py demo_code" in demo
    assert DEMO_TOTP_KEY in demo

    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/login/?next=/")
    assert axe_violations(page) == []

    page.get_by_label("Email address").fill("dsl@riverside.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter a code from your authenticator app"
    )
    expect(page).to_have_url(live_server.url + "/account/two-factor/verify/?next=%2F")
    assert axe_violations(page) == []
    page.get_by_label("Code", exact=True).fill(demo_code())
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your schools")
    expect(page).to_have_url(live_server.url + "/")
    schools = page.get_by_role("table", name="Schools and your role in each")
    row = schools.get_by_role("row", name="Riverside Academy")
    expect(row).to_contain_text("Designated safeguarding lead")
    expect(page.get_by_role("row", name="Colegio")).to_have_count(0)
    assert axe_violations(page) == []
    # The open incidents' wide table scrolls in its own region on a phone.
    expect(page.get_by_role("region", name="Open incidents in your schools")).to_be_visible()
    assert_fits_phone(page, "the DSL's home page")


def test_keyboard_only_sign_in_with_skip_link(page: Page, live_server, demo):
    page.goto(live_server.url + "/login/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("dsl@riverside.example")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter a code from your authenticator app"
    )
    # The skip link's #main-content carries over the redirects, so the code page opens at
    # its main content: the next Tab reaches the code field.
    expect(page).to_have_url(re.compile(r"/account/two-factor/verify/.*#main-content$"))
    page.keyboard.press("Tab")
    expect(page.get_by_label("Code", exact=True)).to_be_focused()
    page.keyboard.type(demo_code())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your schools")


def test_wrong_password_shows_an_accessible_error(page: Page, live_server, demo, axe_violations):
    page.goto(live_server.url + "/login/")
    page.get_by_label("Email address").fill("dsl@riverside.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")
    assert axe_violations(page) == []

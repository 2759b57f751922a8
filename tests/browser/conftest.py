"""Real-browser tests: Debian's Chromium driven by Playwright, against pytest-django's
live server. They never download a browser; CI installs the `chromium` package."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

# The live server runs in a thread beside Playwright's event loop; Django's async-safety
# guard would otherwise refuse the ORM calls that the tests make to set up data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def axe_violations():
    """Run axe-core (WCAG 2.2 A and AA rules) in the page; returns the violations.

    The script is injected with `evaluate`, so it runs without loosening any
    Content-Security-Policy the page sends.
    """
    source = AXE.read_text()

    def check(page) -> list[dict]:
        page.evaluate(source)
        result = page.evaluate(
            """() => axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
        ]

    return check


@pytest.fixture
def demo(live_server, settings) -> str:
    """The demo data in the live server's database; returns what seed_demo printed."""
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    settings.DEBUG = False
    return out.getvalue()


def totp_code(device) -> str:
    """The code the user's authenticator app would show, as a person would type it.

    A code is accepted once, so if this device was already used in the current 30
    seconds, this is the next step's code, which the device accepts too (tolerance 1).
    """
    from django_otp.oath import TOTP

    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits).t()
    step = max(now + device.drift, device.last_t + 1)
    assert step <= now + device.drift + 1, "signed in too often in one minute"
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, step - now).token():06d}"


@pytest.fixture
def enter_code(page):
    """Complete the two-factor step with the user's authenticator app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def enter(email: str) -> None:
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        page.get_by_role("heading", name="Enter a code from your authenticator app").wait_for()
        page.get_by_label("Code", exact=True).fill(totp_code(device))
        page.get_by_role("button", name="Continue").click()

    return enter


@pytest.fixture
def sign_in(page, live_server, enter_code):
    """Sign in through the sign-in page as a demo account, with the two-factor code when
    the account has an authenticator (every demo account whose role needs one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from demo.data import DEMO_PASSWORD

    def as_user(email: str, *, lands_on: str = "Your schools") -> None:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        if TOTPDevice.objects.filter(user__email=email, confirmed=True).exists():
            enter_code(email)
        page.get_by_role("heading", name=lands_on).wait_for()

    return as_user

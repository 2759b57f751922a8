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


@pytest.fixture
def sign_in(page, live_server):
    """Sign in through the sign-in page as a demo account."""
    from safeguarding.demo_data import DEMO_PASSWORD

    def as_user(email: str) -> None:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Your schools").wait_for()

    return as_user

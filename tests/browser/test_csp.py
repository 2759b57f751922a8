"""The Content-Security-Policy holds in a real browser: nothing on the page is refused."""

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_login_page_runs_under_the_policy_without_violations(page: Page, live_server):
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(live_server.url + "/login/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    # The module script ran (GOV.UK Frontend initialised): scripts are allowed from 'self'.
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    assert refused == []

"""Security headers and cookies on every response, and templates the CSP can serve."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("url_name", ["login", "home"])
def test_content_security_policy_is_self_only(client, people, url_name):
    client.force_login(people.dsl)
    csp = directives(client.get(reverse(url_name)))
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert not any("unsafe" in value for values in csp.values() for value in values)


def test_other_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_httponly_and_samesite(client, people):
    from tests.factories import PASSWORD

    client.get(reverse("login"))
    client.post(reverse("login"), {"username": people.staff.email, "password": PASSWORD})
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


def test_production_cookies_are_secure_and_hsts_is_on():
    # The test settings relax only these for plain HTTP; production's values are checked
    # by test_settings.test_deploy_checks_are_clean_with_production_settings.
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(path):
    text = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert "<style" not in text, "inline <style>"
    assert not re.search(r"\sstyle=", text), "style attribute"
    assert not re.search(r"\son[a-z]+=", text), "inline event handler"

"""Production settings refuse unsafe configurations, and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_django(args, **env):
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "DJANGO_DEBUG",
            "DJANGO_TESTING",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean_env.update(env, DJANGO_SETTINGS_MODULE="safeguarding.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_django(["check"], ALLOWED_HOSTS="records.example.org")
    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django(["check"], SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_misspelt_boolean_is_an_error_not_a_default():
    result = run_django(["check"], DJANGO_DEBUG="ture")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_deploy_checks_are_clean_with_production_settings():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY="a-long-random-production-secret-key-for-the-deploy-check-0123456789",
        ALLOWED_HOSTS="records.example.org",
        SITE_URL="https://records.example.org",
        DEFAULT_FROM_EMAIL="safeguarding@records.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_the_site_address():
    """Links in emails are built from SITE_URL; a guessed one would send staff elsewhere."""
    result = run_django(["check"], SECRET_KEY="x" * 60, ALLOWED_HOSTS="records.example.org")
    assert result.returncode != 0
    assert "Set the environment variable SITE_URL" in result.stderr


def test_migration_check_runs_without_production_secrets():
    """makemigrations signs and serves nothing, so CI's plain `makemigrations --check`
    runs with production settings and no secrets; other commands still refuse."""
    result = run_django(["makemigrations", "--check", "--dry-run"])
    assert result.returncode == 0, result.stderr + result.stdout
    assert "No changes detected" in result.stdout


def test_development_mode_starts_without_a_secret():
    result = run_django(["check"], DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_settings_in_force_for_production():
    from django.conf import settings

    # The test settings relax only what plain HTTP needs; these stay as in production.
    assert settings.DATABASES["default"]["ATOMIC_REQUESTS"] is True
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.USE_TZ is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.X_FRAME_OPTIONS == "DENY"

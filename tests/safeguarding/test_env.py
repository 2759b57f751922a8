import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from safeguarding.env import env_bool, env_int, env_list, env_str


def test_env_str_required_and_default(monkeypatch):
    monkeypatch.delenv("SG_TEST", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SG_TEST"):
        env_str("SG_TEST")
    assert env_str("SG_TEST", default="fallback") == "fallback"
    monkeypatch.setenv("SG_TEST", "set")
    assert env_str("SG_TEST") == "set"


@pytest.mark.parametrize(
    ("raw", "value"), [("true", True), ("YES", True), ("0", False), ("off", False)]
)
def test_env_bool_parses(monkeypatch, raw, value):
    monkeypatch.setenv("SG_TEST", raw)
    assert env_bool("SG_TEST", default=not value) is value


def test_env_bool_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("SG_TEST", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SG_TEST must be true or false"):
        env_bool("SG_TEST", default=False)


def test_env_int(monkeypatch):
    monkeypatch.setenv("SG_TEST", "30")
    assert env_int("SG_TEST", 5) == 30
    monkeypatch.setenv("SG_TEST", "thirty")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("SG_TEST", 5)
    monkeypatch.delenv("SG_TEST")
    assert env_int("SG_TEST", 5) == 5


def test_env_list(monkeypatch):
    monkeypatch.setenv("SG_TEST", " a.example , ,b.example")
    assert env_list("SG_TEST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("SG_TEST", " ")
    assert env_list("SG_TEST", ["d"]) == ["d"]


@pytest.mark.parametrize(("raw", "refused"), [("0", True), ("-2", True), ("3", False)])
def test_settings_want_at_least_one_pdf_worker(raw, refused):
    """Loaded in a fresh process: the settings module reads the environment once."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import safeguarding.settings as s; print(s.PDF_WORKERS)"],
        env={**os.environ, "DJANGO_TESTING": "true", "PDF_WORKERS": raw},
        capture_output=True,
        text=True,
        check=False,
    )
    if refused:
        assert loaded.returncode != 0
        assert f"PDF_WORKERS must be 1 or more, not {raw}." in loaded.stderr
    else:
        assert loaded.returncode == 0, loaded.stderr
        assert loaded.stdout.strip() == raw

"""The suite stops before any test, with one line, when a system package is missing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from safeguarding import system_packages
from safeguarding.system_packages import Package
from tests import conftest

POPPLER = Package("poppler-utils", "poppler-utils", "poppler", "PDF tests", lambda: False)


def test_a_missing_package_stops_the_run_naming_it_and_its_install_command(monkeypatch):
    monkeypatch.setattr(system_packages, "missing", lambda: [POPPLER])
    with pytest.raises(pytest.UsageError) as raised:
        conftest.pytest_configure(SimpleNamespace())
    message = str(raised.value)
    assert "poppler-utils" in message
    assert "apt-get install" in message
    assert "\n" not in message


def test_nothing_missing_lets_the_run_go_on(monkeypatch):
    monkeypatch.setattr(system_packages, "missing", lambda: [])
    conftest.pytest_configure(SimpleNamespace())


def test_xdist_workers_leave_the_check_to_the_controller(monkeypatch):
    """The controller checked before starting them; a worker would only repeat it."""
    monkeypatch.setattr(system_packages, "missing", lambda: pytest.fail("checked again"))
    conftest.pytest_configure(SimpleNamespace(workerinput={"workerid": "gw0"}))

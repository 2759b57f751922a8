"""The check `make install` runs first: what it says when a system package is missing,
and that as root on Debian it installs the missing ones and checks again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from safeguarding import system_packages
from safeguarding.system_packages import PACKAGES, Package, check


def fake(debian: str, *, present: bool, why: str = "tests") -> Package:
    return Package(debian, f"{debian}-fedora", debian, why, lambda: present)


def test_nothing_to_say_when_everything_is_present() -> None:
    packages = [fake("chromium", present=True), fake("poppler-utils", present=True)]
    assert check(packages=packages, is_root=lambda: False) is None


def test_a_missing_browser_is_named_with_the_command_that_installs_it() -> None:
    packages = [fake("chromium", present=False, why="browser tests"), fake("npm", present=True)]
    line = check(packages=packages, is_root=lambda: False)
    assert line is not None
    assert "\n" not in line
    assert line.startswith("Missing system packages: chromium (for browser tests).")
    assert "sudo apt-get install -y chromium;" in line
    assert "sudo dnf install -y chromium-fedora;" in line
    assert "brew install chromium" in line
    assert "npm" not in line


def test_as_root_it_installs_with_apt_get_then_checks_again(monkeypatch) -> None:
    installed: set[str] = set()
    packages = [
        Package(
            "chromium", "chromium", "chromium", "browser tests", lambda: "chromium" in installed
        ),
        fake("npm", present=True),
    ]
    commands: list[list[str]] = []

    def run(argv: list[str]) -> None:
        commands.append(argv)
        if argv[1] == "install":
            installed.update(argv[5:])

    monkeypatch.setattr(system_packages.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert check(packages=packages, is_root=lambda: True, run=run) is None
    assert commands == [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
    ]


def test_as_root_what_apt_get_could_not_install_is_still_named(monkeypatch) -> None:
    monkeypatch.setattr(system_packages.shutil, "which", lambda name: f"/usr/bin/{name}")
    packages = [fake("poppler-utils", present=False, why="PDF tests")]
    line = check(packages=packages, is_root=lambda: True, run=lambda argv: None)
    assert line is not None and "poppler-utils (for PDF tests)" in line


def test_the_browser_probe_follows_chromium_path(monkeypatch, tmp_path: Path) -> None:
    chromium = next(p for p in PACKAGES if p.debian == "chromium")
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "absent"))
    assert not chromium.present()
    (tmp_path / "chromium").write_text("")
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "chromium"))
    assert chromium.present()


def test_the_script_runs_on_the_system_python_without_django() -> None:
    """`make install` runs it before the virtual environment exists."""
    script = Path(system_packages.__file__)
    out = subprocess.run(
        [sys.executable, "-I", str(script), "debian"], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == list(dict.fromkeys(p.debian for p in PACKAGES))
    usage = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True)
    assert usage.returncode == 2 and "usage:" in usage.stderr


def test_homebrew_casks_and_formulae_are_one_command_each() -> None:
    absent = [
        Package("chromium", "chromium", "--cask chromium", "browser tests", lambda: False),
        Package(
            "fonts-dejavu-core", "dejavu-sans-fonts", "--cask font-dejavu", "fonts", lambda: False
        ),
        Package("libpango-1.0-0", "pango", "pango", "WeasyPrint", lambda: False),
        Package("libpangoft2-1.0-0", "pango", "pango", "WeasyPrint", lambda: False),
    ]
    line = system_packages.advice(absent)
    assert line.endswith("macOS: brew install pango; brew install --cask chromium font-dejavu")
    assert "sudo dnf install -y chromium dejavu-sans-fonts pango;" in line

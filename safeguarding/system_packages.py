"""The system packages the project needs, named in one place, and a check of them.

`make install` (and so `make run` and `make test`) and `.ci/run` run this file with the
system's Python before any virtual environment exists, so it uses the standard library
only. On Debian or Ubuntu as root it installs what is missing with apt-get; anywhere
else it stops with one line naming the missing packages and the command that installs
them, instead of letting the test suite fail later with errors about a browser or
`pdftotext` that say nothing about what to install.

    python3 safeguarding/system_packages.py check    # install or name what is missing
    python3 safeguarding/system_packages.py debian   # the Debian package names
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "~/Library/Fonts")


def _command(*names: str) -> Callable[[], bool]:
    return lambda: all(shutil.which(name) for name in names)


def _library(name: str) -> Callable[[], bool]:
    return lambda: ctypes.util.find_library(name) is not None


def _chromium() -> bool:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return Path(configured).is_file()
    return shutil.which("chromium") is not None


def _dejavu() -> bool:
    return any(
        next(Path(folder).expanduser().rglob("DejaVuSans.ttf"), None) is not None
        for folder in FONT_DIRS
        if Path(folder).expanduser().is_dir()
    )


@dataclass(frozen=True)
class Package:
    """One thing the project needs from the system, by its name on each platform."""

    debian: str
    fedora: str
    homebrew: str
    why: str
    present: Callable[[], bool]


PACKAGES: tuple[Package, ...] = (
    Package("chromium", "chromium", "--cask chromium", "browser tests", _chromium),
    Package(
        "poppler-utils", "poppler-utils", "poppler", "PDF tests", _command("pdftotext", "pdftoppm")
    ),
    Package("libpango-1.0-0", "pango", "pango", "WeasyPrint", _library("pango-1.0")),
    Package("libpangoft2-1.0-0", "pango", "pango", "WeasyPrint", _library("pangoft2-1.0")),
    Package("fonts-dejavu-core", "dejavu-sans-fonts", "--cask font-dejavu", "PDF fonts", _dejavu),
    Package("nodejs", "nodejs", "node", "the CSS build", _command("node")),
    Package("npm", "npm", "node", "the CSS build", _command("npm")),
)


def missing(packages: Sequence[Package] = PACKAGES) -> list[Package]:
    return [package for package in packages if not package.present()]


def _unique(names: Sequence[str]) -> list[str]:
    """The names in order, each once (two Debian libraries are one Homebrew formula)."""
    return list(dict.fromkeys(names))


def advice(absent: Sequence[Package]) -> str:
    """The one line that says what is missing and how to install it, per platform."""
    casks = _unique(
        [p.homebrew.removeprefix("--cask ") for p in absent if p.homebrew.startswith("--cask ")]
    )
    formulae = _unique([p.homebrew for p in absent if not p.homebrew.startswith("--cask ")])
    brew = "; ".join(
        command
        for command in (
            formulae and "brew install " + " ".join(formulae),
            casks and "brew install --cask " + " ".join(casks),
        )
        if command
    )
    debian = " ".join(_unique([p.debian for p in absent]))
    fedora = " ".join(_unique([p.fedora for p in absent]))
    needed_for = ", ".join(_unique([p.why for p in absent]))
    return (
        f"Missing system packages: {debian} (for {needed_for}). Install them: "
        f"Debian/Ubuntu: sudo apt-get install -y {debian}; "
        f"Fedora: sudo dnf install -y {fedora}; macOS: {brew}"
    )


def check(
    *,
    packages: Sequence[Package] = PACKAGES,
    is_root: Callable[[], bool] = lambda: os.geteuid() == 0,
    run: Callable[[list[str]], object] = lambda argv: subprocess.run(argv, check=True),  # noqa: S603 (a fixed apt-get command)
) -> str | None:
    """None when everything is present (after installing it, as root on Debian); else
    the line to print."""
    absent = missing(packages)
    if absent and is_root() and shutil.which("apt-get"):
        run(["apt-get", "update", "-qq"])
        run(
            [
                "apt-get",
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                *_unique([p.debian for p in absent]),
            ]
        )
        absent = missing(packages)
    return advice(absent) if absent else None


def main(argv: Sequence[str]) -> int:
    if list(argv) == ["debian"]:
        print(" ".join(_unique([p.debian for p in PACKAGES])))
        return 0
    if list(argv) == ["check"]:
        problem = check()
        if problem:
            print(problem, file=sys.stderr)
            return 1
        return 0
    print("usage: python3 safeguarding/system_packages.py check | debian", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

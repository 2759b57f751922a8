"""The role tables in docs/roles.md and docs/security.md say what `safeguarding.roles`
grants: a role added to one and not the other fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguarding.models import Role
from safeguarding.roles import ROLE_PERMISSIONS

DOCS = Path(__file__).resolve().parents[2] / "docs"
COLUMNS = {
    "DSL": [Role.DSL],
    "deputy DSL": [Role.DEPUTY_DSL],
    "headteacher or acting headteacher": [Role.HEADTEACHER, Role.ACTING_HEADTEACHER],
    "staff": [Role.STAFF],
    "trust lead": [Role.TRUST_LEAD],
    "data manager": [Role.DATA_MANAGER],
}


def table(path: Path) -> dict[str, set[str]]:
    """Each role's permissions as the page's table ticks them."""
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| action"))
    heading = lines[start]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    names = [cell.strip() for cell in heading.strip("|").split("|")][1:]
    granted: dict[str, set[str]] = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if not cells[0].startswith("`"):
            continue
        codename = cells[0].split("`")[1]
        for name, cell in zip(names, cells[1:], strict=True):
            for role in COLUMNS[name]:
                granted.setdefault(role, set())
                if cell == "✓":
                    granted[role].add(codename)
    return granted


@pytest.mark.parametrize("page", ["roles.md", "security.md"])
def test_the_table_matches_the_code(page):
    assert table(DOCS / page) == {role: set(codes) for role, codes in ROLE_PERMISSIONS.items()}

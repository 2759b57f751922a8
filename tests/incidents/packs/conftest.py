"""Fixtures of the caseload pack tests: packs made in this process into a temporary
folder, staff with names no label contains, the caseload, and a full pack made of
it (with its bytes and its text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from incidents.models import Export
from incidents.packs.services import pack_path
from safeguarding.audit import save_audited
from tests.incidents.exports.test_record import STAFF_NAMES, pdf_text
from tests.incidents.packs.builders import Caseload, make_pack


@pytest.fixture(autouse=True)
def pack_settings(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"


@pytest.fixture
def named(people: Any) -> Any:
    for who, name in STAFF_NAMES.items():
        user = getattr(people, who)
        user.full_name = name
        save_audited(user, actor=people.operator)
    return people


@pytest.fixture
def caseload(named: Any) -> Caseload:
    return Caseload(named)


@pytest.fixture
def full_pack(named: Any, caseload: Caseload, tmp_path: Path) -> tuple[Export, bytes, str]:
    export = make_pack(named)
    data = pack_path(export).read_bytes()
    return export, data, pdf_text(data, tmp_path)

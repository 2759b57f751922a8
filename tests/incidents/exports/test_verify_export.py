"""`manage.py verify_export`: a PDF the product made is recognised, with when and for
whom; the same file with one byte changed, or any other file, is not."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from incidents.exports.services import incident_export
from incidents.packs.services import pack_path
from tests.incidents.packs.builders import make_pack, simple_incident

pytestmark = pytest.mark.django_db


def verify(path: Path) -> str:
    out = StringIO()
    call_command("verify_export", str(path), stdout=out)
    return out.getvalue()


def test_a_record_the_product_made_is_recognised_and_a_changed_byte_is_not(
    people: Any, tmp_path: Path
) -> None:
    incident = simple_incident(people)
    export, data = incident_export(actor=people.dsl, incident=incident, redacted=True)
    made = tmp_path / "record.pdf"
    made.write_bytes(data)
    said = verify(made)
    assert f"Export {export.id}: the record of {incident.reference}" in said
    assert "redacted" in said and people.dsl.email in said and export.sha256 in said

    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    (tmp_path / "changed.pdf").write_bytes(bytes(changed))
    with pytest.raises(CommandError, match="Not an export of this product"):
        verify(tmp_path / "changed.pdf")


def test_a_caseload_pack_is_recognised_and_its_page_shows_the_digest(
    client: Any, people: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path
    simple_incident(people)
    export = make_pack(people)
    path = pack_path(export)
    assert export.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "a caseload pack from" in verify(path)
    client.force_login(people.dsl)
    page = client.get(f"/schools/{people.school.pk}/packs/{export.id}/").content.decode()
    assert export.sha256 in page


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no file at"):
        verify(tmp_path / "nothing.pdf")

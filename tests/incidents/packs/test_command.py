"""The `export_school` command: the pack written as the person named, and bad input
or bad dates refused with nothing written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from incidents.models import AccessAction, AccessLogEntry, Export
from tests.incidents.exports.test_record import pdf_text
from tests.incidents.packs.builders import simple_incident, span

pytestmark = pytest.mark.django_db

# --- The command ---------------------------------------------------------------------------


def test_the_command_writes_the_pack_as_the_person_named(named: Any, tmp_path: Path) -> None:
    incident = simple_incident(named)
    output = tmp_path / "pack.pdf"
    date_from, date_to = span()
    call_command(
        "export_school",
        named.school.urn,
        "--from",
        date_from.isoformat(),
        "--to",
        date_to.isoformat(),
        "--output",
        str(output),
        "--redact",
        "--as",
        named.head.email.upper(),
    )
    export = Export.objects.get()
    assert (export.requested_by, export.redacted, export.status) == (named.head, True, "ready")
    text = pdf_text(output.read_bytes(), tmp_path)
    assert str(export.id) in text and incident.reference in text
    assert "O'Dowd" not in text and "Niamh" not in text
    assert AccessLogEntry.objects.filter(
        action=AccessAction.EXPORTED, incident=incident, user=named.head
    ).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999", "--as", "head@riverside.example"], "URN 999999"),
        (["{urn}"], "--as EMAIL"),
        (["{urn}", "--as", "ghost@riverside.example"], "ghost@riverside.example"),
        (["{urn}", "--as", "staff@riverside.example"], "may not export"),
        (["{urn}", "--as", "dsl@hillside.example"], "may not export"),
    ],
)
def test_the_command_refuses_bad_input_and_writes_nothing(
    people: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    output = tmp_path / "pack.pdf"
    filled = [arg.format(urn=people.school.urn) for arg in args]
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command(
            "export_school", *filled, "--from", "2025-09-01", "--to", "2026-03-31",
            "--output", str(output),
        )  # fmt: skip
    assert not output.exists()
    assert not Export.objects.exists()


@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        ("2025-02-30", "2025-03-01", "--from must be a real date written YYYY-MM-DD"),
        ("2025-09-01", "31/08/2026", "--to must be a real date"),
        ("2025-09-02", "2025-09-01", "--to: The end date must be the same as or after"),
        ("2023-09-01", "2026-08-31", "--to: A pack covers at most 2 years"),
    ],
)
def test_the_command_refuses_bad_dates(
    people: Any, tmp_path: Path, date_from: str, date_to: str, message: str
) -> None:
    output = tmp_path / "pack.pdf"
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command(
            "export_school", people.school.urn, "--from", date_from, "--to", date_to,
            "--output", str(output), "--as", "dsl@riverside.example",
        )  # fmt: skip
    assert not output.exists()
    assert not Export.objects.exists()

"""`manage.py import_pupils`: the same import for a nightly MIS export."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command

from pupils.models import ImportSource, PupilImport
from safeguarding.models import Pupil
from tests.factories import PupilFactory
from tests.pupils.imports.conftest import EXAMPLES
from tests.pupils.imports.reading.builders import csv_bytes, pupil, upn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _september():
    with time_machine.travel(dt.datetime(2026, 9, 10, 9, 0), tick=False):
        yield


def run(people, path, *options):
    return call_command(
        "import_pupils", people.school.urn, str(path), "--by", people.dsl.email, *options
    )


def test_it_prints_the_preview_and_applies(people, tmp_path, capsys):
    path = tmp_path / "roll.csv"
    path.write_bytes(csv_bytes([pupil(1), pupil(2, Legal_Forename="Ravi")]))
    run(people, path)
    out = capsys.readouterr().out
    assert "2 new, 0 changed, 0 unchanged, 0 leaving, 0 rejected" in out
    assert "applied" in out
    assert Pupil.objects.count() == 2
    assert PupilImport.objects.get().source == ImportSource.COMMAND
    run(people, path)
    assert "0 new, 0 changed, 2 unchanged" in capsys.readouterr().out


def test_a_dry_run_stores_nothing(people, tmp_path, capsys):
    path = tmp_path / "roll.csv"
    path.write_bytes(csv_bytes([pupil(1)]))
    run(people, path, "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not Pupil.objects.exists()
    assert not PupilImport.objects.exists()


def test_rejected_rows_stop_the_import_unless_skipped(people, tmp_path, capsys):
    path = tmp_path / "roll.csv"
    path.write_bytes(csv_bytes([pupil(1), pupil(2, DOB="31/02/2014")]))
    with pytest.raises(CommandError, match="nothing was applied") as stopped:
        run(people, path)
    assert "Rejected row 3, DOB" in capsys.readouterr().out
    assert not Pupil.objects.exists()
    kept = PupilImport.objects.get()  # the preview, for a person to open
    assert not kept.is_applied
    assert f"/pupils/imports/{kept.pk}/" in str(stopped.value)
    run(people, path, "--skip-rejected")
    assert Pupil.objects.count() == 1


def test_a_possible_same_child_is_left_for_a_person(people, tmp_path, capsys):
    PupilFactory(school=people.school, upn=upn(1), given_name="Zoë", family_name="Clarke",
                 date_of_birth=dt.date(2014, 11, 14), year_group="7")  # fmt: skip
    path = tmp_path / "roll.csv"
    path.write_bytes(csv_bytes([pupil(9)]))
    with pytest.raises(CommandError):
        run(people, path)
    assert "answer on the import page" in capsys.readouterr().out
    run(people, path, "--skip-rejected")
    assert list(Pupil.objects.values_list("upn", flat=True)) == [upn(1)]


def test_a_full_roll_marks_leavers(people, tmp_path):
    PupilFactory(school=people.school, upn=upn(2))
    path = tmp_path / "roll.csv"
    path.write_bytes(csv_bytes([pupil(1)]))
    run(people, path, "--full-roll", "--leaving-date", "2026-09-01")
    assert Pupil.objects.get(upn=upn(2)).left_on == dt.date(2026, 9, 1)


def test_someone_who_may_not_import_is_refused(people, tmp_path):
    path = tmp_path / "roll.csv"
    path.write_bytes(csv_bytes([pupil(1)]))
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_pupils", people.school.urn, str(path), "--by", people.staff.email)


def test_a_refused_file_is_an_error(people):
    with pytest.raises(CommandError, match="does not look like a pupil list"):
        run(people, EXAMPLES / "consensual-16-year-olds.json")

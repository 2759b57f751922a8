"""The restore drill restores a real pg_dump into a scratch database and checks it."""

import os
import subprocess

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.factories import IncidentFactory, InvolvementFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def dump_test_database(path):
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "PGHOST": db["HOST"] or "localhost",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"] or "",
        "PGPASSWORD": db["PASSWORD"] or "",
    }
    subprocess.run(
        ["pg_dump", "--format=custom", "--file", str(path), db["NAME"]], env=env, check=True
    )


def test_a_dump_restores_with_its_records_counted(tmp_path, capsys):
    InvolvementFactory(incident=IncidentFactory())
    IncidentFactory()
    dump = tmp_path / "backup.dump"
    dump_test_database(dump)
    call_command("restore_drill", str(dump))
    out = capsys.readouterr().out
    assert "Schema: every migration of this version is applied." in out
    assert "incidents: 2" in out
    assert "pupils: 1" in out
    assert "Restore drill passed for backup.dump." in out


def test_a_missing_or_broken_dump_fails_the_drill(tmp_path):
    with pytest.raises(CommandError, match="No dump file"):
        call_command("restore_drill", str(tmp_path / "missing.dump"))
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"not a dump")
    with pytest.raises(CommandError, match="pg_restore failed"):
        call_command("restore_drill", str(broken))

"""`python manage.py triage FILE`: facts in as JSON, the assessment out as JSON."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from incidents.triage.parsing import parse_facts
from incidents.triage.rules import assess

ROOT = Path(__file__).resolve().parents[3]

UNDER_13 = {
    "incident_date": "2025-03-10",
    "people": [
        {"ref": "A", "kind": "pupil", "date_of_birth": "2012-06-01", "roles": ["pictured"]},
        {"ref": "B", "kind": "pupil", "date_of_birth": "2012-01-20", "roles": ["recipient"]},
    ],
    "imagery": {"sexual_acts": True},
    "sharing": {"relationship": True},
}
SIXTEENS = {
    "incident_date": "2025-03-10",
    "people": [
        {"ref": "A", "kind": "pupil", "age": 16, "roles": ["pictured", "sender"]},
        {"ref": "B", "kind": "pupil", "age": 16, "roles": ["recipient"]},
    ],
    "sharing": {"relationship": True},
}
BAD_AGE = {"incident_date": "2025-03-10", "people": [{"ref": "A", "kind": "pupil", "age": -1}]}


def expected(facts: dict[str, Any]) -> dict[str, object]:
    return assess(parse_facts(facts)).to_json()


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_file_of_one_facts_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("triage", write(tmp_path, UNDER_13))
    out = capsys.readouterr().out
    assert json.loads(out) == expected(UNDER_13)
    assert out.startswith('{\n  "policy": "all",\n  "in_scope": true,')
    assert "002 §3.3" in out


def test_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("triage", "-", stdin=io.StringIO(json.dumps(SIXTEENS)))
    result = json.loads(capsys.readouterr().out)
    assert result == expected(SIXTEENS)
    assert result["recommendation"] == "school_may_manage"


def test_a_list_gives_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("triage", write(tmp_path, [UNDER_13, SIXTEENS]))
    assert json.loads(capsys.readouterr().out) == [expected(UNDER_13), expected(SIXTEENS)]


def test_an_empty_list_gives_an_empty_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("triage", write(tmp_path, []))
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BAD_AGE, "people[0].age: must be between 0 and 120, not -1"),
        ([SIXTEENS, BAD_AGE], "[1].people[0].age: must be between 0 and 120, not -1"),
        ([SIXTEENS, 3], "[1]: the facts must be a JSON object, not 3"),
        ({**SIXTEENS, "policy": {"preset": "x"}}, 'policy.preset: must be one of "all"'),
        ("facts", "the facts must be a JSON object"),
    ],
)
def test_invalid_facts_name_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object, message: str
) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("triage", write(tmp_path, data))
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(message)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"incident_date": "2025-03-10",', "standard input is not valid JSON: "),
        ("", "standard input is not valid JSON: "),
        (
            '{"incident_date": "2025-03-10", "incident_date": "2025-03-11"}',
            'the key "incident_date" is given twice in one object',
        ),
    ],
)
def test_invalid_json(capsys: pytest.CaptureFixture[str], text: str, message: str) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("triage", "-", stdin=io.StringIO(text))
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert capsys.readouterr().out == ""


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("triage", str(tmp_path / "missing.json"))
    assert caught.value.returncode == 2
    assert "cannot read" in str(caught.value)
    assert capsys.readouterr().out == ""


def test_a_file_that_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(b"\xff\xfe{}")
    with pytest.raises(CommandError) as caught:
        call_command("triage", str(path))
    assert caught.value.returncode == 2


# --------------------------------------------------------------------------- real process


def manage(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_TESTING"}
    }
    env["DJANGO_DEBUG"] = "true"
    return subprocess.run(
        [sys.executable, "manage.py", "triage", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


def test_the_command_exits_0_and_prints_the_assessment(tmp_path: Path) -> None:
    done = manage(write(tmp_path, [SIXTEENS]))
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == [expected(SIXTEENS)]


def test_the_command_reads_standard_input() -> None:
    done = manage("-", stdin=json.dumps(UNDER_13))
    assert done.returncode == 0
    assert json.loads(done.stdout) == expected(UNDER_13)


def test_the_command_exits_2_naming_the_field_and_prints_nothing() -> None:
    done = manage("-", stdin=json.dumps([SIXTEENS, BAD_AGE]))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "[1].people[0].age" in done.stderr


def test_the_command_exits_2_on_bad_json() -> None:
    done = manage("-", stdin="{")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "not valid JSON" in done.stderr


@pytest.mark.parametrize("name", ["under-13-sexual-acts", "consensual-16-year-olds"])
def test_the_worked_examples_in_the_docs_are_what_the_command_prints(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("triage", str(ROOT / "docs" / "examples" / f"{name}.json"))
    printed = capsys.readouterr().out.rstrip("\n")
    docs = (ROOT / "docs" / "triage.md").read_text(encoding="utf-8")
    assert f"```json\n{printed}\n```" in docs

"""`python manage.py triage FILE`: triage facts given as JSON, print the assessment.

Reads one facts object (docs/triage.md#input-the-facts-json), or a JSON list of them,
from FILE or from standard input when FILE is `-`, and prints the assessment (or a list
of assessments) as JSON with an indent of 2. Input that cannot be assessed exits with
status 2 and a message on standard error naming the field (`[1].people[0].age` for the
second item of a list), and prints nothing on standard output: a script reading the
output never gets half an answer. The rules are in the package `incidents.triage` (the
entry point is `incidents.triage.rules.assess`) and docs/triage.md.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.triage.facts import FactsError
from incidents.triage.parsing import parse_facts
from incidents.triage.rules import assess

INVALID_INPUT = 2


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are unique: with a key given twice, json would keep the
    last value silently, and triage does not guess which one was meant."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"the key {json.dumps(key)} is given twice in one object")
        data[key] = value
    return data


def _assess(data: object) -> object:
    if isinstance(data, list):
        results = []
        for index, item in enumerate(data):
            try:
                results.append(assess(parse_facts(item)).to_json())
            except FactsError as error:
                raise error.within(f"[{index}]") from None
        return results
    return assess(parse_facts(data)).to_json()


class Command(BaseCommand):
    help = (
        "Triage incident facts given as JSON (a file, or - for standard input): print "
        "which immediate-referral criteria fire and why, as JSON."
    )
    # Pure rules: no database, so no system or migration checks are needed to run.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="a JSON file with one facts object or a list of them; - for stdin"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        stdin: TextIO = options.get("stdin") or sys.stdin
        text = self._read(path, stdin)
        name = "standard input" if path == "-" else path
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        except ValueError as error:
            raise CommandError(
                f"{name} is not valid JSON: {error}", returncode=INVALID_INPUT
            ) from None
        try:
            result = _assess(data)
        except FactsError as error:
            raise CommandError(str(error), returncode=INVALID_INPUT) from None
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    def _read(self, path: str, stdin: TextIO) -> str:
        try:
            if path == "-":
                return stdin.read()
            with open(path, encoding="utf-8") as file:
                return file.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}", returncode=INVALID_INPUT) from None

"""How fast is a pupil import? `python -m tests.benchmarks.pupil_import_benchmark`

The issue's targets: a generated Common Transfer File of 2,000 pupils and a CSV of
10,000 rows each preview (`pupil_import_read`) and apply (`pupil_import_apply`) in at
most 10 s on SQLite and PostgreSQL, with a number of queries that does not grow with
the rows (they are written in batches) and memory that stays flat. This generates both
files with a fixed seed (valid UPNs, dates of birth that fit the year groups), then, for
a fresh school each run, times three imports through the services: the file on an
empty roll (every pupil new), the same file again (every pupil unchanged) and a file
in which every pupil has moved up a year and changed registration group (every pupil
changed, written in batches). Each is timed as a preview and as an apply (the
digest the person confirmed is worked out beforehand, as the preview page does).

It prints the median of each over the runs, the SQL statements each ran (counted by
`connection.execute_wrapper`: `CaptureQueriesContext` keeps at most 9,000, too few for
a query a row on 10,000 rows) and the peak of Python's memory (`tracemalloc`, in one
more run of its own, since tracing slows everything down), at the full size and at 200
and 1,000 rows, with the ratios: queries and memory that grow with the rows show there.
It is a measurement, not a test: it asserts nothing and is not collected by pytest.

It works in a throwaway database beside the one `DATABASE_URL` names (a file in a
temporary directory for SQLite, so commits reach the disk as they would in production)
and drops it at the end:

    .venv/bin/python -m tests.benchmarks.pupil_import_benchmark --runs 3 [--only ctf|csv]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pupils \\
        .venv/bin/python -m tests.benchmarks.pupil_import_benchmark --runs 3
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import io
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

# Production settings with the switches the test suite uses: DEBUG stays off, so Django
# keeps no queries but those `CaptureQueriesContext` asks for.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings_test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from pupils.imports.plan import ImportPlan  # noqa: E402
from pupils.imports.reading.checks import academic_year_end  # noqa: E402
from pupils.imports.services import plan_for, pupil_import_apply, pupil_import_read  # noqa: E402
from pupils.models import PupilImport  # noqa: E402
from safeguarding.models import Pupil, Role, School, User  # noqa: E402
from safeguarding.services import membership_grant  # noqa: E402
from safeguarding.upn import check_letter  # noqa: E402
from tests.benchmarks.database import QueryCount, database_version, throwaway_database  # noqa: E402
from tests.factories import SchoolFactory, TrustFactory, UserFactory  # noqa: E402

SEED = 20261207
CTF_PUPILS = 2_000
CSV_ROWS = 10_000
SMALLER = (200, 1_000)  # the sizes the queries and memory are compared at
TARGET = 10.0  # seconds, each preview and each apply (the issue)
IMPORTS = ("new", "unchanged", "changed")
STEPS = ("preview", "apply")
PHASES = tuple(f"{name} {step}" for name in IMPORTS for step in STEPS)
CSV_HEADINGS = [
    "UPN",
    "Legal Surname",
    "Legal Forename",
    "Preferred Forename",
    "DOB",
    "Gender",
    "Year",
    "Reg Group",
    "SEN Status",
    "In Care",
]
FAMILY = (
    "Begum", "Wright", "Johnson", "Kowalski", "Osei", "Okafor", "Clarke", "Patel", "Smith",
    "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Thomas", "Roberts", "Walker",
    "Khan", "Ali", "Hughes", "Nowak", "Murphy", "O'Brien", "Singh", "Ahmed", "Green", "Hall",
    "Lewis", "Young", "Price", "Morgan", "Ward", "Cooper", "Bailey", "Fernandes", "Chen",
)  # fmt: skip
GIVEN_F = ("Aisha", "Lily-Mae", "Amara", "Zoë", "Olivia", "Amelia", "Isla", "Freya", "Niamh")
GIVEN_M = ("Thomas", "Jakub", "Samuel", "Oliver", "Noah", "Muhammad", "Ravi", "Kwame", "Seán")


# --- The files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Child:
    upn: str
    family: str
    given: str
    preferred: str
    dob: dt.date
    sex: str
    year: int
    group: str
    sen: str  # "N", "K" or "E"
    in_care: bool


def upn(serial: int) -> str:
    """A valid permanent UPN: LA 330, establishment 4000 + serial // 1000, allocated in 2019."""
    body = f"330{4000 + serial // 1000:04d}19{serial % 1000:03d}"
    return check_letter(body) + body


def born(rng: random.Random, year: int, end: dt.date) -> dt.date:
    """A birthday making the child `year` + 4 on `end` (the 31 August before the
    academic year), as a pupil in Year `year` is."""
    first = dt.date(end.year - year - 5, 9, 1)
    last = dt.date(end.year - year - 4, 8, 31)
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def children(count: int, today: dt.date) -> list[Child]:
    """`count` pupils of Years 1 to 12 (so each can move up a year), the same every run."""
    rng = random.Random(SEED)
    end = academic_year_end(today)
    made = []
    for serial in range(count):
        sex = rng.choice("FM")
        given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
        year = serial % 12 + 1
        made.append(
            Child(
                upn=upn(serial),
                family=rng.choice(FAMILY),
                given=given,
                preferred=given[:3] if rng.random() < 0.1 else "",
                dob=born(rng, year, end),
                sex=sex,
                year=year,
                group=f"{year}{rng.choice('ABCD')}",
                sen=rng.choice("NNNNNNKE"),
                in_care=rng.random() < 0.02,
            )
        )
    return made


def moved_up(pupils: list[Child]) -> list[Child]:
    """The same pupils a year on, in new registration groups: every one changed."""
    return [
        dataclasses.replace(child, year=child.year + 1, group=f"{child.year + 1}X")
        for child in pupils
    ]


def csv_file(pupils: list[Child]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADINGS)
    for child in pupils:
        writer.writerow(
            [
                child.upn,
                child.family,
                child.given,
                child.preferred,
                child.dob.strftime("%d/%m/%Y"),
                child.sex,
                str(child.year),
                child.group,
                child.sen,
                "Y" if child.in_care else "N",
            ]
        )
    return out.getvalue().encode()


def ctf_file(pupils: list[Child], today: dt.date) -> bytes:
    """A Common Transfer File as docs/examples/pupils-ctf.xml writes one, dated today
    (its date says which academic year its year groups belong to)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile>\n  <Header>\n'
        "    <DocumentName>Common Transfer File</DocumentName>\n"
        "    <CTFversion>25.0</CTFversion>\n"
        f"    <DateTime>{today.isoformat()}T10:00:00</DateTime>\n"
        "    <DocumentQualifier>partial</DocumentQualifier>\n"
        "    <SupplierID>Example MIS</SupplierID>\n"
        "    <SourceSchool>\n      <LEA>330</LEA>\n      <Estab>2101</Estab>\n"
        "      <SchoolName>Hillside Primary School</SchoolName>\n"
        f"      <AcademicYear>{academic_year_end(today).year}</AcademicYear>\n"
        "    </SourceSchool>\n"
        "    <DestSchool>\n      <LEA>383</LEA>\n      <Estab>4021</Estab>\n    </DestSchool>\n"
        "  </Header>\n  <CTFpupilData>\n"
    ]
    for child in pupils:
        sen = (
            "      <SENhistory/>\n"
            if child.sen == "N"
            else "      <SENhistory>\n        <SEN>\n"
            "          <StartDate>2021-09-06</StartDate>\n"
            f"          <SENprovision>{child.sen}</SENprovision>\n"
            "        </SEN>\n      </SENhistory>\n"
        )
        care = "        <InCare>true</InCare>\n" if child.in_care else ""
        parts.append(
            "    <Pupil>\n"
            f"      <UPN>{child.upn}</UPN>\n"
            f"      <Surname>{escape(child.family)}</Surname>\n"
            f"      <Forename>{escape(child.given)}</Forename>\n"
            f"      <DOB>{child.dob.isoformat()}</DOB>\n"
            f"      <Gender>{child.sex}</Gender>\n"
            "      <BasicDetails>\n"
            f"        <PreferredSurname>{escape(child.family)}</PreferredSurname>\n"
            f"        <PreferredForename>{escape(child.preferred or child.given)}"
            "</PreferredForename>\n"
            f"        <NCyearActual>{child.year}</NCyearActual>\n"
            f"        <RegGroup>{child.group}</RegGroup>\n"
            f"{care}"
            "      </BasicDetails>\n"
            f"{sen}"
            "    </Pupil>\n"
        )
    parts.append("  </CTFpupilData>\n</CTfile>\n")
    return "".join(parts).encode()


@dataclass(frozen=True)
class Files:
    """One size of one format: the roll as first sent, and a year on."""

    kind: str  # "ctf" or "csv"
    rows: int
    first: bytes
    changed: bytes


def files(kind: str, rows: int, today: dt.date) -> Files:
    pupils = children(rows, today)
    if kind == "ctf":
        return Files(kind, rows, ctf_file(pupils, today), ctf_file(moved_up(pupils), today))
    return Files(kind, rows, csv_file(pupils), csv_file(moved_up(pupils)))


# --- Measuring ------------------------------------------------------------------------------


@dataclass
class Figures:
    """One phase at one size: the seconds of each run, its queries, its peak memory."""

    seconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    peak: int | None = None  # bytes above what was allocated before the phase


@dataclass
class Counter:
    made: int = 0

    def school(self) -> tuple[School, User]:
        """A fresh school with its DSL, so every run starts from an empty roll."""
        self.made += 1
        operator = UserFactory.create(email=f"operator{self.made}@bench.example", is_superuser=True)
        school = SchoolFactory.create(
            trust=TrustFactory.create(),
            name=f"Benchmark School {self.made}",
            reference_prefix=f"B{self.made}",
        )
        dsl = UserFactory.create(email=f"dsl{self.made}@bench.example", full_name="Dana Lead")
        membership_grant(user=dsl, school=school, role=Role.DSL, granted_by=operator)
        return school, dsl


def phase(figures: dict[str, Figures], name: str, work: Callable[[], Any], *, traced: bool) -> Any:
    """Run `work` once: its wall time and queries, or (traced) its peak memory."""
    if traced:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = work()
        figures[name].peak = tracemalloc.get_traced_memory()[1] - before
        return result
    queries = QueryCount()
    with connection.execute_wrapper(queries):
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
    figures[name].seconds.append(seconds)
    figures[name].queries.append(queries.count)
    return result


def one_run(data: Files, counter: Counter, figures: dict[str, Figures], *, traced: bool) -> None:
    """The three imports, each previewed and applied, for a fresh school."""
    school, dsl = counter.school()
    imports = (("new", data.first), ("unchanged", data.first), ("changed", data.changed))
    for name, content in imports:

        def preview(content: bytes = content) -> PupilImport:
            return pupil_import_read(
                actor=dsl, school=school, data=content, file_name=f"roll.{data.kind}"
            )

        pupil_import: PupilImport = phase(figures, f"{name} preview", preview, traced=traced)
        digest = plan_for(pupil_import).digest()  # shown with the preview

        def apply(pupil_import: PupilImport = pupil_import, digest: str = digest) -> ImportPlan:
            return pupil_import_apply(actor=dsl, pupil_import=pupil_import, expected_digest=digest)

        plan: ImportPlan = phase(figures, f"{name} apply", apply, traced=traced)
        expected = {"new": (data.rows, 0, 0), "unchanged": (0, 0, data.rows)}.get(
            name, (0, data.rows, 0)
        )
        found = (len(plan.new), len(plan.changed), plan.unchanged)
        if found != expected or plan.rejected_rows:
            raise RuntimeError(
                f"{data.kind} {name}: planned new/changed/unchanged {found}, expected "
                f"{expected}; {plan.rejected_rows} rows rejected: {plan.rejected[:3]}"
            )
    on_roll = Pupil.objects.filter(school=school).count()
    if on_roll != data.rows:
        raise RuntimeError(f"{data.kind}: {on_roll} pupils on roll, expected {data.rows}")


def measure(data: Files, runs: int, counter: Counter) -> dict[str, Figures]:
    figures = {name: Figures() for name in PHASES}
    for _ in range(runs):
        one_run(data, counter, figures, traced=False)
    tracemalloc.start()
    try:
        one_run(data, counter, figures, traced=True)
    finally:
        tracemalloc.stop()
    return figures


# --- Printing -------------------------------------------------------------------------------


def mib(size: int | None) -> str:
    return "?" if size is None else f"{size / 2**20:.1f}"


def ratio(large: float, small: float) -> str:
    return f"×{large / small:.2f}" if small else "–"


def growth(shown: list[str], values: list[float] | list[int]) -> str:
    """ "245 / 1081 / 2127 ×8.68": the figures at each size and the largest over the smallest."""
    return f"{' / '.join(shown):<20}{ratio(values[-1], values[0]):>7}"


def report(kind: str, by_size: dict[int, dict[str, Figures]], sizes: list[int], runs: int) -> None:
    full = sizes[-1]
    print(f"\n{kind.upper()} {full:,} rows, median of {runs} runs (each on a fresh school):")
    print(
        f"  {'phase':<18}{'median s':>9}{'fastest':>9}{'slowest':>9}{'queries':>9}"
        f"{'peak MiB':>10}   ≤ {TARGET:.0f} s"
    )
    for name in PHASES:
        got = by_size[full][name]
        median = statistics.median(got.seconds)
        print(
            f"  {name:<18}{median:>9.2f}{min(got.seconds):>9.2f}{max(got.seconds):>9.2f}"
            f"{statistics.median(got.queries):>9.0f}{mib(got.peak):>10}   "
            f"{'met' if median <= TARGET else 'MISSED'}"
        )
    smallest = sizes[0]
    across = " / ".join(f"{size:,}" for size in sizes)
    print(f"  growth with the rows ({across}: ×{full / smallest:.0f} rows):")
    print(f"  {'phase':<18}{'queries':<27}  {'peak MiB':<27}  {'median s':<27}")
    for name in PHASES:
        queries = [statistics.median(by_size[size][name].queries) for size in sizes]
        peaks = [by_size[size][name].peak or 0 for size in sizes]
        seconds = [statistics.median(by_size[size][name].seconds) for size in sizes]
        print(
            f"  {name:<18}"
            f"{growth([f'{q:.0f}' for q in queries], queries)}  "
            f"{growth([mib(p) for p in peaks], peaks)}  "
            f"{growth([f'{s:.2f}' for s in seconds], seconds)}"
        )
    sys.stdout.flush()


def benchmark(kinds: list[str], runs: int) -> None:
    today = timezone.localdate()
    counter = Counter()
    # Warm up: imports, the first queries of each kind, SQLite's page cache.
    one_run(files("csv", 50, today), counter, {name: Figures() for name in PHASES}, traced=False)
    for kind in kinds:
        sizes = [*SMALLER, CTF_PUPILS if kind == "ctf" else CSV_ROWS]
        by_size = {}
        for size in sizes:
            data = files(kind, size, today)
            fits = "fits" if len(data.first) <= settings.PUPIL_IMPORT_MAX_BYTES else "TOO BIG for"
            print(
                f"{kind} {size:,} rows: {len(data.first) / 1024:,.0f} KiB, changed "
                f"{len(data.changed) / 1024:,.0f} KiB ({fits} PUPIL_IMPORT_MAX_BYTES, "
                f"{settings.PUPIL_IMPORT_MAX_BYTES / 2**20:.0f} MiB)"
            )
            sys.stdout.flush()
            started = time.perf_counter()
            by_size[size] = measure(data, runs, counter)
            print(f"  measured in {time.perf_counter() - started:.1f} s")
        report(kind, by_size, sizes, runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each size (3)")
    parser.add_argument("--only", choices=["ctf", "csv"], help="measure only this format")
    args = parser.parse_args(argv)
    kinds = [args.only] if args.only else ["ctf", "csv"]

    with throwaway_database("pupil-import-benchmark-") as (throwaway, _):
        print(
            f"{database_version()} (throwaway database {throwaway}), Django "
            f"{django.get_version()}, Python {platform.python_version()}, seed {SEED}, "
            f"{os.cpu_count()} cores, today {timezone.localdate().isoformat()}"
        )
        benchmark(kinds, args.runs)


if __name__ == "__main__":
    main()

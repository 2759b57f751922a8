"""How fast is a pupil's file packed? `python -m tests.benchmarks.transfer_benchmark`

Issue 19's target: the file of a pupil involved in 50 incidents is packed in at most
5 s in the background, with progress. This builds, through the application's
services and with a fixed seed, two schools and a pupil involved in 50 incidents of
ordinary size (the export benchmark's: one to three pupils, decisions, parents told,
conversations, some referrals chased, take-downs and sign-offs), then for each run
starts a transfer of that pupil to the other school (`transfer_start`) and times what
the background task does (`transfer_package_make`: read the file, lay out the PDF in
`PDF_WORKERS` processes, build and check the JSON document, encrypt it with age, store
it). Each run is rolled back, so every run packs the same file. Then it times opening
the package as the receiving school does (`open_package`: SHA-256, passphrase, ZIP,
schema, digests, PDF).

It prints each run, the median, the CPU time of this process and of the PDF worker
processes (their sum over the cores is the least the packing could take here), the SQL
statements the packing ran, the progress the
transfer's page showed (the `done` of each of the transfer's history rows) and the
package's size and pages. One untimed run first warms WeasyPrint's font caches and the
template loader, as a running worker would have them. It is a measurement, not a test:
it asserts nothing and is not collected by pytest. It works in a throwaway database
beside the one `DATABASE_URL` names and drops it at the end:

    .venv/bin/python -m tests.benchmarks.transfer_benchmark --runs 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_transfer \\
        .venv/bin/python -m tests.benchmarks.transfer_benchmark --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import platform
import random
import resource
import statistics
import sys
import time
from dataclasses import dataclass

# Production settings with the switches the test suite uses: DEBUG stays off, so Django
# keeps no queries.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings_test")

import django

django.setup()

import weasyprint  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from safeguarding.models import Pupil, School  # noqa: E402
from tests.benchmarks.database import QueryCount, database_version, throwaway_database  # noqa: E402
from tests.benchmarks.export_benchmark import (  # noqa: E402
    PupilFactory,
    Staff,
    ordinary_record,
    school_with_staff,
)
from transfers.models import Transfer, TransferStatus  # noqa: E402
from transfers.package.archive import open_package, sha256_of  # noqa: E402
from transfers.sending.making import transfer_package_make  # noqa: E402
from transfers.sending.services import transfer_start  # noqa: E402

SEED = 20261207
INCIDENTS = 50
TARGET = 5.0  # seconds (issue 19)


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float
    workers_cpu: float
    queries: int
    progress: list[int]
    data: bytes
    passphrase: str
    pages: int
    records: int


def build(rng: random.Random) -> tuple[Staff, Pupil, School]:
    school, staff = school_with_staff("Riverside Academy", "RA")
    receiving, _ = school_with_staff("Hillside School", "HS")
    pupil = PupilFactory.create(school=school, given_name="Grace", family_name="Holroyd")
    start = timezone.now() - dt.timedelta(days=700)
    for number in range(INCIDENTS):
        moment = start + dt.timedelta(days=13 * number, hours=rng.randint(0, 6))
        ordinary_record(rng, school, staff, moment, pupil=pupil)
    return staff, pupil, receiving


def children_cpu() -> float:
    """CPU seconds of the PDF worker processes that have ended (they end with each
    package)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pack(staff: Staff, pupil: Pupil, receiving: School) -> Run:
    """One transfer started and packed, timed (wall and CPU), then rolled back."""
    counter = QueryCount()
    with transaction.atomic():
        transfer = transfer_start(
            actor=staff.dsl,
            pupil=pupil,
            leaving_on=timezone.localdate(),
            receiving_school=receiving,
            note="Please ring me.",
        )
        start, cpu, workers = time.perf_counter(), time.process_time(), children_cpu()
        with connection.execute_wrapper(counter):
            transfer_package_make(transfer_id=transfer.pk)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        workers = children_cpu() - workers
        transfer = Transfer.objects.select_related("package").get(pk=transfer.pk)
        if transfer.status != TransferStatus.SENT:
            raise RuntimeError(f"The transfer ended {transfer.status}: {transfer.error}")
        shown = list(transfer.history.order_by("history_id").values_list("done", flat=True))
        pairs = zip([None, *shown], shown, strict=False)
        progress = [done for before, done in pairs if done != before]  # each change the page saw
        run = Run(
            seconds=seconds,
            cpu=cpu,
            workers_cpu=workers,
            queries=counter.count,
            progress=progress,
            data=bytes(transfer.package.data),
            passphrase=transfer.passphrase,
            pages=transfer.package.pdf_pages,
            records=transfer.package.records,
        )
        transaction.set_rollback(True)
    return run


def measure(runs: int) -> None:
    start = time.perf_counter()
    staff, pupil, receiving = build(random.Random(SEED))
    print(
        f"file: {pupil.full_name}, involved in {INCIDENTS} incidents, "
        f"built in {time.perf_counter() - start:.1f} s"
    )
    warm = pack(staff, pupil, receiving)
    print(f"pack: warm-up run {warm.seconds:.2f} s, not counted")
    done: list[Run] = []
    for number in range(1, runs + 1):
        run = pack(staff, pupil, receiving)
        done.append(run)
        print(
            f"pack: run {number} {run.seconds:.2f} s; cpu {run.cpu:.2f} s in this process, "
            f"{run.workers_cpu:.2f} s in the PDF workers; {run.queries} queries"
        )
        sys.stdout.flush()
    last = done[-1]
    median = statistics.median(run.seconds for run in done)
    print(
        f"pack: median {median:.2f} s over {runs} runs; target at most {TARGET:.0f} s: "
        f"{'met' if median <= TARGET else 'MISSED'}"
    )
    print(
        f"pack: {last.records} records, {last.pages} PDF pages, "
        f"{len(last.data) / 1024:,.0f} KiB encrypted; the page showed done = "
        + ", ".join(str(done) for done in last.progress)
    )
    digest = sha256_of(last.data)
    opened = []
    for _ in range(runs):
        begin = time.perf_counter()
        open_package(last.data, passphrase=last.passphrase, expected_sha256=digest)
        opened.append(time.perf_counter() - begin)
    print(
        f"open: median {statistics.median(opened):.2f} s over {runs} runs "
        "(SHA-256, age with scrypt, ZIP, schema, digests, PDF)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs (3)")
    args = parser.parse_args(argv)

    with throwaway_database("transfer-benchmark-") as (throwaway, scratch):
        settings.PRIVATE_FILES_ROOT = scratch
        # The sign-offs of the built file email the headteacher: kept in memory here.
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        logging.getLogger("django_tasks").setLevel(logging.WARNING)  # a line a task
        # As a production worker lays the records out: one process a core, unless
        # PDF_WORKERS says otherwise (the test settings lay them out in-process).
        settings.PDF_WORKERS = int(os.environ.get("PDF_WORKERS") or os.cpu_count() or 1)
        print(
            f"{database_version()} (throwaway database {throwaway}), "
            f"WeasyPrint {weasyprint.__version__}, Django {django.get_version()}, "
            f"Python {platform.python_version()}, seed {SEED}, "
            f"{settings.PDF_WORKERS} PDF workers on {os.cpu_count()} cores"
        )
        measure(args.runs)


if __name__ == "__main__":
    main()

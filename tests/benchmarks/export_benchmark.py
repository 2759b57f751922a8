"""How fast are the PDF exports? `python -m tests.benchmarks.export_benchmark`

Issue 8 sets two targets: one incident's record with 60 chronology entries renders in
under 2 s, and a school caseload pack of 300 incidents in under 60 s, on PostgreSQL.
This builds both through the application's services (a fixed seed, so every run renders
the same records) in a throwaway database it creates beside the one `DATABASE_URL`
names and drops at the end, then times `incident_export` for the record and
`school_pack_create` + `school_pack_generate` for the pack, and prints each run, the
median, the page count and the target. One untimed run
of each warms WeasyPrint's font caches and the template loader first, as a running
server would have them. It is a measurement, not a test: it asserts nothing and is not
collected by pytest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_perf \\
        .venv/bin/python -m tests.benchmarks.export_benchmark --runs 3 [--only record|pack]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Production settings with the switches the test suite uses (no HTTPS redirect, a
# development secret key): DEBUG stays off, so Django does not keep every query.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings_test")

import django

django.setup()

import weasyprint  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from incidents.case.selectors import incident_timeline  # noqa: E402
from incidents.exports.services import incident_export  # noqa: E402
from incidents.interviews.services import interview_record  # noqa: E402
from incidents.models import (  # noqa: E402
    CameToLight,
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    Export,
    Incident,
    Involvement,
    PersonKind,
    ReportChannel,
    ReportOutcome,
    RiskAssessment,
    SignOffAction,
    ViewingReason,
)
from incidents.services import (  # noqa: E402
    decision_record,
    incident_create,
    involvement_add,
    parent_contact_record,
)
from incidents.signoff.items import sign_off_items  # noqa: E402
from incidents.signoff.services import sign_off_record  # noqa: E402
from incidents.takedown.services import online_report_outcome_record, online_report_record  # noqa: E402
from incidents.viewing.services import imagery_viewing_record  # noqa: E402
from referrals.flow.services import follow_up_record, referral_record  # noqa: E402
from referrals.meetings.services import meeting_record  # noqa: E402
from referrals.models import Agency, MeetingKind  # noqa: E402
from safeguarding.models import Pupil, Role, School, Sex, User  # noqa: E402
from safeguarding.services import membership_grant  # noqa: E402
from tests.benchmarks.database import database_version  # noqa: E402
from tests.factories import (  # noqa: E402
    DeletionRequestFactory,
    DeviceSeizureFactory,
    PupilFactory,
    SchoolFactory,
    TrustFactory,
    UserFactory,
)

SEED = 20261121
RECORD_ENTRIES = 60
RECORD_TARGET = 2.0  # seconds (issue 8)
PACK_INCIDENTS = 300
PACK_TARGET = 60.0  # seconds (issue 8)


@dataclass(frozen=True)
class Staff:
    dsl: User
    deputy: User
    head: User


# --- The data -------------------------------------------------------------------------------


def school_with_staff(name: str, prefix: str) -> tuple[School, Staff]:
    operator = UserFactory.create(email=f"operator@{prefix.lower()}.example", is_superuser=True)
    school = SchoolFactory.create(trust=TrustFactory.create(), name=name, reference_prefix=prefix)
    staff = []
    for role, who, full_name in (
        (Role.DSL, "dsl", "Imogen Quarrie"),
        (Role.DEPUTY_DSL, "deputy", "Bartholomew Vantongeren"),
        (Role.HEADTEACHER, "head", "Octavia Fennimore"),
    ):
        user = UserFactory.create(
            email=f"{who}@{prefix.lower()}.example", full_name=full_name, sex=Sex.FEMALE
        )
        membership_grant(user=user, school=school, role=role, granted_by=operator)
        staff.append(user)
    return school, Staff(*staff)


def add_pupil(
    school: School, staff: Staff, incident: Incident, roles: list[str], pupil: Pupil | None = None
) -> Involvement:
    """`pupil` involved in `incident` with `roles`; a new pupil of `school` if none."""
    return involvement_add(
        actor=staff.dsl,
        incident=incident,
        kind=PersonKind.PUPIL,
        pupil=pupil or PupilFactory.create(school=school),
        roles=roles,
    )


def sign_everything(staff: Staff, incident: Incident, statement: str) -> None:
    for item in sign_off_items([incident]):
        if item.state != "signed":
            sign_off_record(
                actor=staff.head,
                incident=incident,
                kind=item.kind,
                subject_id=item.subject_id,
                action=SignOffAction.SIGNED,
                statement=statement,
                reviewed_digest=item.digest,
            )


def long_record(school: School, staff: Staff, entries: int) -> Incident:
    """One incident followed for a term: several pupils, decisions and reviews, parents
    told and not told, referrals chased, meetings, viewings, devices, deletion,
    conversations, take-downs and sign-offs, topped up with reviews to `entries`."""
    start = timezone.now() - dt.timedelta(days=90)

    def at(days: float) -> dt.datetime:
        return start + dt.timedelta(days=days)

    incident = incident_create(
        actor=staff.dsl,
        school=school,
        came_to_light_how=CameToLight.DISCLOSURE_FRIEND,
        came_to_light_at=start,
        narrative=(
            "A Year 10 pupil told her form tutor at registration that a photo of a friend had "
            "been shared in a group chat the night before. She had not sent it on. The form "
            "tutor did not look at her phone and brought her straight to the DSL.\n"
            "By lunchtime three more pupils had come forward; two had received the photo."
        ),
        lead_dsl=staff.dsl,
        shared_widely=True,
    )
    pictured = add_pupil(school, staff, incident, ["pictured"])
    sender = add_pupil(school, staff, incident, ["sender", "creator"])
    receivers = [add_pupil(school, staff, incident, ["recipient"]) for _ in range(2)]
    involvement_add(
        actor=staff.dsl,
        incident=incident,
        kind=PersonKind.UNKNOWN,
        roles=["recipient"],
        description="An online contact on Snapchat",
    )
    children = [pictured, sender, *receivers]
    decision_record(
        actor=staff.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.REFER_BOTH,
        rationale=(
            "The photo has reached an online contact whose age is not known and has been "
            "shared beyond the two pupils: the police and children's social care must know."
        ),
        decided_at=at(0.2),
        attendees="DSL, deputy DSL, headteacher",
    )
    for number, child in enumerate(children):
        parent_contact_record(
            actor=staff.dsl,
            incident=incident,
            involvement=child,
            informed=number != 1,
            **(
                {
                    "contact_name": "Her mother",
                    "relationship": "mother",
                    "method": ContactMethod.PHONE,
                    "contacted_at": at(0.3 + number / 10),
                    "advice_given": "Explained what the school is doing and what happens next.",
                }
                if number != 1
                else {
                    "not_informed_reasons": "Telling them would put him at risk of harm at home.",
                    "agreed_with": "Duty social worker",
                }
            ),
        )
    for number, agency in enumerate((Agency.POLICE, Agency.SOCIAL_CARE, Agency.REPORT_REMOVE)):
        referral = referral_record(
            actor=staff.dsl,
            incident=incident,
            agency=agency,
            made_at=at(0.5 + number / 10),
            method=ContactMethod.PHONE,
            reasons="Imagery of a child shared with an online contact whose age is unknown.",
            reference_number=f"LOG-{4242 + number}",
        )
        for chase in range(2):
            follow_up_record(
                actor=staff.dsl,
                referral=referral,
                chased_at=at(3 + 4 * chase + number),
                spoke_to="The duty officer",
                method=ContactMethod.PHONE,
                said="Still being looked at; they will call back this week.",
                escalation=chase == 1,
            )
    for number, kind in enumerate((MeetingKind.STRATEGY, MeetingKind.TEAM_AROUND_FAMILY)):
        meeting_record(
            actor=staff.dsl,
            incident=incident,
            kind=kind,
            held_at=at(2 + 10 * number),
            attendees="DSL, police, social worker",
            agencies="Police, children's social care",
            school_attended=True,
            school_contributed=True,
            actions_for_school="Supervise break times; check in with the pupils weekly.",
        )
    RiskAssessment.objects.create(
        incident=incident,
        summary="Medium risk: the photo may still be on an online contact's phone.",
        assessed_at=at(1),
        assessed_by=staff.dsl,
    )
    imagery_viewing_record(
        actor=staff.dsl,
        incident=incident,
        pictured=pictured,
        viewer=staff.dsl,
        reason=ViewingReason.TO_REPORT,
        reason_details="To report it for take-down, with the pupil's consent.",
        viewed_at=at(1.1),
        present="The deputy DSL",
        headteacher_informed_at=at(1.2),
        what_followed="Reported to the platform and to Report Remove.",
    )
    for child in children[:3]:
        DeviceSeizureFactory.create(
            incident=incident,
            involvement=child,
            seized_at=at(0.4),
            seized_by=staff.dsl,
            handed_to_police_at=at(1.5),
            handed_to="PC Shah 123",
        )
        DeletionRequestFactory.create(
            incident=incident,
            involvement=child,
            requested_at=at(2.5),
            requested_by=staff.dsl,
            deadline=at(3.5),
            confirmed_at=at(3),
            confirmation="Showed the deleted folders and the empty recently deleted album.",
        )
    for number, child in enumerate(children):
        interview_record(
            actor=staff.dsl,
            incident=incident,
            involvement=child,
            held_at=at(0.25 + number / 20),
            conducted_by=staff.dsl,
            others_present="",
            child_told_of_record=True,
            record="Talked it through: what happened, who has the photo, how they feel now.",
        )
    for number, site in enumerate(("Snapchat", "Instagram")):
        report = online_report_record(
            actor=staff.dsl,
            incident=incident,
            platform=site,
            channel=ReportChannel.PLATFORM,
            reported_at=at(1.3 + number / 10),
            reported_by="The DSL",
        )
        online_report_outcome_record(
            actor=staff.dsl,
            report=report,
            expected_version=report.version,
            outcome=ReportOutcome.REMOVED,
            outcome_at=at(4 + number),
            notes="Confirmed removed by the platform.",
        )
    sign_everything(staff, incident, "Content with the decision and the school's response.")
    review = 0
    while len(incident_timeline(incident)) < entries:
        review += 1
        decision_record(
            actor=staff.deputy,
            incident=incident,
            kind=DecisionKind.REVIEW,
            outcome=DecisionOutcome.REFER_BOTH,
            rationale=f"Review {review}: the pupils are supported; the referrals stand.",
            decided_at=at(20 + review),
        )
    return Incident.objects.select_related("school", "lead_dsl").get(pk=incident.pk)


def ordinary_record(
    rng: random.Random,
    school: School,
    staff: Staff,
    came_to_light_at: dt.datetime,
    pupil: Pupil | None = None,
) -> None:
    """An incident of ordinary size: one to three pupils (the first `pupil`, if given),
    a decision, parents told, a conversation each, sometimes a referral chased, a review
    or a take-down."""
    incident = incident_create(
        actor=staff.dsl,
        school=school,
        came_to_light_how=rng.choice(CameToLight.values),
        came_to_light_at=came_to_light_at,
        narrative="A pupil told a member of staff that a photo had been shared.",
        lead_dsl=staff.dsl,
    )

    def at(hours: float) -> dt.datetime:
        return came_to_light_at + dt.timedelta(hours=hours)

    children = [add_pupil(school, staff, incident, ["pictured", "sender"], pupil)]
    children += [
        add_pupil(school, staff, incident, ["recipient"]) for _ in range(rng.randint(0, 2))
    ]
    refer = rng.random() < 0.3
    decision_record(
        actor=staff.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.REFER_SOCIAL_CARE if refer else DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="Decided at the initial review meeting with the deputy DSL.",
        decided_at=at(2),
    )
    for child in children:
        parent_contact_record(
            actor=staff.dsl,
            incident=incident,
            involvement=child,
            informed=True,
            contact_name="A parent",
            relationship="mother",
            method=ContactMethod.PHONE,
            contacted_at=at(3),
        )
        interview_record(
            actor=staff.dsl,
            incident=incident,
            involvement=child,
            held_at=at(1),
            conducted_by=staff.dsl,
            others_present="",
            child_told_of_record=True,
            record="Talked it through.",
        )
    if refer:
        referral = referral_record(
            actor=staff.dsl,
            incident=incident,
            agency=Agency.SOCIAL_CARE,
            made_at=at(4),
            method=ContactMethod.ONLINE_FORM,
            reasons="Decided at the initial review meeting.",
        )
        follow_up_record(
            actor=staff.dsl,
            referral=referral,
            chased_at=at(50),
            spoke_to="The MASH duty worker",
            method=ContactMethod.PHONE,
            said="Passed to a social worker.",
        )
    if rng.random() < 0.3:
        report = online_report_record(
            actor=staff.dsl,
            incident=incident,
            platform="Snapchat",
            channel=ReportChannel.REPORT_REMOVE,
            reported_at=at(5),
            reported_by="The pupil, with the DSL",
        )
        online_report_outcome_record(
            actor=staff.dsl,
            report=report,
            expected_version=report.version,
            outcome=ReportOutcome.REMOVED,
            outcome_at=at(30),
            notes="",
        )
    if rng.random() < 0.4:
        decision_record(
            actor=staff.dsl,
            incident=incident,
            kind=DecisionKind.REVIEW,
            outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
            rationale="Reviewed a fortnight on: the pupils are settled.",
            decided_at=at(24 * 14),
        )
    if not refer:
        sign_everything(staff, incident, "Content not to refer.")


def academic_year() -> tuple[dt.date, dt.date]:
    """The last academic year that has ended: 1 September to 31 August."""
    today = timezone.localdate()
    end_year = today.year if today.month >= 9 else today.year - 1
    return dt.date(end_year - 1, 9, 1), dt.date(end_year, 8, 31)


def caseload(school: School, staff: Staff, count: int) -> None:
    rng = random.Random(SEED)
    first, last = academic_year()
    days = (last - first).days
    for _ in range(count):
        day = first + dt.timedelta(days=rng.randint(0, days - 3))
        moment = dt.datetime.combine(day, dt.time(rng.randint(8, 15), rng.choice((0, 30))))
        ordinary_record(rng, school, staff, timezone.make_aware(moment))


# --- Measuring ------------------------------------------------------------------------------


def pages_of(data: bytes) -> str:
    if not shutil.which("pdfinfo"):
        return "? (pdfinfo not installed)"
    info = subprocess.run(
        ["pdfinfo", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    return found.group(1) if found else "?"


def once(export: Callable[[], bytes]) -> tuple[bytes, float, float]:
    """One export, timed (wall and CPU seconds), then rolled back: every run renders
    the same record, without the audit and access log rows of the runs before it."""
    with transaction.atomic():
        start, cpu = time.perf_counter(), time.process_time()
        data = export()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        transaction.set_rollback(True)
    return data, seconds, cpu


def timed(name: str, runs: int, target: float, export: Callable[[], bytes]) -> None:
    _, seconds, cpu = once(export)
    print(f"{name}: warm-up run {seconds:.2f} s (cpu {cpu:.2f} s), not counted")
    times = []
    for run in range(1, runs + 1):
        data, seconds, cpu = once(export)
        times.append(seconds)
        print(f"{name}: run {run} {seconds:.2f} s (cpu {cpu:.2f} s)")
        sys.stdout.flush()
    median = statistics.median(times)
    verdict = "met" if median < target else "MISSED"
    print(
        f"{name}: median {median:.2f} s over {runs} runs, {pages_of(data)} pages, "
        f"{len(data) / 1024:,.0f} KiB; target under {target:.0f} s: {verdict}"
    )
    sys.stdout.flush()


def measure_record(runs: int) -> None:
    school, staff = school_with_staff("Riverside Academy", "RA")
    start = time.perf_counter()
    incident = long_record(school, staff, RECORD_ENTRIES)
    entries = len(incident_timeline(incident))
    print(f"record: {entries} chronology entries, built in {time.perf_counter() - start:.1f} s")

    def export() -> bytes:
        return incident_export(actor=staff.dsl, incident=incident, redacted=False)[1]

    timed("record", runs, RECORD_TARGET, export)


def measure_pack(runs: int) -> None:
    if importlib.util.find_spec("incidents.packs.services") is None:
        print("pack: not measured (incidents.packs.services missing)")
        return
    pack_services: Any = importlib.import_module("incidents.packs.services")
    school, staff = school_with_staff("Hillside School", "HS")
    start = time.perf_counter()
    caseload(school, staff, PACK_INCIDENTS)
    incidents = Incident.objects.filter(school=school)
    entries = sorted(len(incident_timeline(incident)) for incident in incidents)
    print(
        f"pack: {len(entries)} incidents ({entries[0]}–{entries[-1]} chronology entries, "
        f"median {statistics.median(entries):.0f}), built in {time.perf_counter() - start:.1f} s"
    )
    first, last = academic_year()

    def export() -> bytes:
        export = pack_services.school_pack_create(
            actor=staff.dsl, school=school, date_from=first, date_to=last, redacted=False
        )
        pack_services.school_pack_generate(export_id=export.id)
        export = Export.objects.get(pk=export.pk)
        if export.status != "ready":
            raise RuntimeError(f"The pack ended {export.status}: {export.error}")
        path = Path(settings.PRIVATE_FILES_ROOT) / "exports" / f"{export.id}.pdf"
        return path.read_bytes()

    timed("pack", runs, PACK_TARGET, export)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (3)")
    parser.add_argument("--only", choices=["record", "pack"], help="measure only this")
    args = parser.parse_args(argv)

    creation = connection.creation
    original = settings.DATABASES["default"]["NAME"]
    with tempfile.TemporaryDirectory(prefix="export-benchmark-") as files:
        settings.PRIVATE_FILES_ROOT = Path(files)
        # As production lays packs out: one worker process a core, unless PDF_WORKERS
        # says otherwise (the test settings this runs with lay them out in-process).
        settings.PDF_WORKERS = int(os.environ.get("PDF_WORKERS") or os.cpu_count() or 1)
        throwaway = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            print(
                f"{database_version()} (throwaway database {throwaway}), "
                f"WeasyPrint {weasyprint.__version__}, Python {platform.python_version()}, "
                f"seed {SEED}, {settings.PDF_WORKERS} PDF workers on {os.cpu_count()} cores"
            )
            if args.only in (None, "record"):
                measure_record(args.runs)
            if args.only in (None, "pack"):
                measure_pack(args.runs)
        finally:
            connection.close()
            creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()

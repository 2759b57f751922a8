"""The school caseload pack (issue 8 items 3, 4): the referrals list, counts and medians,
each of the eight questions of 002 §7.0 with figures computed from known records, every
record in range and nothing else, redaction, the progress page and download, the pack
made after the commit (in a thread or not), a failure that leaves no file, who may ask
for and fetch a pack, the `export_school` command, and every export logged.

Packs here hold two or three incidents: rendering is what takes the time.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from incidents.access_log import access_record
from incidents.exports.redaction import Redactor
from incidents.exports.selectors import incident_record
from incidents.models import (
    AccessAction,
    AccessLogEntry,
    DecisionKind,
    DecisionOutcome,
    Export,
    ExportKind,
    ExportStatus,
    Incident,
)
from incidents.packs import jobs as pack_jobs
from incidents.packs import pdf as pack_pdf_module
from incidents.packs import services as pack_services
from incidents.packs.contents import Measure, PackContents, Question, pack_contents, pack_incidents
from incidents.packs.pdf import pack_pdf
from incidents.packs.services import pack_path, school_pack_create, school_pack_generate
from incidents.services import decision_record
from safeguarding.audit import save_audited
from safeguarding.history_chain import verify_history
from safeguarding.two_factor import REAUTHENTICATED_AT_KEY
from tests.factories import IncidentFactory, InvolvementFactory
from tests.incidents.case.test_views import ago
from tests.incidents.exports.test_record import (
    STAFF_NAMES,
    every_name,
    page_count,
    pdf_text,
    rich_incident,
)

pytestmark = pytest.mark.django_db

#: A pupil with an apostrophe in her name: escaped in HTML, plain in the PDF's text.
SIMPLE_PUPIL = ("Niamh", "O'Dowd")
HIDDEN_PUPIL = ("Hermione", "Quillfeather")


@pytest.fixture(autouse=True)
def pack_settings(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"
    settings.PACKS_IN_BACKGROUND = False


@pytest.fixture
def named(people: Any) -> Any:
    for who, name in STAFF_NAMES.items():
        user = getattr(people, who)
        user.full_name = name
        save_audited(user, actor=people.operator)
    return people


def new_incident(**kwargs: Any) -> Incident:
    """`IncidentFactory`, typed as the incident it makes."""
    return cast(Incident, IncidentFactory(**kwargs))


def span() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today - dt.timedelta(days=60), today


def simple_incident(people: Any, **kwargs: Any) -> Incident:
    """An incident of one pupil, decided (a later review: manage in school) but neither
    triaged, nor signed off, nor with parents contacted: it falls short of most figures."""
    incident = new_incident(
        school=people.school,
        created_by=people.dsl,
        lead_dsl=people.dsl,
        came_to_light_at=ago(days=5),
        **kwargs,
    )
    given, family = SIMPLE_PUPIL
    InvolvementFactory(incident=incident, pupil__given_name=given, pupil__family_name=family)
    decision_record(
        actor=people.dsl,
        incident=incident,
        kind=DecisionKind.REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="Both pupils 15; no pressure; managed by the pastoral team.",
        decided_at=ago(days=4),
    )
    return Incident.objects.select_related("school", "lead_dsl").get(pk=incident.pk)


class Caseload:
    """What the pack of `named.dsl` must and must not hold."""

    def __init__(self, people: Any) -> None:
        self.rich = rich_incident(people)
        self.simple = simple_incident(people)
        # Left out: a restricted incident led by a colleague (the DSL is not granted it),
        # one from before the range, and one of another school.
        self.restricted = new_incident(
            school=people.school,
            restricted=True,
            lead_dsl=people.colleague_dsl,
            created_by=people.colleague_dsl,
            came_to_light_at=ago(days=3),
        )
        given, family = HIDDEN_PUPIL
        InvolvementFactory(
            incident=self.restricted, pupil__given_name=given, pupil__family_name=family
        )
        self.too_old = new_incident(school=people.school, came_to_light_at=ago(days=90))
        self.elsewhere = new_incident(school=people.other_school, came_to_light_at=ago(days=5))

    @property
    def included(self) -> list[Incident]:
        return [self.rich, self.simple]

    @property
    def excluded(self) -> list[Incident]:
        return [self.restricted, self.too_old, self.elsewhere]


@pytest.fixture
def caseload(named: Any) -> Caseload:
    return Caseload(named)


def make_pack(people: Any, who: str = "dsl", *, redacted: bool = False) -> Export:
    date_from, date_to = span()
    export = school_pack_create(
        actor=getattr(people, who),
        school=people.school,
        date_from=date_from,
        date_to=date_to,
        redacted=redacted,
    )
    school_pack_generate(export_id=export.id)
    export.refresh_from_db()
    return export


@pytest.fixture
def full_pack(named: Any, caseload: Caseload, tmp_path: Path) -> tuple[Export, bytes, str]:
    export = make_pack(named)
    data = pack_path(export).read_bytes()
    return export, data, pdf_text(data, tmp_path)


# --- Contents ------------------------------------------------------------------------------


def test_the_pack_has_referrals_then_counts_then_questions_then_every_record(
    full_pack: tuple[Export, bytes, str], caseload: Caseload
) -> None:
    export, _, text = full_pack
    rich, simple = caseload.rich, caseload.simple
    referral = rich.referrals.get()
    made = timezone.localtime(referral.made_at)
    for expected in (
        # The cover
        "Riverside Academy",
        "Caseload pack",
        "OFFICIAL-SENSITIVE",
        "Exported by Imogen Quarrie",
        str(export.id),
        "Full records.",
        # The referrals list: date, incident, pupils' initials, agency, outcome, time taken
        f"{made:%-d %b %Y %H:%M} {rich.reference} ZO, RF Police Outcome awaited 2 days",
        # Counts and medians
        "Incidents 2",
        "Referrals made for them 1",
        "First referral 2 days 1 of 2",
        "Incidents by status, as the records stand Status Incidents Being logged 1 Awaiting "
        "initial review 1",
        "Referrals by agency Agency Referrals Police 1",
        "Referrals by outcome Outcome Referrals Outcome awaited 1",
        # The questions, each with its figures and the records that fall short
        "1. Are records up to date and complete?",
        "1 of 2 incidents (50%) have the essentials recorded",
        f"{simple.reference}: not triaged; a pupil without parent contact or a reason not to "
        "inform",
        f"{rich.reference}: a referral awaits an answer past the date to chase it",
        "1 of 2 incidents managed in school without referral (50%) have a risk assessment",
        f"{simple.reference}: no risk assessment recorded",
        "2 of 2 incidents (100%) have a decision recorded with its rationale",
        "0 of 1 incidents the triage said to refer immediately (0%) were referred to the police "
        "or children's social care within 24 hours",
        f"{rich.reference}: referred 2 days after it came to light",
        "1 of 2 incidents (50%) had an initial review meeting recorded",
        "1 of 1 referrals not answered by the date an answer was due (100%) were chased",
        "0 of 1 referrals (0%) record the information shared",
        "1 of 1 inter-agency meetings (100%) were attended by the school",
        "1 of 2 decisions not to refer (50%) are signed off by the headteacher",
        f"{simple.reference}: Later review of",
        "headteacher sign-off awaited",
        # Each record
        f"{rich.reference}: summary",
        f"{simple.reference}: summary",
        "Zephyrine Okonkwo",
        "Niamh O'Dowd",
    ):
        assert expected in text, expected
    positions = [
        text.index(heading)
        for heading in (
            "Referrals Every referral made",
            "Counts and median times Incidents that came to light",
            "What the records show: the eight questions When",
            f"{rich.reference}: summary School",
            f"{simple.reference}: summary School",
        )
    ]
    assert positions == sorted(positions)
    for incident in caseload.excluded:
        assert incident.reference not in text
    assert HIDDEN_PUPIL[1] not in text


def parts_of(data: bytes, tmp_path: Path) -> list[list[str]]:
    """The pack's pages, as text, grouped in its parts: each part numbers its pages from 1."""
    parts: list[list[str]] = []
    for number in range(1, page_count(data, tmp_path) + 1):
        text = pdf_text(data, tmp_path, page=number)
        found = re.search(r"page (\d+) of (\d+)", text)
        assert found, f"page {number} has no page number"
        if found.group(1) == "1":
            parts.append([])
        parts[-1].append(text)
    return parts


def test_the_front_pages_and_each_record_number_their_own_pages(
    full_pack: tuple[Export, bytes, str], caseload: Caseload, tmp_path: Path
) -> None:
    """A record taken out of a printed pack is whole: it numbers its own pages, after
    the pages of figures, and every page carries the marking and the export id."""
    export, data, _ = full_pack
    front, *records = parts_of(data, tmp_path)
    assert "Caseload pack" in front[0]
    assert len(records) == len(caseload.included)
    for part, incident in zip(records, caseload.included, strict=True):
        assert f"{incident.reference}: summary" in part[0]
    for part in (front, *records):
        for number, text in enumerate(part, start=1):
            assert f"page {number} of {len(part)}" in text
            assert "OFFICIAL-SENSITIVE" in text
            assert f"Export {export.id}" in text


def test_a_record_in_the_pack_leaves_out_what_it_repeats_and_says_so(
    full_pack: tuple[Export, bytes, str], caseload: Caseload, tmp_path: Path
) -> None:
    _, data, text = full_pack
    assert "appendix, audit trail" not in text
    assert ": chronology" not in text
    assert text.count("leaves out its chronology list and its audit trail") == 2
    simple = " ".join(parts_of(data, tmp_path)[2])
    # The simple record's one decision, with its rationale, and the sections it lacks
    assert "Both pupils 15; no pressure; managed by the pastoral team." in simple
    assert "Nothing recorded under: Referrals, follow-ups and meetings; Parents and" in simple


def test_the_front_pages_link_to_each_record_and_bookmarks_nest_under_it(
    full_pack: tuple[Export, bytes, str], caseload: Caseload, tmp_path: Path
) -> None:
    _, data, _ = full_pack
    front, rich, _ = parts_of(data, tmp_path)
    reader = PdfReader(io.BytesIO(data))
    page_of = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}
    destinations = [
        annotation.get_object().get("/Dest")
        for page in reader.pages[: len(front)]
        for annotation in page.get("/Annots", [])
    ]
    # Links within the front pages name their destination; links to records, added
    # when the parts are joined, give the page itself.
    targets = {page_of[dest[0].idnum] for dest in destinations if isinstance(dest, list)}
    first_pages = {len(front), len(front) + len(rich)}
    assert first_pages <= targets  # the contents lead to each record's first page
    outline = reader.outline
    position = next(
        number
        for number, item in enumerate(outline)
        if not isinstance(item, list) and item.title == f"{caseload.rich.reference}: summary"
    )
    nested = outline[position + 1]
    assert isinstance(nested, list)
    assert f"{caseload.rich.reference}: people involved" in [
        item.title for item in nested if not isinstance(item, list)
    ]
    assert reader.metadata is not None and reader.metadata.title.startswith("Riverside Academy")


def test_the_pack_is_the_same_laid_out_in_worker_processes(
    named: Any, caseload: Caseload, settings: Any, tmp_path: Path
) -> None:
    """Production lays records out in worker processes (PDF_WORKERS); the other tests
    lay them out in this one, so this compares the two, page by page."""

    def records(workers: int) -> list[list[str]]:
        """The records' pages (the front pages' figures count the first pack's log
        entries, so they differ), the export's own id and time taken out."""
        settings.PDF_WORKERS = workers
        export = make_pack(named)
        _, *parts = parts_of(pack_path(export).read_bytes(), tmp_path)
        when = re.compile(r"\d{1,2} \w+ \d{4} \d{2}:\d{2}")
        return [
            [when.sub("WHEN", text.replace(str(export.id), "EXPORT")) for text in part]
            for part in parts
        ]

    in_workers = records(2)
    assert len(in_workers) == len(caseload.included)
    assert in_workers == records(1)


def contents_for(people: Any) -> PackContents:
    """What the DSL's pack for the usual dates prints before the records."""
    date_from, date_to = span()
    return pack_contents(
        actor=people.dsl,
        school=people.school,
        date_from=date_from,
        date_to=date_to,
        redactor=Redactor.none(),
    )


def figures(question: Question) -> list[tuple[int, int, list[str]]]:
    return [
        (measure.numerator, measure.denominator, [s.reference for s in measure.shortfalls])
        for measure in question.measures
    ]


def test_each_question_is_answered_from_the_records(named: Any, caseload: Caseload) -> None:
    """The figures, computed by hand from the two records in the pack (the restricted,
    old and other school's incidents count nowhere)."""
    contents = contents_for(named)
    rich, simple = caseload.rich.reference, caseload.simple.reference
    assert contents.incidents == 2
    assert [incident.reference for incident in contents.included] == [rich, simple]
    assert [
        (row.reference, row.pupils, row.agency, row.outcome, row.time_taken)
        for row in contents.referrals
    ] == [(rich, "ZO, RF", "Police", "Outcome awaited", "2 days")]
    assert [(tally.label, tally.count) for tally in contents.by_status] == [
        ("Being logged", 1),
        ("Awaiting initial review", 1),
    ]
    questions = {question.number: question for question in contents.questions}
    assert list(questions) == ["1", "2", "3", "4", "5", "6", "7", "8", "+"]
    assert figures(questions["1"]) == [(1, 2, [simple]), (1, 2, [rich])]
    assert figures(questions["2"]) == [(1, 2, [simple]), (1, 2, [simple])]
    # The triage of the rich incident calls for an immediate referral (an online contact
    # of unknown age); it was referred to the police, two days after it came to light.
    assert figures(questions["3"]) == [(2, 2, []), (1, 1, []), (0, 1, [rich])]
    assert figures(questions["4"]) == [(1, 2, [simple]), (1, 2, [simple])]
    assert figures(questions["5"]) == [(1, 1, [])]  # answer overdue, chased
    assert figures(questions["6"]) == [(0, 1, [rich]), (0, 1, [rich])]
    assert figures(questions["7"]) == [(1, 1, []), (1, 1, [])]
    assert figures(questions["8"]) == []
    assert ("Incidents restricted to named staff", 0) in [
        (fact.label, fact.count) for fact in questions["8"].facts
    ]
    assert figures(questions["+"]) == [(1, 2, [simple])]
    assert questions["+"].measures[0].shortfalls[0].what.endswith("headteacher sign-off awaited")
    assert questions["1"].measures[0].percentage == 50


def test_a_pack_of_no_incidents_says_so(named: Any, tmp_path: Path) -> None:
    export = make_pack(named)
    assert (export.status, export.total) == (ExportStatus.READY, 0)
    text = pdf_text(pack_path(export).read_bytes(), tmp_path)
    for expected in (
        "No incident came to light from",
        "No referral was made for these incidents.",
        "No incidents, so no figure for how many have the essentials recorded",
    ):
        assert expected in text, expected


def test_percentages_are_rounded_down_and_nothing_to_count_is_no_figure() -> None:
    assert Measure("x", "incidents", 199, 200, []).percentage == 99
    assert Measure("x", "incidents", 2, 3, []).percentage == 66
    assert Measure("x", "incidents", 0, 0, []).percentage is None


def test_the_head_sees_the_restricted_incident_in_the_pack(named: Any, caseload: Caseload) -> None:
    date_from, date_to = span()
    references = set(
        pack_incidents(named.head, named.school, date_from, date_to).values_list(
            "reference", flat=True
        )
    )
    assert references == {caseload.rich.reference, caseload.simple.reference,
                          caseload.restricted.reference}  # fmt: skip


def test_the_overview_costs_the_same_queries_for_any_number_of_incidents(named: Any) -> None:
    for _ in range(2):
        simple_incident(named)

    def overview_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            contents_for(named)
        return len(captured)

    overview_queries()  # warm the caches
    two = overview_queries()
    simple_incident(named)
    assert overview_queries() == two


def test_each_record_adds_only_the_queries_of_its_record(named: Any) -> None:
    """Making the PDF reads each record, without its audit trail and sign-offs (read
    with the figures), and nothing more."""
    simple_incident(named)
    export = Export(requested_by=named.dsl, school=named.school)

    def pdf_queries() -> int:
        contents = contents_for(named)
        with CaptureQueriesContext(connection) as captured:
            pack_pdf(
                contents=contents,
                redactor=Redactor.none(),
                export=export,
                exported_by="Imogen Quarrie",
                exported_at=timezone.now(),
                marking="OFFICIAL-SENSITIVE",
                title="Pack",
                author="School",
                progress=lambda done: None,
            )
        return len(captured)

    pdf_queries()  # warm the caches
    one = pdf_queries()
    second = simple_incident(named)
    two = pdf_queries()
    with CaptureQueriesContext(connection) as captured:
        # The pack reads every incident's sign-off items with its figures, not per record.
        incident_record(second, redactor=Redactor.none(), with_audit_trail=False, sign_offs=[])
    assert two - one == len(captured) > 0


# --- Redaction -----------------------------------------------------------------------------


def test_a_redacted_pack_names_no_pupil_and_no_member_of_staff(
    named: Any, caseload: Caseload, tmp_path: Path
) -> None:
    export = make_pack(named, "head", redacted=True)
    assert export.status == ExportStatus.READY and export.redacted
    assert export.file_name.endswith("-redacted.pdf")
    text = pdf_text(pack_path(export).read_bytes(), tmp_path)
    names = every_name(caseload.rich, named) + every_name(caseload.simple, named)
    names += [*HIDDEN_PUPIL, " ".join(HIDDEN_PUPIL)]  # the head's pack holds it
    assert {"Zephyrine", "O'Dowd", "Niamh O'Dowd", "Imogen Quarrie", "Quillfeather"} <= set(names)
    for name in names:
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE), name
    for expected in (
        "Exported by Headteacher",
        "pupils' names as initials, staff names as their roles",
        "ZO, RF",
        "Headteacher and Designated safeguarding lead agreed",
        caseload.restricted.reference,
        str(export.id),
    ):
        assert expected in text, expected


# --- Logging -------------------------------------------------------------------------------


def test_the_pack_is_logged_and_each_record_names_it(
    full_pack: tuple[Export, bytes, str], named: Any, caseload: Caseload
) -> None:
    export, data, text = full_pack
    assert (export.kind, export.school, export.requested_by, export.redacted) == (
        ExportKind.SCHOOL_PACK,
        named.school,
        named.dsl,
        False,
    )
    assert (export.status, export.done, export.total, export.error) == ("ready", 2, 2, "")
    assert (export.date_from, export.date_to) == span()
    assert export.finished_at is not None
    assert export.file_name == (f"RA-caseload-{span()[0]:%Y-%m-%d}-to-{span()[1]:%Y-%m-%d}.pdf")
    statuses = list(export.history.order_by("history_id").values_list("status", flat=True))
    assert statuses[0] == "queued" and "running" in statuses and statuses[-1] == "ready"
    assert verify_history(Export.history.model).problems == []  # every change has its row
    entries = AccessLogEntry.objects.filter(action=AccessAction.EXPORTED)
    assert {(entry.incident_id, entry.user_id, entry.detail) for entry in entries} == {
        (incident.pk, named.dsl.pk, f"Export {export.id}; full") for incident in caseload.included
    }
    assert data.startswith(b"%PDF-") and str(export.id) in text
    assert list(pack_path(export).parent.iterdir()) == [pack_path(export)]  # no partial file


def test_progress_is_saved_as_records_are_laid_out(
    named: Any, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The progress page reads the row: it must move while the pack is made, not only
    at the end (one record a batch here, so each record can move it)."""
    monkeypatch.setattr(pack_pdf_module, "RECORDS_PER_BATCH", 1)
    export = make_pack(named)
    running = [
        row.done
        for row in export.history.order_by("history_date", "history_id")
        if row.status == ExportStatus.RUNNING
    ]
    assert running[0] == 0
    assert running[-1] == len(caseload.included)
    assert running == sorted(running)


def test_a_pack_is_made_once(named: Any) -> None:
    simple_incident(named)
    export = make_pack(named)
    before = export.history.count()
    school_pack_generate(export_id=export.id)
    assert export.history.count() == before
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORTED).count() == 1


# --- Failure -------------------------------------------------------------------------------


def test_a_failed_pack_says_why_and_leaves_no_file_and_no_log_entry(
    named: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    simple_incident(named)

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(pack_services, "pack_pdf", broken)
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.dsl, school=named.school, date_from=date_from, date_to=date_to, redacted=False
    )
    school_pack_generate(export_id=export.id)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "RuntimeError" in export.error and len(export.error) <= 300
    assert export.finished_at is not None
    assert not pack_path(export).parent.exists() or not any(pack_path(export).parent.iterdir())
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORTED).exists()
    assert "layout exploded" in caplog.text


def test_a_failure_after_the_file_is_written_leaves_nothing_either(
    named: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    simple_incident(named)
    monkeypatch.setattr(pack_services, "pack_pdf", lambda **kwargs: b"%PDF-1.7 test")

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pack_services.os, "replace", refuse)
    export = make_pack(named)
    assert export.status == ExportStatus.FAILED
    assert not any(pack_path(export).parent.iterdir())
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORTED).exists()


def test_a_requester_who_lost_the_permission_gets_no_pack(named: Any) -> None:
    from safeguarding.services import membership_revoke

    simple_incident(named)
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.deputy,
        school=named.school,
        date_from=date_from,
        date_to=date_to,
        redacted=False,
    )
    membership = named.deputy.memberships.get(school=named.school)
    membership_revoke(membership=membership, revoked_by=named.operator)
    school_pack_generate(export_id=export.id)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "no longer holds export records" in export.error


@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        (dt.date(2025, 9, 2), dt.date(2025, 9, 1), "same as or after the start date"),
        (dt.date(2024, 9, 1), dt.date(2026, 9, 1), "31 August 2026 or earlier"),
        (dt.date(2024, 2, 29), dt.date(2026, 3, 1), "28 February 2026 or earlier"),
    ],
)
def test_the_service_refuses_a_bad_range(
    named: Any, date_from: dt.date, date_to: dt.date, message: str
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        school_pack_create(
            actor=named.dsl,
            school=named.school,
            date_from=date_from,
            date_to=date_to,
            redacted=False,
        )
    assert not Export.objects.exists()


def test_the_service_refuses_someone_without_export_records(named: Any) -> None:
    from django.core.exceptions import PermissionDenied

    date_from, date_to = span()
    for who in ("staff", "other_dsl", "nobody"):
        with pytest.raises(PermissionDenied):
            school_pack_create(
                actor=getattr(named, who),
                school=named.school,
                date_from=date_from,
                date_to=date_to,
                redacted=False,
            )
    assert not Export.objects.exists()


# --- Over HTTP -----------------------------------------------------------------------------


def new_url(school: Any) -> str:
    return reverse("packs:new", kwargs={"school_id": school.pk})


def detail_url(export: Export, school: Any = None) -> str:
    school_id = (school or export.school).pk
    return reverse("packs:detail", kwargs={"school_id": school_id, "export_id": export.id})


def download_url(export: Export, school: Any = None) -> str:
    school_id = (school or export.school).pk
    return reverse("packs:download", kwargs={"school_id": school_id, "export_id": export.id})


def form_data(date_from: dt.date, date_to: dt.date, version: str = "full") -> dict[str, Any]:
    return {
        "date_from_0": date_from.day,
        "date_from_1": date_from.month,
        "date_from_2": date_from.year,
        "date_to_0": date_to.day,
        "date_to_1": date_to.month,
        "date_to_2": date_to.year,
        "version": version,
    }


def ready_pack(people: Any, who: str = "dsl", incidents: list[Incident] | None = None) -> Export:
    """A READY pack without rendering one: a stand-in file and the access log entries
    that make its list of records, as `school_pack_generate` writes them."""
    date_from, date_to = span()
    export = school_pack_create(
        actor=getattr(people, who),
        school=people.school,
        date_from=date_from,
        date_to=date_to,
        redacted=False,
    )
    for incident in incidents or []:
        access_record(
            user=export.requested_by,
            incident=incident,
            action=AccessAction.EXPORTED,
            detail=f"Export {export.id}; full",
        )
    export.status, export.done, export.finished_at = (
        ExportStatus.READY,
        export.total,
        timezone.now(),
    )
    save_audited(export, actor=export.requested_by)
    pack_path(export).parent.mkdir(parents=True, exist_ok=True)
    pack_path(export).write_bytes(b"%PDF-1.7 stand-in")
    return export


def test_asking_for_a_pack_makes_it_after_the_commit_and_offers_the_download(
    client: Any,
    named: Any,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    incident = simple_incident(named)
    client.force_login(named.head)
    page = client.get(new_url(named.school)).content.decode()
    start = timezone.localdate().replace(month=9, day=1)
    if start > timezone.localdate():
        start = start.replace(year=start.year - 1)
    assert f'value="{start.day}"' in page and f'value="{start.year}"' in page  # 1 September
    assert "pupils&#x27; names as initials" in page
    date_from, date_to = span()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(new_url(named.school), form_data(date_from, date_to))
    assert len(callbacks) == 1
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(export)
    assert (export.requested_by, export.status) == (named.head, ExportStatus.READY)
    page_response = client.get(detail_url(export))
    assert "Refresh" not in page_response
    page = page_response.content.decode()
    assert "Caseload pack: ready to download" in page
    assert download_url(export) in page and str(export.id) in page
    download = client.get(download_url(export))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{export.file_name}"'
    assert download["Cache-Control"] == "no-store, private"
    assert download["X-Content-Type-Options"] == "nosniff"
    data = b"".join(download.streaming_content)
    assert data.startswith(b"%PDF-")
    assert incident.reference in pdf_text(data, tmp_path)
    downloaded = AccessLogEntry.objects.get(action=AccessAction.DOWNLOADED)
    assert (downloaded.incident, downloaded.user) == (incident, named.head)
    assert downloaded.detail == f"Caseload pack {export.id}; full"


def test_the_pack_is_made_only_once_the_request_commits(
    client: Any, named: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(named.dsl)
    date_from, date_to = span()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(new_url(named.school), form_data(date_from, date_to, "redacted"))
    export = Export.objects.get()
    assert export.status == ExportStatus.QUEUED and export.redacted
    assert len(callbacks) == 1


def test_the_progress_page_updates_itself_until_asked_not_to(client: Any, named: Any) -> None:
    simple_incident(named)
    simple_incident(named)
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.dsl, school=named.school, date_from=date_from, date_to=date_to, redacted=False
    )
    export.status, export.done = ExportStatus.RUNNING, 1
    save_audited(export, actor=named.dsl)
    client.force_login(named.deputy)  # a colleague's pack: visible to the school's exporters
    response = client.get(detail_url(export))
    assert response.status_code == 200
    assert response["Refresh"] == "3"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert '<progress id="pack-progress" max="2" value="1">' in page
    assert "Records laid out: 1 of 2" in page
    assert 'href="?static=1">Stop updating this page</a>' in page
    assert download_url(export) not in page
    response = client.get(detail_url(export), {"static": "1"})
    assert "Refresh" not in response
    assert "This page is not updating itself." in response.content.decode()
    assert client.get(download_url(export)).status_code == 404


def test_a_pack_stuck_for_half_an_hour_is_offered_again(client: Any, named: Any) -> None:
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.dsl, school=named.school, date_from=date_from, date_to=date_to, redacted=False
    )
    Export.objects.filter(pk=export.pk).update(requested_at=ago(minutes=31))
    client.force_login(named.dsl)
    response = client.get(detail_url(export))
    assert "Refresh" not in response
    page = response.content.decode()
    assert "has not finished after more than 30 minutes" in page
    assert new_url(named.school) in page


def test_a_failed_pack_shows_why(client: Any, named: Any) -> None:
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.dsl, school=named.school, date_from=date_from, date_to=date_to, redacted=False
    )
    export.status, export.error = ExportStatus.FAILED, "The pack could not be made (KeyError)."
    save_audited(export, actor=named.dsl)
    client.force_login(named.dsl)
    response = client.get(detail_url(export))
    assert "Refresh" not in response
    assert "The pack could not be made (KeyError)." in response.content.decode()
    assert client.get(download_url(export)).status_code == 404


def test_the_new_page_lists_the_schools_packs(client: Any, named: Any) -> None:
    export = ready_pack(named, "head")
    client.force_login(named.dsl)
    page = client.get(new_url(named.school)).content.decode()
    assert detail_url(export) in page and "Hannah Head" not in page
    assert "Octavia Fennimore" in page and "Ready to download" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("dsl", 200),
        ("deputy", 200),
        ("head", 200),
        ("trust_lead", 200),
        ("staff", 404),
        ("other_dsl", 404),
        ("nobody", 404),
    ],
)
def test_who_may_ask_for_follow_and_download_a_pack(
    client: Any, named: Any, who: str, status: int
) -> None:
    incident = simple_incident(named)
    export = ready_pack(named, "dsl", [incident])
    client.force_login(getattr(named, who))
    assert client.get(new_url(named.school)).status_code == status
    assert client.get(detail_url(export)).status_code == status
    assert client.get(download_url(export)).status_code == status
    date_from, date_to = span()
    response = client.post(new_url(named.school), form_data(date_from, date_to))
    assert response.status_code == (302 if status == 200 else 404)
    assert Export.objects.count() == (2 if status == 200 else 1)
    downloads = AccessLogEntry.objects.filter(action=AccessAction.DOWNLOADED)
    assert downloads.count() == (1 if status == 200 else 0)


def test_anonymous_is_sent_to_sign_in(client: Any, named: Any) -> None:
    export = ready_pack(named)
    for url in (new_url(named.school), detail_url(export), download_url(export)):
        response = client.get(url)
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("login")


def test_other_schools_packs_and_other_exports_are_not_found(client: Any, named: Any) -> None:
    export = ready_pack(named)
    incident_export = Export.objects.create(
        kind=ExportKind.INCIDENT,
        school=named.school,
        incident=new_incident(school=named.school),
        requested_by=named.dsl,
        status=ExportStatus.READY,
    )
    client.force_login(named.trust_lead)  # reads both schools of the trust
    for url in (
        detail_url(export, named.other_school),
        download_url(export, named.other_school),
        detail_url(incident_export),
        download_url(incident_export),
        reverse("packs:new", kwargs={"school_id": 999_999}),
        detail_url(export).replace(str(export.id), "00000000-0000-0000-0000-000000000000"),
    ):
        assert client.get(url).status_code == 404, url


def test_a_pack_with_restricted_records_is_not_downloaded_by_a_colleague_without_them(
    client: Any, named: Any, caseload: Caseload
) -> None:
    export = ready_pack(named, "head", [caseload.simple, caseload.restricted])
    client.force_login(named.dsl)
    page = client.get(detail_url(export)).content.decode()
    assert "holds restricted records that you may not see" in page
    assert download_url(export) not in page
    assert client.get(download_url(export)).status_code == 403
    assert not AccessLogEntry.objects.filter(action=AccessAction.DOWNLOADED).exists()
    client.force_login(named.colleague_dsl)  # leads the restricted incident
    assert client.get(download_url(export)).status_code == 200


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"date_from_0": "", "date_from_1": "", "date_from_2": "", "version": ""},
            [
                "Start date: Enter the start date.",
                "Which version of the records: Choose the full records",
            ],
        ),
        (
            {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026", "version": "all"},
            ["Start date: The date must be a real date.", "Which version of the records: Choose"],
        ),
        (
            {"date_to_0": "1", "date_to_1": "9", "date_to_2": "2020"},
            ["End date: The end date must be the same as or after the start date."],
        ),
        (
            {"date_from_2": "2020"},
            ["End date: A pack covers at most 2 years"],
        ),
    ],
)
def test_a_bad_request_is_an_error_naming_the_field(
    client: Any, named: Any, data: dict[str, str], errors: list[str]
) -> None:
    client.force_login(named.dsl)
    date_from, date_to = span()
    response = client.post(new_url(named.school), {**form_data(date_from, date_to), **data})
    assert response.status_code == 400
    html = response.content.decode()
    for error in errors:
        assert error in html, error
    assert 'href="#id_date' in html or 'href="#id_version_0"' in html
    assert not Export.objects.exists()


def test_asking_for_a_pack_needs_a_recent_password(client: Any, named: Any) -> None:
    client.force_login(named.dsl)
    session = client.session
    session[REAUTHENTICATED_AT_KEY] = time.time() - settings.RECENT_AUTHENTICATION_MINUTES * 60 - 60
    session.save()
    date_from, date_to = span()
    response = client.post(new_url(named.school), form_data(date_from, date_to))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account:confirm_password")
    assert not Export.objects.exists()


def test_downloading_a_pack_needs_a_recent_password(client: Any, named: Any) -> None:
    export = ready_pack(named, "dsl", [simple_incident(named)])
    client.force_login(named.head)
    session = client.session
    session[REAUTHENTICATED_AT_KEY] = time.time() - settings.RECENT_AUTHENTICATION_MINUTES * 60 - 60
    session.save()
    response = client.get(download_url(export))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account:confirm_password")
    assert not AccessLogEntry.objects.filter(action=AccessAction.DOWNLOADED).exists()


# --- In the background ---------------------------------------------------------------------


def pack_threads(export: Export) -> Iterator[threading.Thread]:
    name = pack_jobs.thread_name(export.id)
    return (thread for thread in threading.enumerate() if thread.name == name)


@pytest.mark.django_db(transaction=True)
def test_a_pack_is_made_in_a_thread_after_the_commit(people: Any, settings: Any) -> None:
    """The web path with `PACKS_IN_BACKGROUND` on: the thread starts once the row is
    committed (here at once: no transaction is open), reads it on its own connection,
    and makes the pack."""
    settings.PACKS_IN_BACKGROUND = True
    simple_incident(people)
    date_from, date_to = span()
    export = school_pack_create(
        actor=people.dsl, school=people.school, date_from=date_from, date_to=date_to, redacted=False
    )
    pack_jobs.pack_start(export)
    threads = list(pack_threads(export))
    assert len(threads) == 1 and threads[0].daemon
    threads[0].join(timeout=120)
    assert not threads[0].is_alive()
    export.refresh_from_db()
    assert (export.status, export.done, export.total) == (ExportStatus.READY, 1, 1)
    assert pack_path(export).read_bytes().startswith(b"%PDF-")


def test_a_pack_queued_inside_a_transaction_waits_for_the_commit(
    named: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PACKS_IN_BACKGROUND = True
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.dsl, school=named.school, date_from=date_from, date_to=date_to, redacted=False
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pack_jobs.pack_start(export)
    assert len(callbacks) == 1
    assert list(pack_threads(export)) == []


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

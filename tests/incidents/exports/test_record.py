"""The incident record PDF (issue 8 items 1, 2, 4, 5): every section with the right
data, redaction that leaves no pupil or staff name, "page X of Y" on every page, each
export logged with the id printed in the PDF, who may export (over HTTP, with a recent
password) and the `export_incident` command. Text is read back with poppler's
pdftotext, as an inspector's tools would."""

from __future__ import annotations

import hashlib
import re
import subprocess
import time
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.exports.redaction import Redactor
from incidents.exports.selectors import incident_record
from incidents.exports.services import incident_export
from incidents.models import (
    AccessAction,
    AccessLogEntry,
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    Export,
    Incident,
    PersonKind,
    SignOffAction,
)
from incidents.services import decision_record, parent_contact_record
from incidents.signoff.items import sign_off_items
from incidents.signoff.services import sign_off_record
from incidents.triage.services import triage_refresh
from referrals.flow.services import follow_up_record, referral_record
from referrals.meetings.services import meeting_record
from referrals.models import Agency, MeetingKind
from safeguarding.audit import save_audited
from safeguarding.models import Sex
from safeguarding.two_factor import REAUTHENTICATED_AT_KEY
from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory
from tests.incidents.case.builders import respond_to

pytestmark = pytest.mark.django_db

# Staff names that no role label, heading or choice contains, so that finding one in a
# redacted PDF can only mean a name leaked.
STAFF_NAMES = {
    "dsl": "Imogen Quarrie",
    "deputy": "Bartholomew Vantongeren",
    "colleague_dsl": "Persephone Ashdown",
    "head": "Octavia Fennimore",
    "staff": "Leopold Tremayne",
    "trust_lead": "Evangeline Soubry",
}
PUPILS = {"pictured": ("Zephyrine", "Okonkwo"), "sender": ("Ruairi", "Featherstonhaugh")}


def pdf_text(data: bytes, tmp_path: Path, *, page: int | None = None) -> str:
    """The PDF's text, whitespace collapsed so a name wrapped across lines still reads
    as written; optionally one page only."""
    source = tmp_path / "export.pdf"
    source.write_bytes(data)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", *pages, str(source), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for its structure."""
    inflated = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def page_count(data: bytes, tmp_path: Path) -> int:
    source = tmp_path / "count.pdf"
    source.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(source)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))


@pytest.fixture
def named(people):
    for who, name in STAFF_NAMES.items():
        user = getattr(people, who)
        user.full_name = name
        save_audited(user, actor=people.operator)
    return people


def rich_incident(people) -> Incident:
    """An incident with one record of every kind, built through the services: people,
    triage, decisions, parents told and not told, a referral chased, a meeting, the
    response (risk, viewing, device, deletion, conversation, take-down) and sign-offs,
    one of them superseded by a later change."""
    incident = IncidentFactory(
        school=people.school,
        created_by=people.dsl,
        lead_dsl=people.dsl,
        came_to_light_at=ago(days=20),
        narrative=(
            "Zephyrine told Imogen Quarrie at break that Ruairi Featherstonhaugh had "
            "shared a photo of her. Mr Tremayne was on duty."
        ),
        status="awaiting_review",
    )
    given, family = PUPILS["pictured"]
    pictured = InvolvementFactory(
        incident=incident, pupil__given_name=given, pupil__family_name=family
    )
    given, family = PUPILS["sender"]
    sender = InvolvementFactory(
        incident=incident,
        pupil__given_name=given,
        pupil__family_name=family,
        pupil__sex=Sex.MALE,
        is_pictured=False,
        is_sender=True,
    )
    InvolvementFactory(
        incident=incident,
        kind=PersonKind.UNKNOWN,
        pupil=None,
        description="An online contact on Snapchat",
        is_pictured=False,
        is_recipient=True,
    )
    triage_refresh(actor=people.dsl, incident=incident)
    decision_record(
        actor=people.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="Octavia Fennimore and Imogen agreed: no coercion, both aged 15.",
        decided_at=ago(days=19),
        attendees="Imogen Quarrie, Bartholomew Vantongeren",
    )
    parent_contact_record(
        actor=people.dsl,
        incident=incident,
        involvement=pictured,
        informed=True,
        contact_name="Her mother",
        relationship="mother",
        method=ContactMethod.PHONE,
        contacted_at=ago(days=19),
        advice_given="Told her what Zephyrine Okonkwo had shared with the DSL.",
    )
    parent_contact_record(
        actor=people.deputy,
        incident=incident,
        involvement=sender,
        informed=False,
        not_informed_reasons="Telling them would put Ruairi at risk of harm at home.",
        agreed_with="Duty social worker",
    )
    referral = referral_record(
        actor=people.dsl,
        incident=incident,
        agency=Agency.POLICE,
        made_at=ago(days=18),
        method=ContactMethod.PHONE,
        reasons="The online contact's age is not known.",
        reference_number="LOG-4242",
    )
    follow_up_record(
        actor=people.dsl,
        referral=referral,
        chased_at=ago(days=15),
        spoke_to="PC Shah",
        method=ContactMethod.PHONE,
        said="Still being looked at; Persephone Ashdown to call back.",
        escalation=True,
    )
    meeting_record(
        actor=people.dsl,
        incident=incident,
        kind=MeetingKind.STRATEGY,
        held_at=ago(days=14),
        attendees="Imogen Quarrie, PC Shah",
        agencies="Police",
        school_attended=True,
        school_contributed=True,
        actions_for_school="Leopold Tremayne to supervise break times.",
    )
    respond_to(people, incident, pictured)
    for item in sign_off_items([incident]):
        sign_off_record(
            actor=people.head,
            incident=incident,
            kind=item.kind,
            subject_id=item.subject_id,
            action=SignOffAction.SIGNED,
            statement="Content with the decision, Octavia Fennimore",
            reviewed_digest=item.digest,
        )
    # A later fact supersedes the decision's sign-off: the headteacher signs again.
    parent_contact_record(
        actor=people.dsl,
        incident=incident,
        involvement=pictured,
        informed=True,
        contact_name="Her father",
        relationship="father",
        method=ContactMethod.IN_PERSON,
        contacted_at=ago(days=10),
    )
    for item in sign_off_items([incident]):
        if item.state != "signed":
            sign_off_record(
                actor=people.head,
                incident=incident,
                kind=item.kind,
                subject_id=item.subject_id,
                action=SignOffAction.SIGNED,
                statement="Signed again after the father was told.",
                reviewed_digest=item.digest,
            )
    return Incident.objects.select_related("school", "lead_dsl").get(pk=incident.pk)


@pytest.fixture
def incident(named):
    return rich_incident(named)


@pytest.fixture
def full(incident, named, tmp_path):
    export, data = incident_export(actor=named.dsl, incident=incident, redacted=False)
    return export, data, pdf_text(data, tmp_path)


# --- Contents ------------------------------------------------------------------------------


def test_the_record_has_every_section_with_its_data(full, incident):
    export, _, text = full
    for expected in (
        # The cover
        "Riverside Academy",
        f"Incident record {incident.reference}",
        "OFFICIAL-SENSITIVE",
        "Zephyrine Okonkwo",
        "17 May 2010",
        "Year 10",
        "Awaiting initial review",
        "Exported by Imogen Quarrie",
        str(export.id),
        # The summary: triage, decision, referrals, parent contact, timeliness
        f"{incident.reference}: summary",
        "Triage",
        "Decision: Initial review meeting",
        "Octavia Fennimore and Imogen agreed: no coercion, both aged 15.",
        "Referrals and their outcomes",
        "Awaited",
        "Parents informed: Zephyrine Okonkwo",
        "Decision not to inform parents: Ruairi Featherstonhaugh",
        "Timeliness",
        # People, chronology, the response
        "An online contact on Snapchat",
        f"{incident.reference}: chronology",
        "Incident logged",
        "Decisions and their rationale",
        "Referrals, follow-ups and meetings",
        "LOG-4242",
        "Referral to Police chased and escalated",
        "Strategy meeting",
        "Leopold Tremayne to supervise break times.",
        "Telling them would put Ruairi at risk of harm at home.",
        "Duty social worker",
        "Viewing of the imagery",
        "Imagery viewed by Imogen Quarrie",
        "Devices and deletion",
        "PC Shah 123",
        "Conversations with the children",
        "Talked it through.",
        "Reports of imagery online",
        "Snapchat: removed",
        "Risk assessment",
        "Low risk.",
        # Sign-offs with status and digests; the audit trail
        "headteacher sign-off",
        "Superseded",
        "Valid",
        "Signed again after the father was told.",
        "appendix, audit trail",
        "Rationale: Octavia Fennimore and Imogen agreed",
    ):
        assert expected in text, expected
    unwrapped = text.replace(" ", "")  # a digest may wrap across lines
    for item in sign_off_items([incident]):
        assert item.digest in unwrapped
        for sign_off in item.sign_offs:
            assert sign_off.digest in unwrapped
    assert text.index("Incident logged") < text.index("Referral to Police chased")


def test_every_page_has_its_number_of_the_total_reference_marking_and_export_id(
    full, incident, tmp_path
):
    export, data, _ = full
    pages = page_count(data, tmp_path)
    assert pages >= 4
    for number in range(1, pages + 1):
        text = pdf_text(data, tmp_path, page=number)
        assert f"page {number} of {pages}" in text
        assert incident.reference in text
        assert "OFFICIAL-SENSITIVE" in text
        assert str(export.id) in text


def test_the_pdf_has_metadata_bookmarks_embedded_fonts_and_no_images(full, incident, tmp_path):
    _, data, _ = full
    source = tmp_path / "meta.pdf"
    source.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(source)], capture_output=True, text=True).stdout
    assert re.search(rf"^Title:\s+{incident.reference}: incident record", info, re.MULTILINE)
    assert re.search(r"^Author:\s+Riverside Academy, exported by Imogen Quarrie", info, re.M)
    assert re.search(r"^Page size:\s+595.276 x 841.89 pts \(A4\)", info, re.MULTILINE)
    fonts = subprocess.run(["pdffonts", str(source)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+$", row) for row in rows)
    images = subprocess.run(["pdfimages", "-list", str(source)], capture_output=True, text=True)
    assert len(images.stdout.splitlines()) == 2  # the header only: no image at all
    objects = pdf_objects(data)
    assert b"/Outlines" in objects
    assert objects.count(b"/Parent") >= 12  # a bookmark per section, under each heading


def test_an_image_in_a_template_is_never_fetched(people, tmp_path):
    from safeguarding.pdf.batch import FetchRefusedError, refuse_fetch

    with pytest.raises(FetchRefusedError):
        refuse_fetch("file:///etc/passwd")


# --- Redaction -----------------------------------------------------------------------------


def every_name(incident: Incident, people) -> list[str]:
    names = []
    for involvement in incident.involvements.select_related("pupil"):
        if involvement.pupil:
            pupil = involvement.pupil
            names += [pupil.full_name, pupil.given_name, pupil.family_name]
    for membership in people.school.memberships.select_related("user"):
        full_name = membership.user.full_name
        names += [full_name, *full_name.split(), membership.user.email]
    return names


def test_a_redacted_export_names_no_pupil_and_no_member_of_staff(incident, named, tmp_path):
    export, data = incident_export(actor=named.head, incident=incident, redacted=True)
    text = pdf_text(data, tmp_path)
    names = every_name(incident, named)
    assert {"Zephyrine", "Featherstonhaugh", "Imogen Quarrie", "Tremayne"} <= set(names)
    for name in names:
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE), name
    for expected in (
        "ZO",  # pupils by their initials
        "Parents informed: ZO",
        "Decision not to inform parents: RF",
        "Designated safeguarding lead",  # staff by their role
        "Exported by Headteacher",
        "Headteacher and Designated safeguarding lead agreed",
        "Staff member to supervise break times.",
        "An online contact on Snapchat",  # others as the record describes them
        "pupils' names as initials, staff names as their roles",
        str(export.id),
    ):
        assert expected in text, expected
    assert export.redacted
    assert export.file_name == f"{incident.reference}-redacted.pdf"


def test_the_redactor_replaces_whole_names_only_and_never_its_own_output(people):
    redactor = Redactor(
        exact={"Dana": "Designated safeguarding lead", "Lead": "Designated safeguarding lead"},
        anycase={"dana lead": "Designated safeguarding lead", "chloe hirst": "CH"},
    )
    assert redactor("Dana Lead met CHLOE HIRST; Danaë and Leadership stay.") == (
        "Designated safeguarding lead met CH; Danaë and Leadership stay."
    )
    assert redactor("Dana said the lead was clear") == (
        "Designated safeguarding lead said the lead was clear"
    )
    assert Redactor.none()("Dana Lead") == "Dana Lead"


def test_a_pupil_sharing_a_name_with_staff_is_named_by_initials(people, named):
    incident = IncidentFactory(school=named.school, created_by=named.dsl)
    InvolvementFactory(incident=incident, pupil__given_name="Imogen", pupil__family_name="Vale")
    redactor = Redactor.for_incident(incident)
    assert redactor("Imogen Vale, Imogen and Imogen Quarrie") == (
        "IV, IV and Designated safeguarding lead"
    )


# --- Logging -------------------------------------------------------------------------------


def test_each_export_is_logged_with_the_id_the_pdf_carries_and_its_digest(full, incident, named):
    export, data, text = full
    export.refresh_from_db()
    assert (export.kind, export.incident, export.requested_by, export.redacted) == (
        "incident",
        incident,
        named.dsl,
        False,
    )
    assert export.status == "ready" and export.file_name == f"{incident.reference}.pdf"
    assert export.history.count() == 1
    entry = AccessLogEntry.objects.get(incident=incident, action=AccessAction.EXPORTED)
    assert entry.user == named.dsl
    assert export.sha256 == hashlib.sha256(data).hexdigest()
    assert entry.detail == f"Export {export.id}; full; SHA-256 {export.sha256}"
    assert str(export.id) in text


def test_the_record_takes_the_same_queries_however_many_entries(named):
    """The queries depend on the kinds of record (the audit trail reads each part's
    model once), never on how many rows of each there are."""
    incident = rich_incident(named)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            incident_record(incident, redactor=Redactor.for_incident(incident))
        return len(captured)

    count()  # warm the caches
    before = count()
    for _ in range(3):
        another = InvolvementFactory(incident=incident, pupil__sex=Sex.MALE)
        respond_to(named, incident, another)
        decision_record(
            actor=named.dsl,
            incident=incident,
            kind=DecisionKind.REVIEW,
            outcome=DecisionOutcome.REFER_POLICE,
            rationale="More came to light.",
            decided_at=ago(days=5),
        )
    assert count() == before


# --- Over HTTP -----------------------------------------------------------------------------


def url(incident: Incident) -> str:
    return reverse("exports:incident", kwargs={"incident_id": incident.pk})


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
def test_who_may_export(client, named, incident, who, status):
    client.force_login(getattr(named, who))
    assert client.get(url(incident)).status_code == status
    response = client.post(url(incident), {"version": "full"})
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{incident.reference}.pdf"'
        )
        assert response.content.startswith(b"%PDF-")
    assert Export.objects.filter(incident=incident).exists() == (status == 200)


def test_another_schools_record_is_not_found(client, named):
    other = IncidentFactory(school=named.other_school)
    client.force_login(named.dsl)
    assert client.get(url(other)).status_code == 404
    assert client.post(url(other), {"version": "full"}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, incident):
    response = client.post(url(incident), {"version": "full"})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("login")


def test_the_page_offers_both_versions(client, named, incident):
    client.force_login(named.dsl)
    html = client.get(url(incident)).content.decode()
    assert "Full record" in html
    assert "For a partner agency: pupils&#x27; names as initials, staff names as roles" in html


def test_a_redacted_download_is_named_so(client, named, incident):
    client.force_login(named.trust_lead)
    response = client.post(url(incident), {"version": "redacted"})
    assert response["Content-Disposition"] == (
        f'attachment; filename="{incident.reference}-redacted.pdf"'
    )
    assert Export.objects.get(incident=incident).redacted


@pytest.mark.parametrize("version", ["", "everything"])
def test_a_bad_option_is_an_error_naming_the_field(client, named, incident, version):
    client.force_login(named.dsl)
    response = client.post(url(incident), {"version": version})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Which version of the record:" in html
    assert not Export.objects.exists()


def test_exporting_needs_a_recent_password(client, named, incident):
    client.force_login(named.dsl)
    session = client.session
    session[REAUTHENTICATED_AT_KEY] = time.time() - settings.RECENT_AUTHENTICATION_MINUTES * 60 - 60
    session.save()
    response = client.post(url(incident), {"version": "full"})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account:confirm_password")
    assert not Export.objects.exists()
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORTED).exists()


# --- The command ---------------------------------------------------------------------------


def test_the_command_writes_the_pdf_as_the_person_named(named, incident, tmp_path):
    output = tmp_path / "record.pdf"
    call_command(
        "export_incident",
        named.school.urn,
        incident.reference.lower(),
        "--output",
        str(output),
        "--redact",
        "--as",
        named.head.email.upper(),
    )
    data = output.read_bytes()
    export = Export.objects.get()
    assert (export.requested_by, export.redacted) == (named.head, True)
    text = pdf_text(data, tmp_path)
    assert str(export.id) in text and "Zephyrine" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999", "RA-2026-0001", "--as", "head@riverside.example"], "URN 999999"),
        (["{urn}", "RA-1999-0042", "--as", "head@riverside.example"], "RA-1999-0042"),
        (["{urn}", "{reference}"], "--as EMAIL"),
        (["{urn}", "{reference}", "--as", "ghost@riverside.example"], "ghost@riverside.example"),
        (["{urn}", "{reference}", "--as", "staff@riverside.example"], "may not export"),
        (["{urn}", "{reference}", "--as", "dsl@hillside.example"], "may not export"),
    ],
)
def test_the_command_refuses_bad_input_and_writes_nothing(named, incident, tmp_path, args, message):
    output = tmp_path / "record.pdf"
    filled = [a.format(urn=named.school.urn, reference=incident.reference) for a in args]
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("export_incident", *filled, "--output", str(output))
    assert not output.exists()
    assert not Export.objects.exists()

"""Hostile and random input to every form: never a server error, nothing stored from a
refused form, and whatever is echoed back is escaped.

Hypothesis draws very long strings, control characters, script tags, SQL fragments,
impossible dates, other schools' ids and random text for every field of every form.
The Django test client re-raises any exception a view raises, so a 500 fails the test.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.models import IncidentAccessGrant
from incidents.services import incident_update
from safeguarding.models import School
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
PAYLOADS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE incidents_incident; --",
    "1 OR 1=1",
    "2025-02-30",
    "0000-00-00",
    "9999-99-99T99:99",
    "-1",
    "1e309",
    "NaN",
    "\x00\x01\x02\x1b[31m",
    "\u202e\u200b\ufeff",
    "𝕏" * 50,
    "a" * 100_000,
    "",
    " ",
]
hostile = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=300))
HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_escaped(response) -> None:
    """Echoed input is escaped, and each link of the error summary (if the form was
    refused) goes to an element of the page: the field it names."""
    page = response.content.decode()
    assert SCRIPT not in page
    assert "<img src=x" not in page
    summary = page.partition('class="govuk-list govuk-error-summary__list"')[2]
    summary = summary.partition("</ul>")[0]
    for target in re.findall(r'href="#([^"]*)"', summary):
        assert target and f'id="{target}"' in page, f"error link #{target} leads nowhere"


@HYPOTHESIS
@given(username=hostile, password=hostile)
def test_login_form(client, people, username, password):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert_escaped(response)


@HYPOTHESIS
@given(
    preset=hostile,
    gap=st.one_of(hostile, st.integers().map(str)),
    unknown=hostile,
    send=hostile,
    version=st.one_of(hostile, st.integers().map(str)),
)
def test_triage_policy_form(client, people, preset, gap, unknown, send, version):
    client.force_login(people.head)
    before = School.history.count()
    response = client.post(
        reverse("incidents:triage_policy", args=[people.school.pk]),
        {
            "triage_preset": preset,
            "significant_age_gap_years": gap,
            "unknown_age_is_adult": unknown,
            "send_counts_as_vulnerable": send,
            "version": version,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert School.history.count() == before  # refused: nothing stored
    assert_escaped(response)


@HYPOTHESIS
@given(user=st.one_of(hostile, st.integers().map(str)), reason=hostile)
def test_restricted_access_form(client, people, user, reason):
    incident = IncidentFactory(school=people.school, restricted=True, lead_dsl=people.dsl)
    client.force_login(people.dsl)
    response = client.post(
        reverse("incidents:restricted_access", args=[incident.pk]),
        {"user": user, "reason": reason},
    )
    assert response.status_code in (200, 302)
    grants = IncidentAccessGrant.objects.filter(incident=incident)
    assert grants.exists() is (response.status_code == 302)
    assert_escaped(response)


@HYPOTHESIS
@given(reason=hostile)
def test_another_schools_ids_are_refused(client, people, reason):
    """A DSL posting the id of a person from another school gets an error, not a grant."""
    incident = IncidentFactory(school=people.school, restricted=True, lead_dsl=people.dsl)
    client.force_login(people.dsl)
    response = client.post(
        reverse("incidents:restricted_access", args=[incident.pk]),
        {"user": people.other_dsl.pk, "reason": reason},
    )
    assert response.status_code == 200
    assert not IncidentAccessGrant.objects.filter(incident=incident).exists()


# File names as a browser can send them: any text, path separators already stripped by
# the multipart parser (Django's test file object refuses names like "/" outright).
file_names = hostile.map(lambda n: "f" + n.replace("/", "_").replace("\\", "_")[:200])


@HYPOTHESIS
@given(title=hostile, kind=hostile, content=st.binary(max_size=2048), name=file_names)
def test_document_upload_form(client, people, settings, tmp_path, title, kind, content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incidents.models import IncidentDocument

    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"
    incident = IncidentFactory(school=people.school)
    client.force_login(people.dsl)
    response = client.post(
        reverse("documents:list", args=[incident.pk]),
        {"title": title, "kind": kind, "upload": SimpleUploadedFile(name, content)},
    )
    assert response.status_code in (200, 302)
    stored = IncidentDocument.objects.filter(incident=incident)
    assert stored.exists() is (response.status_code == 302)
    files = (
        list(settings.PRIVATE_FILES_ROOT.rglob("*")) if settings.PRIVATE_FILES_ROOT.exists() else []
    )
    assert len([f for f in files if f.is_file()]) == stored.count()
    assert_escaped(response)


@HYPOTHESIS
@given(code=hostile)
def test_two_factor_code_forms(client, people, code):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = people.head
    TOTPDevice.objects.get_or_create(user=user, name="Phone", defaults={"confirmed": True})
    client.force_login_without_two_factor(user)
    for name in ("account:two_factor_verify", "account:two_factor_recovery"):
        response = client.post(reverse(name), {"code": code})
        assert response.status_code == 200  # refused, form shown again with the error
        assert_escaped(response)
    assert client.get(reverse("home")).status_code == 302  # still not verified


@HYPOTHESIS
@given(password=hostile)
def test_confirm_password_form(client, people, password):
    client.force_login(people.staff)
    response = client.post(reverse("account:confirm_password"), {"password": password})
    assert response.status_code in (200, 302, 429)
    assert_escaped(response)


WORKFLOW_PAGES = [
    ("log:start", "school"),
    ("log:details", "incident"),
    ("log:people", "incident"),
    ("log:imagery", "incident"),
    ("log:sharing", "incident"),
    ("review:initial", "incident"),
    ("parents:list", "incident"),
    ("closure:close", "incident"),
    ("closure:reopen", "closed"),
    ("viewing:record", "incident"),
    ("risk:assess", "incident"),
    ("interviews:list", "incident"),
    ("takedown:list", "incident"),
    ("devices:list", "incident"),
    ("agencies:list", "school"),
    ("meetings:list", "incident"),
    ("referrals:list", "incident"),
]


def form_field_names(page: str) -> list[str]:
    """Every field a form on the page sends, read from the page itself, so a field added
    later is fuzzed too."""
    import re

    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', page))
    return sorted(names - {"csrfmiddlewaretoken"})


def record_counts() -> dict[str, int]:
    from incidents.models import (
        Decision,
        DeletionRequest,
        DeviceSeizure,
        ImageryViewing,
        Incident,
        Interview,
        Involvement,
        OnlineReport,
        ParentContact,
        RiskAssessment,
    )
    from referrals.models import AgencyContact, FollowUp, Meeting, Referral

    return {
        "incidents": Incident.history.count(),
        "people": Involvement.objects.count(),
        "decisions": Decision.objects.count(),
        "parents": ParentContact.objects.count(),
        "viewings": ImageryViewing.objects.count(),
        "risk assessments": RiskAssessment.objects.count(),
        "interviews": Interview.objects.count(),
        "online reports": OnlineReport.history.count(),
        "device seizures": DeviceSeizure.history.count(),
        "deletion requests": DeletionRequest.history.count(),
        "agency contacts": AgencyContact.history.count(),
        "meetings": Meeting.objects.count(),
        "referrals": Referral.history.count(),
        "follow-ups": FollowUp.history.count(),
    }


@pytest.mark.parametrize(("url_name", "target"), WORKFLOW_PAGES)
@HYPOTHESIS
@given(data=st.data())
def test_workflow_forms(client, people, url_name, target, data):
    from tests.factories import InvolvementFactory

    incident = IncidentFactory(school=people.school, status="awaiting_review")
    InvolvementFactory(incident=incident)
    if target == "closed":
        incident = incident_update(
            actor=people.dsl,
            incident=incident,
            expected_version=incident.version,
            status="closed",
            closed_at=timezone.now(),
            outcome_summary="Closed.",
        )
    obj = people.school if target == "school" else incident
    url = reverse(url_name, args=[obj.pk])
    client.force_login(people.dsl)
    names = form_field_names(client.get(url).content.decode())
    assert names, f"no form found on {url_name}"
    posted = {
        name: data.draw(st.one_of(hostile, st.integers().map(str)), label=name) for name in names
    }
    before = record_counts()
    response = client.post(url, posted)
    assert response.status_code in (200, 302, 409)
    if response.status_code != 302:
        assert record_counts() == before  # refused: nothing stored
    assert_escaped(response)


@HYPOTHESIS
@given(sex=hostile)
def test_account_details_form(client, people, sex):
    client.force_login(people.dsl)
    before = people.dsl.history.count()
    response = client.post(reverse("account:details"), {"sex": sex})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert people.dsl.history.count() == before
    assert_escaped(response)


def _decision_not_to_refer(people):
    """An incident managed in school, whose decision awaits the headteacher."""
    from incidents.review.services import initial_review_record
    from tests.factories import InvolvementFactory

    incident = IncidentFactory(school=people.school, status="awaiting_review")
    InvolvementFactory(incident=incident)
    return initial_review_record(
        actor=people.dsl,
        incident=incident,
        expected_version=incident.version,
        decided_at=timezone.now(),
        attendees="DSL, headteacher",
        answers={},
        outcome="manage_in_school",
        rationale="Consensual; both 16.",
        against_triage_reason="",
    )


@pytest.mark.parametrize(
    ("url_name", "who"), [("signoff:review", "head"), ("review:correct", "dsl")]
)
@HYPOTHESIS
@given(data=st.data())
def test_sign_off_and_correction_forms(client, people, url_name, who, data):
    from incidents.models import Decision, SignOff

    decision = _decision_not_to_refer(people)
    kwargs = {"incident_id": decision.incident_id}
    if url_name == "signoff:review":
        kwargs |= {"kind": "decision", "subject_id": decision.pk}
    else:
        kwargs |= {"decision_id": decision.pk}
    url = reverse(url_name, kwargs=kwargs)
    client.force_login(getattr(people, who))
    names = form_field_names(client.get(url).content.decode())
    assert names, f"no form found on {url_name}"
    posted = {
        name: data.draw(st.one_of(hostile, st.integers().map(str)), label=name) for name in names
    }
    before = (SignOff.objects.count(), Decision.history.count())
    response = client.post(url, posted)
    assert response.status_code in (200, 302, 409)
    if response.status_code != 302:
        assert (SignOff.objects.count(), Decision.history.count()) == before
    assert_escaped(response)


def concern_counts() -> dict[str, int]:
    from incidents.models import Concern, ConcernNote, ConcernOutcome

    return {
        "concerns": Concern.objects.count(),
        "notes": ConcernNote.objects.count(),
        "outcomes": ConcernOutcome.objects.count(),
        "school changes": School.history.count(),
    }


CONCERN_PAGES = [
    ("concerns:report", "school", "staff"),
    ("concerns:settings", "school", "head"),
    ("concerns:detail", "concern", "staff"),  # the note form, posted to concerns:note
    ("concerns:add_to_incident", "concern", "dsl"),
    ("concerns:detail", "concern", "dsl"),  # the "handled elsewhere" form
]


@pytest.mark.parametrize(("url_name", "target", "who"), CONCERN_PAGES)
@HYPOTHESIS
@given(data=st.data())
def test_concern_forms(client, people, url_name, target, who, data):
    import datetime as dt

    from incidents.concerns.services import concern_acknowledge, concern_report
    from tests.factories import PupilFactory

    pupil = PupilFactory(school=people.school)
    IncidentFactory(school=people.school, status="awaiting_review")
    concern = concern_report(
        actor=people.staff,
        school=people.school,
        pupils=[pupil],
        unnamed_pupils="",
        happened_at=timezone.now() - dt.timedelta(minutes=5),
        account="Seen at break.",
    )
    concern_acknowledge(actor=people.dsl, concern=concern)
    obj = people.school if target == "school" else concern
    client.force_login(getattr(people, who))
    page = client.get(reverse(url_name, args=[obj.pk])).content.decode()
    forms = re.findall(r'<form method="post"\s+action="([^"]+)"(.*?)</form>', page, re.S)
    posts = [(action, form_field_names(body)) for action, body in forms if "logout" not in action]
    assert posts, f"no form found on {url_name}"
    for action, names in posts:
        if "acknowledge" in action:  # a button with no fields
            continue
        posted = {
            name: data.draw(st.one_of(hostile, st.integers().map(str)), label=f"{action} {name}")
            for name in names
            if name != "search"  # the search button only re-shows the form
        }
        before = concern_counts()
        response = client.post(action, posted)
        assert response.status_code in (200, 302)
        if response.status_code != 302:
            assert concern_counts() == before  # refused: nothing stored
        assert_escaped(response)


cells = st.one_of(hostile, st.sampled_from(["UPN", "Surname", "DOB", "31/02/2012"]))
csv_like = st.lists(st.lists(cells, min_size=1, max_size=8), min_size=1, max_size=6).map(
    lambda rows: "\n".join(",".join(cell.replace("\x00", "") for cell in row) for row in rows)
)


@HYPOTHESIS
@given(
    content=st.one_of(st.binary(max_size=2048), csv_like.map(str.encode)),
    full_roll=st.sampled_from(["", "on", SCRIPT]),
    day=hostile,
    name=file_names,
)
def test_pupil_import_upload_form(client, people, content, full_roll, day, name):
    """Any bytes, any heading row: a preview or a refusal naming the field; never a
    pupil written before a confirmation."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pupils.models import PupilImport
    from safeguarding.models import Pupil

    client.force_login(people.dsl)
    before = PupilImport.objects.count()
    response = client.post(
        reverse("pupils:upload", args=[people.school.pk]),
        {
            "upload": SimpleUploadedFile(name, content),
            "full_roll": full_roll,
            "leaving_on_0": day,
            "leaving_on_1": "9",
            "leaving_on_2": "2026",
        },
    )
    assert response.status_code in (200, 302)
    assert PupilImport.objects.count() == before + (response.status_code == 302)
    assert not Pupil.objects.filter(school=people.school).exists()
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200
    assert_escaped(response)


@HYPOTHESIS
@given(digest=hostile, answer=hostile, row=st.one_of(hostile, st.integers().map(str)))
def test_pupil_import_confirmation_form(client, people, digest, answer, row):
    from pupils.imports.services import pupil_import_read
    from pupils.models import PupilImport

    pupil_import = pupil_import_read(
        actor=people.dsl,
        school=people.school,
        data=b"UPN,Surname,Forename,DOB,Sex,Year\nA123,Shah,Ria,14/11/2011,F,10\n",
        file_name="roll.csv",
    )
    client.force_login(people.dsl)
    response = client.post(
        reverse("pupils:apply", args=[people.school.pk, pupil_import.pk]),
        {"digest": digest, f"row_{row}": answer},
    )
    assert response.status_code in (200, 302)
    pupil_import.refresh_from_db()
    assert pupil_import.is_applied is False or response.status_code == 302
    assert PupilImport.objects.filter(pk=pupil_import.pk).exists()
    assert_escaped(response)

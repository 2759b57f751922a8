"""The caseload, the pupil chronology and the incident page: who may read them, what is
flagged as overdue, the order of the record, and a query count that does not grow."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.case.selectors import caseload_for_user, incident_timeline
from incidents.documents.services import document_upload
from incidents.interviews.services import interview_record
from incidents.models import (
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    DeletionRequest,
    DeviceSeizure,
    ImageryViewing,
    Interview,
    OnlineReport,
    ReportChannel,
    ReportOutcome,
    RiskAssessment,
    ViewingReason,
)
from incidents.services import decision_record, parent_contact_record, restricted_access_grant
from incidents.takedown.services import online_report_outcome_record, online_report_record
from incidents.viewing.services import imagery_viewing_record
from referrals.flow.services import follow_up_record, referral_record
from referrals.models import Agency
from tests.clock import ago
from tests.factories import (
    DeletionRequestFactory,
    DeviceSeizureFactory,
    IncidentFactory,
    InvolvementFactory,
    PupilFactory,
)
from tests.safeguarding.uploads.test_checks import pdf

pytestmark = pytest.mark.django_db

READERS = ["dsl", "deputy", "head", "trust_lead"]
NOT_READERS = ["staff", "other_dsl", "nobody"]
PAGES = ["cases:list", "cases:pupil", "cases:detail"]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"


@pytest.fixture
def incident(people):
    return IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, reference="RA-2026-0001"
    )


@pytest.fixture
def involvement(incident):
    return InvolvementFactory(
        incident=incident, pupil__given_name="Chloe", pupil__family_name="Hirst"
    )


@pytest.fixture
def restricted(people):
    """A restricted incident led by a colleague: `people.dsl` is not granted it."""
    incident = IncidentFactory(
        school=people.school,
        restricted=True,
        lead_dsl=people.colleague_dsl,
        created_by=people.colleague_dsl,
        reference="RA-2026-0099",
    )
    return incident


def url(name, people, involvement, *, missing=False, other=False):
    if name == "cases:list":
        school = people.other_school if other else people.school
        return reverse(name, kwargs={"school_id": 999_999 if missing else school.pk})
    if name == "cases:pupil":
        pupil_id = involvement.pupil_id
        if other:
            pupil_id = PupilFactory(school=people.other_school).pk
        return reverse(name, kwargs={"pupil_id": 999_999 if missing else pupil_id})
    incident_id = involvement.incident_id
    if other:
        incident_id = IncidentFactory(school=people.other_school).pk
    return reverse(name, kwargs={"incident_id": 999_999 if missing else incident_id})


def get(client, user, path):
    client.force_login(user)
    return client.get(path)


# --- Who may read -----------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", READERS)
def test_readers_of_the_school_see_the_page(client, people, involvement, name, who):
    response = get(client, getattr(people, who), url(name, people, involvement))
    assert response.status_code == 200
    assert b"Chloe Hirst" in response.content or name == "cases:list"


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", NOT_READERS)
def test_everyone_else_gets_not_found(client, people, involvement, name, who):
    response = get(client, getattr(people, who), url(name, people, involvement))
    assert response.status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_sign_in(client, people, involvement, name):
    response = client.get(url(name, people, involvement))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["anonymous", *READERS, *NOT_READERS])
def test_the_pages_are_read_only(client, people, involvement, name, who):
    if who != "anonymous":
        client.force_login(getattr(people, who))
    assert client.post(url(name, people, involvement)).status_code == 405


@pytest.mark.parametrize("name", PAGES)
def test_another_schools_record_answers_like_a_missing_one(client, people, involvement, name):
    theirs = get(client, people.dsl, url(name, people, involvement, other=True))
    missing = client.get(url(name, people, involvement, missing=True))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_trust_lead_reads_both_schools(client, people, involvement):
    other = IncidentFactory(school=people.other_school, reference="HS-2026-0001")
    response = get(client, people.trust_lead, url("cases:list", people, involvement, other=True))
    assert b"HS-2026-0001" in response.content
    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 200


# --- Restricted incidents ---------------------------------------------------------------


def test_restricted_incident_is_hidden_everywhere_from_a_dsl_not_granted(
    client, people, restricted
):
    pictured = InvolvementFactory(incident=restricted)
    client.force_login(people.dsl)
    caseload = client.get(reverse("cases:list", args=[people.school.pk]))
    chronology = client.get(reverse("cases:pupil", args=[pictured.pupil_id]))
    detail = client.get(reverse("cases:detail", args=[restricted.pk]))
    assert b"RA-2026-0099" not in caseload.content
    assert chronology.status_code == 200
    assert b"RA-2026-0099" not in chronology.content
    assert detail.status_code == 404

    for who in ("head", "colleague_dsl"):
        client.force_login(getattr(people, who))
        assert b"RA-2026-0099" in client.get(reverse("cases:list", args=[people.school.pk])).content
        chronology = client.get(reverse("cases:pupil", args=[pictured.pupil_id]))
        assert b"RA-2026-0099" in chronology.content
        assert client.get(reverse("cases:detail", args=[restricted.pk])).status_code == 200


def test_a_grant_opens_the_restricted_incident(client, people, restricted):
    restricted_access_grant(
        actor=people.colleague_dsl, incident=restricted, user=people.dsl, reason="Covering"
    )
    response = get(client, people.dsl, reverse("cases:detail", args=[restricted.pk]))
    assert response.status_code == 200
    assert b"Access granted to Dana Lead" in response.content


# --- The caseload -----------------------------------------------------------------------


def row_for(people, incident, user=None):
    caseload = caseload_for_user(user or people.dsl, people.school)
    return next(row for row in [*caseload.open, *caseload.closed] if row.incident == incident)


def test_open_incidents_come_first_with_triage_and_age(client, people, involvement, incident):
    closed = IncidentFactory(
        school=people.school,
        reference="RA-2026-0002",
        status="closed",
        closed_at=ago(days=1),
        outcome_summary="Resolved",
    )
    caseload = caseload_for_user(people.dsl, people.school)
    assert [r.incident for r in caseload.open] == [incident]
    assert [r.incident for r in caseload.closed] == [closed]
    assert caseload.open[0].age_days == 2
    assert caseload.open[0].triage == "Not yet triaged"
    html = get(client, people.dsl, reverse("cases:list", args=[people.school.pk])).content.decode()
    assert html.index("RA-2026-0001") < html.index('id="closed"') < html.index("RA-2026-0002")
    assert "Dana Lead" in html


def test_triage_outcome_is_the_newest_assessment(people, incident):
    for recommendation in ("immediate_referral", "school_may_manage"):
        incident.triage_assessments.create(
            policy="all", facts={}, result={}, immediate_referral=False,
            recommendation=recommendation,
        )  # fmt: skip
    assert row_for(people, incident).triage == "School may manage"
    incident.triage_assessments.create(
        policy="all", facts={}, result={"in_scope": False}, immediate_referral=False
    )
    assert row_for(people, incident).triage == "Out of scope"


def test_parent_contact_flag_fires_after_a_day_without_a_record(people, incident, involvement):
    assert row_for(people, incident).flags == ["Parent contact not recorded"]
    parent_contact_record(
        actor=people.dsl,
        incident=incident,
        involvement=involvement,
        informed=True,
        contact_name="Karen Hirst",
        relationship="mother",
        method=ContactMethod.PHONE,
        contacted_at=ago(hours=1),
    )
    assert row_for(people, incident).flags == []


def test_a_reasoned_decision_not_to_inform_also_counts(people, incident, involvement):
    parent_contact_record(
        actor=people.dsl,
        incident=incident,
        involvement=involvement,
        informed=False,
        not_informed_reasons="Risk at home",
        agreed_with="Duty social worker",
    )
    assert row_for(people, incident).flags == []


def test_parent_contact_is_not_due_on_the_first_day(people):
    recent = IncidentFactory(school=people.school, came_to_light_at=ago(hours=20))
    InvolvementFactory(incident=recent)
    assert row_for(people, recent).flags == []


def test_a_decision_to_manage_in_school_awaits_sign_off(client, people, incident):
    decision_record(
        actor=people.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.REFER_POLICE,
        rationale="Under 13",
        decided_at=ago(hours=3),
    )
    assert row_for(people, incident).flags == []
    decision_record(
        actor=people.dsl,
        incident=incident,
        kind=DecisionKind.REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="Police advise school to manage",
        decided_at=ago(hours=1),
    )
    assert row_for(people, incident).flags == ["Headteacher sign-off awaited"]
    response = get(client, people.dsl, reverse("cases:list", args=[people.school.pk]))
    assert b"Headteacher sign-off awaited" in response.content


@pytest.mark.parametrize(("due_in_hours", "due"), [(1, False), (-1, True)])
def test_a_referral_not_answered_by_its_due_time_needs_a_follow_up(people, due_in_hours, due):
    incident = IncidentFactory(school=people.school, came_to_light_at=ago(days=10))
    referral = referral_record(
        actor=people.dsl,
        incident=incident,
        agency=Agency.POLICE,
        made_at=ago(days=6),
        method=ContactMethod.PHONE,
        reasons="Adult involved",
        response_due_at=ago(hours=-due_in_hours),
    )
    assert (row_for(people, incident).flags == ["Referral follow-up due"]) is due
    # Chasing it, with the next chase due tomorrow, clears the flag until then.
    follow_up_record(
        actor=people.dsl,
        referral=referral,
        chased_at=ago(minutes=5),
        spoke_to="PC Shah, safer schools",
        method=ContactMethod.PHONE,
        said="Asked for an update; promised by tomorrow.",
        next_due_at=ago(days=-1),
    )
    assert row_for(people, incident).flags == []


def test_a_referral_with_its_outcome_is_not_awaited(people):
    incident = IncidentFactory(school=people.school, came_to_light_at=ago(days=10))
    referral_record(
        actor=people.dsl,
        incident=incident,
        agency=Agency.SOCIAL_CARE,
        made_at=ago(days=9),
        method=ContactMethod.PHONE,
        reasons="Vulnerable pupil",
        outcome="social_care_nfa",
        outcome_at=ago(days=2),
    )
    assert row_for(people, incident).flags == []


def test_closed_incidents_have_nothing_overdue(people):
    closed = IncidentFactory(
        school=people.school, status="closed", closed_at=ago(days=1), outcome_summary="Done"
    )
    InvolvementFactory(incident=closed)
    assert row_for(people, closed).flags == []


# --- The pupil search and chronology ----------------------------------------------------


def test_search_finds_pupils_by_name_and_upn_in_this_school_only(client, people, involvement):
    PupilFactory(school=people.other_school, given_name="Chloe", family_name="Hirst")
    base = reverse("cases:list", args=[people.school.pk])
    html = get(client, people.dsl, base + "?q=hirst").content.decode()
    assert html.count("Chloe Hirst") == 1
    assert reverse("cases:pupil", args=[involvement.pupil_id]) in html
    html = client.get(base + f"?q={involvement.pupil.upn.lower()}").content.decode()
    assert reverse("cases:pupil", args=[involvement.pupil_id]) in html
    assert "No pupil of Riverside Academy matches" in client.get(base + "?q=zzz").content.decode()


def test_chronology_lists_the_pupils_incidents_oldest_first(client, people, involvement):
    pupil = involvement.pupil
    older = IncidentFactory(
        school=people.school, reference="RA-2025-0007", came_to_light_at=ago(days=300)
    )
    InvolvementFactory(incident=older, pupil=pupil, is_pictured=False, is_sender=True)
    IncidentFactory(school=people.school, reference="RA-2026-0050")  # not involved
    html = get(client, people.dsl, reverse("cases:pupil", args=[pupil.pk])).content.decode()
    assert html.index("RA-2025-0007") < html.index("RA-2026-0001")
    assert "RA-2026-0050" not in html
    assert "Sent it" in html and "Pictured" in html
    assert pupil.upn in html


# --- The incident page ------------------------------------------------------------------


def test_incident_page_shows_people_with_their_age_on_the_incident_date(
    client, people, involvement, incident
):
    pupil = involvement.pupil
    pupil.date_of_birth = incident.incident_date.replace(year=incident.incident_date.year - 14)
    pupil.looked_after, pupil.social_care = True, "current"
    pupil.save()
    response = get(client, people.deputy, reverse("cases:detail", args=[incident.pk]))
    html = response.content.decode()
    assert reverse("cases:pupil", args=[pupil.pk]) in html
    assert re.search(r'<td class="govuk-table__cell">\s*14\s*</td>', html)
    assert "Looked after" in html
    assert reverse("documents:list", args=[incident.pk]) in html
    assert reverse("incidents:restricted_access", args=[incident.pk]) in html


def test_timeline_places_a_backdated_decision_before_an_earlier_recorded_one(
    client, people, incident
):
    decision_record(
        actor=people.dsl,
        incident=incident,
        kind=DecisionKind.REVIEW,
        outcome=DecisionOutcome.REFER_POLICE,
        rationale="Second meeting: refer",
        decided_at=ago(hours=2),
    )
    decision_record(
        actor=people.deputy,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="First meeting, written up late",
        decided_at=ago(days=1),
    )
    entries = incident_timeline(incident)
    assert [e.kind for e in entries] == ["Incident", "Decision", "Decision"]
    assert entries[1].recorded_by == "Dev Deputy"
    html = get(client, people.head, reverse("cases:detail", args=[incident.pk])).content.decode()
    assert html.index("First meeting, written up late") < html.index("Second meeting: refer")
    assert "by Dev Deputy" in html
    assert "by Dana Lead" in html


def test_timeline_has_every_kind_of_entry(client, people, incident, involvement):
    parent_contact_record(
        actor=people.deputy,
        incident=incident,
        involvement=involvement,
        informed=False,
        not_informed_reasons="Risk at home",
        agreed_with="Duty social worker",
    )
    referral_record(
        actor=people.dsl,
        incident=incident,
        agency=Agency.POLICE,
        made_at=ago(days=1),
        method=ContactMethod.PHONE,
        reasons="Adult involved",
        reference_number="LOG-42",
    )
    document = document_upload(
        actor=people.dsl,
        incident=incident,
        title="Referral form",
        kind="referral_form",
        upload=SimpleUploadedFile("form.pdf", pdf()),
    )
    html = get(client, people.dsl, reverse("cases:detail", args=[incident.pk])).content.decode()
    for text in (
        "Incident logged",
        "Chloe Hirst added",
        "Decision not to inform parents",
        "Risk at home",
        "Duty social worker",
        "Referral to Police",
        "LOG-42",
        "Awaited",
        "Document attached: Referral form",
        reverse("documents:download", args=[document.pk]),
    ):
        assert text in html, text


# --- Query counts -----------------------------------------------------------------------


def queries(client, path):
    from guardian.ctypes import get_content_type

    client.get(path)  # warm the caches
    if hasattr(get_content_type, "cache_clear"):
        get_content_type.cache_clear()
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def busy_incident(people, n: int):
    incident = IncidentFactory(school=people.school, came_to_light_at=ago(days=20))
    for _ in range(n):
        involvement = InvolvementFactory(incident=incident)
        decision_record(
            actor=people.dsl,
            incident=incident,
            kind=DecisionKind.REVIEW,
            outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
            rationale="Managed",
            decided_at=ago(days=3),
        )
        parent_contact_record(
            actor=people.dsl,
            incident=incident,
            involvement=involvement,
            informed=True,
            contact_name="A parent",
            method=ContactMethod.PHONE,
            contacted_at=ago(days=2),
        )
        referral_record(
            actor=people.dsl,
            incident=incident,
            agency=Agency.POLICE,
            made_at=ago(days=9),
            method=ContactMethod.PHONE,
            reasons="Reasons",
        )
    return incident


def test_caseload_makes_the_same_queries_for_2_and_12_incidents(client, people):
    client.force_login(people.dsl)
    path = reverse("cases:list", args=[people.school.pk])
    for _ in range(2):
        busy_incident(people, 1)
    few = queries(client, path)
    for _ in range(10):
        busy_incident(people, 2)
    IncidentFactory(school=people.school, status="closed", closed_at=ago(days=1),
                    outcome_summary="Done")  # fmt: skip
    assert queries(client, path) == few


def test_incident_page_makes_the_same_queries_for_1_and_10_entries(client, people):
    client.force_login(people.dsl)
    quiet = IncidentFactory(school=people.school)
    one = queries(client, reverse("cases:detail", args=[quiet.pk]))
    assert len(incident_timeline(quiet)) == 1
    busy = busy_incident(people, 2)
    document_upload(
        actor=people.dsl,
        incident=busy,
        title="Referral form",
        kind="referral_form",
        upload=SimpleUploadedFile("form.pdf", pdf()),
    )
    busy.triage_assessments.create(
        policy="all", facts={}, result={}, immediate_referral=False, recommendation="x"
    )
    for pictured in busy.involvements.all():
        respond_to(people, busy, pictured)
    assert len(incident_timeline(busy)) >= 25
    assert queries(client, reverse("cases:detail", args=[busy.pk])) == one


def respond_to(people, incident, person):
    """One of each record of the school's response, about `person`."""
    person.is_pictured = True
    person.save()
    people.dsl.sex = person.person_sex
    people.dsl.save()
    RiskAssessment.objects.create(
        incident=incident, summary="Low risk.", assessed_at=ago(days=2), assessed_by=people.dsl
    )
    imagery_viewing_record(
        actor=people.dsl,
        incident=incident,
        pictured=person,
        viewer=people.dsl,
        reason=ViewingReason.UNAVOIDABLE,
        reason_details="Shown to a teacher.",
        viewed_at=ago(days=2),
        present="No one else",
        headteacher_informed_at=ago(days=2),
        what_followed="Reported for take-down.",
    )
    DeviceSeizureFactory(incident=incident, involvement=person, handed_to_police_at=ago(hours=1),
                         handed_to="PC Shah 123")  # fmt: skip
    DeletionRequestFactory(incident=incident, involvement=person, confirmed_at=ago(hours=1),
                           confirmation="Showed the deleted folders.")  # fmt: skip
    interview_record(
        actor=people.dsl,
        incident=incident,
        involvement=person,
        held_at=ago(days=1),
        conducted_by=people.dsl,
        others_present="",
        child_told_of_record=True,
        record="Talked it through.",
    )
    report = online_report_record(
        actor=people.dsl,
        incident=incident,
        platform="Snapchat",
        channel=ReportChannel.PLATFORM,
        reported_at=ago(days=1),
        reported_by="The DSL",
    )
    online_report_outcome_record(
        actor=people.dsl,
        report=report,
        expected_version=report.version,
        outcome=ReportOutcome.REMOVED,
        outcome_at=ago(hours=2),
        notes="",
    )


def test_the_timeline_has_an_entry_for_every_response_record(client, people, incident, involvement):
    respond_to(people, incident, involvement)
    titles = [entry.title for entry in incident_timeline(incident)]
    for model in (RiskAssessment, ImageryViewing, DeviceSeizure, DeletionRequest, Interview,
                  OnlineReport):  # fmt: skip
        assert model.objects.filter(incident=incident).count() == 1
    assert titles == [
        "Incident logged",
        "Risk assessment (002 §3.4, Annex A)",
        "Imagery viewed by Dana Lead",
        "Conversation with Chloe Hirst",
        "Reported for take-down: Snapchat",
        "Device taken from Chloe Hirst",
        "Chloe Hirst asked to delete the imagery",
        "Snapchat: removed",
        "Chloe Hirst's device handed to the police",
        "Chloe Hirst confirmed deleting the imagery",
        "Chloe Hirst added",  # recorded now; everything else is backdated
    ]


def test_chronology_makes_the_same_queries_for_1_and_5_incidents(client, people, involvement):
    client.force_login(people.dsl)
    path = reverse("cases:pupil", args=[involvement.pupil_id])
    one = queries(client, path)
    for _ in range(4):
        InvolvementFactory(incident=IncidentFactory(school=people.school), pupil=involvement.pupil)
    assert queries(client, path) == one


@pytest.mark.parametrize(("who", "shown"), [("dsl", True), ("deputy", True), ("head", False)])
def test_log_an_incident_link_only_for_those_who_may(client, people, who, shown):
    client.force_login(getattr(people, who))
    page = client.get(reverse("cases:list", args=[people.school.pk])).content.decode()
    assert (reverse("log:start", args=[people.school.pk]) in page) is shown


# --- The home dashboard (issue 5 item 1) -------------------------------------------------


def test_home_lists_the_open_incidents_of_every_school_the_user_reads(client, people, restricted):
    ours = IncidentFactory(school=people.school, reference="RA-2026-0005")
    InvolvementFactory(incident=ours, pupil__school=people.school)
    IncidentFactory(
        school=people.school,
        reference="RA-2026-0006",
        status="closed",
        closed_at=ago(days=1),
        outcome_summary="Done.",
    )
    theirs = IncidentFactory(school=people.other_school, reference="CS-2026-0001")
    # A day after it came to light, nobody's parents have been told: flagged.
    ours.came_to_light_at = ago(days=2)
    ours.save()

    dsl_page = get(client, people.dsl, reverse("home")).content.decode()
    assert "RA-2026-0005" in dsl_page
    assert "Parent contact not recorded" in dsl_page
    assert "RA-2026-0006" not in dsl_page  # closed
    assert theirs.reference not in dsl_page  # another school
    assert restricted.reference not in dsl_page  # restricted, not granted

    lead_page = get(client, people.trust_lead, reverse("home")).content.decode()
    assert "RA-2026-0005" in lead_page and theirs.reference in lead_page
    assert people.other_school.name in lead_page

    staff_page = get(client, people.staff, reverse("home")).content.decode()
    assert "RA-2026-0005" not in staff_page
    assert "Open incidents in your schools" not in staff_page
    assert 'name="q"' not in staff_page


def test_home_pupil_search_covers_the_readable_schools_only(client, people):
    ours = PupilFactory(school=people.school, given_name="Amelia", family_name="Stone")
    theirs = PupilFactory(school=people.other_school, given_name="Amelia", family_name="Stone")
    page = get(client, people.dsl, reverse("home") + "?q=amelia+stone").content.decode()
    assert reverse("cases:pupil", args=[ours.pk]) in page
    assert reverse("cases:pupil", args=[theirs.pk]) not in page
    assert "Amelia Stone" in page and people.school.name in page
    by_upn = get(client, people.trust_lead, reverse("home") + f"?q={theirs.upn}").content.decode()
    assert reverse("cases:pupil", args=[theirs.pk]) in by_upn
    nothing = get(client, people.staff, reverse("home") + "?q=amelia").content.decode()
    assert "Amelia" not in nothing


def test_home_makes_the_same_queries_for_2_and_12_open_incidents(client, people):
    client.force_login(people.trust_lead)
    for _ in range(2):
        busy_incident(people, 1)
    few = queries(client, reverse("home"))
    for _ in range(10):
        busy_incident(people, 2)
    assert queries(client, reverse("home")) == few

"""The caseload page and `caseload_for_user`: open incidents first with their
triage and age, what is flagged as overdue (parent contact, sign-off, referral
follow-up), the pupil search, the link to log an incident, and a query count that
does not grow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from incidents.case.selectors import caseload_for_user
from incidents.models import ContactMethod, DecisionKind, DecisionOutcome
from incidents.services import decision_record, parent_contact_record
from referrals.flow.services import follow_up_record, referral_record
from referrals.models import Agency
from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory
from tests.incidents.case.builders import busy_incident, get, queries

pytestmark = pytest.mark.django_db


def row_for(people, incident, user=None):
    caseload = caseload_for_user(user or people.dsl, people.school)
    return next(row for row in [*caseload.open, *caseload.closed] if row.incident == incident)


# --- The caseload ------------------------------------------------------------------------


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


@pytest.mark.parametrize(("who", "shown"), [("dsl", True), ("deputy", True), ("head", False)])
def test_log_an_incident_link_only_for_those_who_may(client, people, who, shown):
    client.force_login(getattr(people, who))
    page = client.get(reverse("cases:list", args=[people.school.pk])).content.decode()
    assert (reverse("log:start", args=[people.school.pk]) in page) is shown


# --- The pupil search --------------------------------------------------------------------


def test_search_finds_pupils_by_name_and_upn_in_this_school_only(client, people, involvement):
    PupilFactory(school=people.other_school, given_name="Chloe", family_name="Hirst")
    base = reverse("cases:list", args=[people.school.pk])
    html = get(client, people.dsl, base + "?q=hirst").content.decode()
    assert html.count("Chloe Hirst") == 1
    assert reverse("cases:pupil", args=[involvement.pupil_id]) in html
    html = client.get(base + f"?q={involvement.pupil.upn.lower()}").content.decode()
    assert reverse("cases:pupil", args=[involvement.pupil_id]) in html
    assert "No pupil of Riverside Academy matches" in client.get(base + "?q=zzz").content.decode()


# --- Query counts ------------------------------------------------------------------------


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

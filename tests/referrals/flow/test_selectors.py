"""The referral selectors the flow relies on (002 §3.5, §7.0): overdue when nothing
has come by the due moment, the pupils whose parents are still to be told the
police are informed, the reasons the triage found, and the chronology's entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.models import Incident, ParentContactPurpose, PersonKind, TriageAssessment
from incidents.services import parent_contact_record
from incidents.templatetags.triage_labels import triage_label
from referrals.flow.services import referral_close
from referrals.models import Agency, Referral
from referrals.selectors import (
    parents_to_tell_of_police,
    referrals_overdue,
    timeline_entries,
    triage_reasons,
)
from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory
from tests.referrals.flow.builders import (
    acknowledge,
    adult_incident,
    answer,
    chase,
    detail_url,
    refer,
    tell_parents,
)

pytestmark = pytest.mark.django_db

# --- Overdue -------------------------------------------------------------------------------


def test_overdue_is_after_the_due_moment_not_at_it(people, incident):
    due = ago(hours=1)
    referral = refer(people, incident, made_at=ago(hours=5), response_due_at=due)
    second = dt.timedelta(seconds=1)
    assert not referrals_overdue(now=due - second).exists()
    assert not referrals_overdue(now=due).exists()
    assert list(referrals_overdue(now=due + second)) == [referral]
    assert list(referrals_overdue()) == [referral]  # now, by default


def test_acknowledged_without_an_outcome_stays_overdue(people, incident):
    referral = refer(people, incident, made_at=ago(hours=5), response_due_at=ago(hours=1))
    acknowledge(people, referral)
    assert list(referrals_overdue()) == [referral]
    answer(people, referral, version=2)
    assert not referrals_overdue().exists()


def test_an_outcome_ends_overdue_and_so_does_closing(people, incident):
    referral = refer(people, incident, made_at=ago(hours=5), response_due_at=ago(hours=2))
    answer(people, referral)
    referral_close(actor=people.dsl, referral=referral, expected_version=2)
    assert not referrals_overdue().exists()


def test_the_newest_follow_ups_next_chase_replaces_the_due_moment(people, incident):
    referral = refer(people, incident, made_at=ago(hours=10), response_due_at=ago(hours=8))
    assert referrals_overdue().exists()
    later = timezone.now() + dt.timedelta(hours=5)
    chase(people, referral, chased_at=ago(hours=7), next_due_at=later + dt.timedelta(days=2))
    chase(people, referral, chased_at=ago(hours=6), next_due_at=later)
    chase(people, referral, chased_at=ago(hours=5))  # no next date: the one before stands
    second = dt.timedelta(seconds=1)
    assert not referrals_overdue(now=timezone.now()).exists()
    assert not referrals_overdue(now=later).exists()
    assert list(referrals_overdue(now=later + second)) == [referral]


def test_a_referral_without_a_due_moment_is_never_overdue(people, incident):
    referral = refer(people, incident, made_at=ago(days=30))
    Referral.objects.filter(pk=referral.pk).update(response_due_at=None)
    assert not referrals_overdue().exists()


def test_overdue_narrows_a_queryset_and_flags_incidents(people, incident):
    late = refer(people, incident, made_at=ago(days=3), response_due_at=ago(days=2))
    elsewhere = IncidentFactory(school=people.other_school, status="awaiting_review")
    refer(people, elsewhere, made_at=ago(days=3), response_due_at=ago(days=2))
    on_time = IncidentFactory(school=people.school, status="awaiting_review")
    refer(people, on_time, made_at=ago(hours=1))
    quiet = IncidentFactory(school=people.school, status="awaiting_review")
    mine = Referral.objects.filter(incident__school=people.school)
    assert list(referrals_overdue(mine)) == [late]
    now = timezone.now()
    flagged = Incident.objects.annotate(
        referral_overdue=Exists(referrals_overdue(now=now).filter(incident=OuterRef("pk")))
    )
    assert {row.pk: row.referral_overdue for row in flagged} == {
        incident.pk: True,
        elsewhere.pk: True,
        on_time.pk: False,
        quiet.pk: False,
    }


# --- Parents told the police are informed (002 §3.5) ---------------------------------------


def test_a_police_referral_prompts_each_pupils_parents_until_told(people, incident, child):
    other = InvolvementFactory(incident=incident)
    InvolvementFactory(incident=incident, kind=PersonKind.ADULT, pupil=None, description="Man")
    assert parents_to_tell_of_police(incident) == []
    refer(people, incident, agency=Agency.SOCIAL_CARE)
    assert parents_to_tell_of_police(incident) == []
    refer(people, incident)
    assert parents_to_tell_of_police(incident) == [child, other]
    tell_parents(people, incident, child, purpose=ParentContactPurpose.INCIDENT)
    assert parents_to_tell_of_police(incident) == [child, other]  # told of the incident only
    tell_parents(people, incident, child)
    assert parents_to_tell_of_police(incident) == [other]
    parent_contact_record(
        actor=people.dsl,
        incident=incident,
        involvement=other,
        informed=False,
        not_informed_reasons="His father is the person of concern.",
        agreed_with="Duty social worker",
    )
    assert parents_to_tell_of_police(incident) == []


def test_a_ceop_report_involves_the_police_too(people, incident, child):
    refer(people, incident, agency=Agency.CEOP)
    assert parents_to_tell_of_police(incident) == [child]


# --- Reasons from the triage ---------------------------------------------------------------


def test_reasons_start_from_the_newest_triages_fired_criteria(people):
    incident = adult_incident(people)
    criteria = incident.triage_assessments.first().result["criteria"]
    assert criteria  # an adult is involved: an immediate referral
    expected = "\n".join(
        f"{triage_label(item['id'])}: {item['reason']} ({', '.join(item['sources'])})"
        for item in criteria
    )
    assert triage_reasons(incident) == expected
    assert "002 §3.3" in expected
    TriageAssessment.objects.create(
        incident=incident,
        policy="all",
        facts={},
        result={
            "criteria": [{"id": "coercion", "reason": "B was blackmailed", "sources": ["000"]}]
        },
        immediate_referral=True,
        assessed_at=timezone.now() + dt.timedelta(seconds=1),
    )
    assert triage_reasons(incident) == f"{triage_label('coercion')}: B was blackmailed (000)"


def test_no_triage_no_reasons(people, incident):
    assert triage_reasons(incident) == ""


# --- Timeline ------------------------------------------------------------------------------


def test_the_timeline_places_each_step_when_it_happened(people, incident):
    referral = refer(people, incident, made_at=ago(days=3), reference_number="LOG-1")
    acknowledge(people, referral, actor=people.colleague_dsl, at=ago(days=2))
    chase(people, referral, actor=people.deputy, chased_at=ago(days=1, hours=12), escalation=True)
    answer(people, referral, version=2, actor=people.deputy, at=ago(days=1), notes="PC Lee")
    late = refer(
        people, incident, agency=Agency.NSPCC, made_at=ago(days=9), response_due_at=ago(days=2)
    )
    referral.refresh_from_db()
    entries = {entry.title: entry for entry in timeline_entries(incident)}
    made = entries["Referral to Police"]
    assert (made.when, made.recorded_by, made.tag) == (referral.made_at, "Dana Lead", "")
    assert made.link == detail_url(referral)
    acknowledged = entries["Police acknowledged the referral"]
    assert (acknowledged.when, acknowledged.recorded_by) == (
        referral.acknowledged_at,
        "Cal Colleague",
    )
    outcome = entries["Outcome of the referral to Police: Police: investigation"]
    assert (outcome.when, outcome.recorded_by) == (referral.outcome_at, "Dev Deputy")
    assert ("Notes", "PC Lee") in outcome.details
    chased = entries["Referral to Police chased and escalated"]
    assert (chased.recorded_by, chased.tag) == ("Dev Deputy", "Escalated")
    assert ("Outcome", "Awaited") not in made.details
    assert ("Outcome", "Awaited") in entries["Referral to NSPCC"].details
    assert entries["Referral to NSPCC"].tag == "Overdue"
    assert entries["Referral to NSPCC"].when == late.made_at


def test_the_timeline_runs_the_same_queries_for_1_or_10_referrals(people):
    small = IncidentFactory(school=people.school, status="awaiting_review")
    large = IncidentFactory(school=people.school, status="awaiting_review")
    for incident, n in ((small, 1), (large, 10)):
        for _ in range(n):
            referral = acknowledge(people, refer(people, incident))
            chase(people, referral)
            answer(people, referral, version=2)
    with CaptureQueriesContext(connection) as one:
        assert len(timeline_entries(small)) == 4
    with CaptureQueriesContext(connection) as ten:
        assert len(timeline_entries(large)) == 40
    assert len(one) == len(ten)

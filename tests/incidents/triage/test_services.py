"""Stored triage assessments follow every change of an incident's facts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from incidents.models import IncidentStatus, PersonKind, TriageAssessment
from incidents.policy.services import school_triage_policy_change
from incidents.services import incident_create, incident_update, involvement_add
from incidents.triage.services import triage_refresh
from safeguarding.audit import StaleEditError
from safeguarding.models import SocialCare
from safeguarding.services import pupil_save
from tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def years_ago(years, days=0):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


@pytest.fixture
def incident(people):
    return incident_create(
        actor=people.dsl,
        school=people.school,
        came_to_light_how="disclosure_pupil",
        came_to_light_at=timezone.now() - dt.timedelta(hours=1),
        relationship=True,
    )


def add_pupil(people, incident, roles, **pupil_fields):
    pupil = PupilFactory(school=people.school, **pupil_fields)
    return involvement_add(
        actor=people.dsl, incident=incident, kind=PersonKind.PUPIL, pupil=pupil, roles=roles
    )


def test_nothing_to_triage_until_someone_is_recorded(people, incident):
    assert triage_refresh(actor=people.dsl, incident=incident) is None
    assert not TriageAssessment.objects.exists()


def test_adding_a_person_stores_an_assessment_naming_them(people, incident):
    add_pupil(
        people,
        incident,
        ["pictured", "sender"],
        given_name="Mia",
        family_name="Hart",
        date_of_birth=years_ago(16, 30),
    )
    latest = incident.triage_assessments.get()
    assert latest.result["in_scope"] is True
    assert latest.recommendation == "school_may_manage"
    assert latest.result["typology"] == "experimental_romantic"
    assert latest.facts["people"][0]["ref"] == "Mia Hart"
    assert latest.history.get().history_user == people.dsl


def test_unchanged_facts_store_no_new_assessment(people, incident):
    add_pupil(people, incident, ["pictured"])
    first = incident.triage_assessments.get()
    assert triage_refresh(actor=people.dsl, incident=incident) == first
    assert incident.triage_assessments.count() == 1


def test_a_change_of_facts_stores_a_new_assessment_and_keeps_the_old(people, incident):
    add_pupil(
        people,
        incident,
        ["pictured"],
        given_name="Leo",
        family_name="Shaw",
        date_of_birth=years_ago(12, 40),
    )
    assert incident.triage_assessments.get().immediate_referral is False
    incident_update(actor=people.dsl, incident=incident, expected_version=1, sexual_acts=True)
    newest, older = incident.triage_assessments.all()
    assert older.immediate_referral is False
    assert newest.immediate_referral is True
    fired = {criterion["id"]: criterion for criterion in newest.result["criteria"]}
    assert "under_13_sexual_acts" in fired
    assert "Leo Shaw was 12" in fired["under_13_sexual_acts"]["reason"]
    assert "002 §3.3" in fired["under_13_sexual_acts"]["sources"]


def test_a_stale_incident_edit_is_refused_and_triage_unchanged(people, incident):
    add_pupil(people, incident, ["pictured"])
    incident_update(actor=people.dsl, incident=incident, expected_version=1, narrative="v2")
    with pytest.raises(StaleEditError):
        incident_update(
            actor=people.colleague_dsl, incident=incident, expected_version=1, sexual_acts=True
        )
    assert incident.triage_assessments.count() == 1


def test_a_change_to_a_pupil_record_re_triages_their_open_incidents(people, incident):
    involvement = add_pupil(people, incident, ["pictured"])
    assert incident.triage_assessments.get().immediate_referral is False
    pupil = involvement.pupil
    pupil.looked_after, pupil.social_care = True, SocialCare.CURRENT
    pupil_save(actor=people.operator, pupil=pupil)
    newest = incident.triage_assessments.first()
    assert newest.result["policy"] == "all"
    assert [c["id"] for c in newest.result["criteria"]] == ["vulnerable_pupil"]
    assert newest.history.get().history_user == people.operator


def test_closed_incidents_are_not_re_triaged(people, incident):
    involvement = add_pupil(people, incident, ["pictured"])
    incident.status, incident.closed_at = IncidentStatus.CLOSED, timezone.now()
    incident.outcome_summary = "Managed in school; parents informed."
    incident.save()
    pupil = involvement.pupil
    pupil.child_protection_history = True
    pupil_save(actor=people.operator, pupil=pupil)
    assert incident.triage_assessments.count() == 1


def test_facts_triage_cannot_use_refuse_the_change_naming_the_person(people):
    last_week = incident_create(
        actor=people.dsl,
        school=people.school,
        came_to_light_how="staff",
        came_to_light_at=timezone.now() - dt.timedelta(days=7),
    )
    involvement = add_pupil(people, last_week, ["recipient"], given_name="Ava", family_name="Cole")
    pupil = involvement.pupil
    pupil.date_of_birth = timezone.localdate() - dt.timedelta(days=2)  # a slip of the keyboard
    with pytest.raises(ValidationError) as error:
        pupil_save(actor=people.operator, pupil=pupil)
    assert "Ava Cole, date_of_birth (people[0].date_of_birth)" in str(error.value)
    assert "is after the incident date" in str(error.value)
    pupil.refresh_from_db()
    assert pupil.date_of_birth.year < timezone.localdate().year - 5
    assert last_week.triage_assessments.count() == 1


def test_a_policy_change_re_triages_open_incidents_under_the_new_preset(people, incident):
    add_pupil(people, incident, ["pictured"], looked_after=True, social_care=SocialCare.CURRENT)
    assert incident.triage_assessments.get().immediate_referral is True  # preset "all"
    school = school_triage_policy_change(
        actor=people.head,
        school=people.school,
        expected_version=people.school.version,
        triage_preset="ukcis",
        significant_age_gap_years=3,
        unknown_age_is_adult=True,
        send_counts_as_vulnerable=False,
    )
    assert school.triage_preset == "ukcis"
    assert school.history.first().history_user == people.head
    newest = incident.triage_assessments.first()
    assert newest.policy == "ukcis"
    assert newest.immediate_referral is False  # ukcis has no vulnerability criterion


def test_a_stale_policy_change_is_refused(people):
    args = {
        "school": people.school,
        "expected_version": 1,
        "significant_age_gap_years": 3,
        "unknown_age_is_adult": True,
        "send_counts_as_vulnerable": False,
    }
    school_triage_policy_change(actor=people.head, triage_preset="ukcis", **args)
    with pytest.raises(StaleEditError) as error:
        school_triage_policy_change(actor=people.trust_lead, triage_preset="ukccis-2016", **args)
    assert error.value.changes == {"triage_preset": ("all", "ukcis")}


def test_stored_facts_replay_through_the_command_to_the_stored_result(people, incident, tmp_path):
    import json

    from django.core.management import call_command

    add_pupil(people, incident, ["pictured", "sender"], date_of_birth=years_ago(12, 3))
    incident_update(actor=people.dsl, incident=incident, expected_version=1, sexual_acts=True)
    stored = incident.triage_assessments.first()
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(json.dumps(stored.facts))
    from io import StringIO

    out = StringIO()
    call_command("triage", str(facts_file), stdout=out)
    assert json.loads(out.getvalue()) == stored.result

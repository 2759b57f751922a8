"""The adapter from an incident in the database to the triage facts of
docs/triage.md#input-the-facts-json."""

import datetime as dt

import pytest
from django.utils import timezone

from incidents.models import PersonKind
from incidents.triage.parsing import parse_facts
from incidents.triage.record import facts_for_incident
from safeguarding.models import SocialCare
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory

pytestmark = pytest.mark.django_db


def test_facts_take_pupil_details_from_the_roll_and_policy_from_the_school(people):
    school = people.school
    school.triage_preset = "school-policy"
    school.significant_age_gap_years = 4
    school.save()
    incident = IncidentFactory(school=school, sexual_acts=True, relationship=True)
    pupil = PupilFactory(
        school=school,
        given_name="Amira",
        family_name="Khan",
        date_of_birth=dt.date(2012, 2, 29),
        looked_after=True,
        social_care=SocialCare.CURRENT,
    )
    InvolvementFactory(incident=incident, pupil=pupil, is_pictured=True, is_sender=True)
    InvolvementFactory(
        incident=incident,
        kind=PersonKind.UNKNOWN,
        pupil=None,
        description="Snapchat account 'jay_22'",
        is_pictured=False,
        is_requester=True,
        blackmailed=True,
    )
    facts = facts_for_incident(incident)
    assert facts["incident_date"] == incident.incident_date.isoformat()
    amira, contact = facts["people"]
    assert amira["ref"] == "Amira Khan"
    assert amira["kind"] == "pupil"
    assert amira["date_of_birth"] == "2012-02-29"
    assert amira["roles"] == ["pictured", "sender"]
    assert amira["looked_after"] is True
    assert amira["social_care"] == "current"
    assert contact["ref"] == "Snapchat account 'jay_22'"
    assert contact["kind"] == "unknown"
    assert contact["roles"] == ["requester"]
    assert contact["blackmailed"] is True
    assert facts["imagery"]["sexual_acts"] is True
    assert facts["sharing"]["relationship"] is True
    assert facts["policy"] == {
        "preset": "school-policy",
        "significant_age_gap_years": 4,
        "unknown_age_is_adult": True,
        "send_counts_as_vulnerable": False,
    }
    parse_facts(facts)  # the adapter's output is valid triage input


def test_a_pupils_earlier_incidents_here_are_counted_with_those_noted_from_elsewhere(people):
    pupil = PupilFactory(school=people.school)
    earlier = IncidentFactory(
        school=people.school, came_to_light_at=timezone.now() - dt.timedelta(days=90)
    )
    later = IncidentFactory(
        school=people.school, came_to_light_at=timezone.now() - dt.timedelta(days=1)
    )
    InvolvementFactory(incident=earlier, pupil=pupil)
    InvolvementFactory(incident=later, pupil=pupil, previous_incidents=1)
    assert facts_for_incident(later)["people"][0]["previous_incidents"] == 2
    assert facts_for_incident(earlier)["people"][0]["previous_incidents"] == 0


def test_two_people_with_the_same_name_get_distinct_refs(people):
    incident = IncidentFactory(school=people.school)
    for _ in range(2):
        InvolvementFactory(
            incident=incident,
            kind=PersonKind.CHILD,
            pupil=None,
            description="Pupil at Hill School",
            age=15,
        )
    refs = [person["ref"] for person in facts_for_incident(incident)["people"]]
    assert refs == ["Pupil at Hill School", "Pupil at Hill School (2)"]


def test_the_adapter_makes_one_query_whatever_the_number_of_people(
    people, django_assert_num_queries
):
    incident = IncidentFactory(school=people.school)
    for _ in range(6):
        InvolvementFactory(incident=incident)
    incident = type(incident).objects.select_related("school").get(pk=incident.pk)
    with django_assert_num_queries(1):
        facts_for_incident(incident)


def test_refs_stay_unique_when_a_description_looks_like_a_numbered_one(people):
    incident = IncidentFactory(school=people.school)
    for description in ("Sam", "Sam", "Sam (2)"):
        InvolvementFactory(
            incident=incident, kind=PersonKind.CHILD, pupil=None, description=description, age=15
        )
    refs = [person["ref"] for person in facts_for_incident(incident)["people"]]
    assert refs == ["Sam", "Sam (2)", "Sam (2) (2)"]
    parse_facts(facts_for_incident(incident))


def test_triage_labels_read_as_words():
    from incidents.templatetags.triage_labels import triage_label

    assert triage_label("adult_involved") == "An adult is involved"
    assert triage_label("wide_distribution") == "Wide distribution"

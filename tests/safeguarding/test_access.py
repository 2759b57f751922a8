"""Pupil selectors: limited to schools whose incidents the user reads; search by name or UPN."""

import pytest
from django.http import Http404

from safeguarding.access import pupil_for_user, pupil_search, pupils_for_user
from tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_pupils_limited_to_readable_schools(people):
    ours = PupilFactory(school=people.school)
    theirs = PupilFactory(school=people.other_school)
    assert set(pupils_for_user(people.dsl)) == {ours}
    assert set(pupils_for_user(people.trust_lead)) == {ours, theirs}
    assert not pupils_for_user(people.staff).exists()
    with pytest.raises(Http404):
        pupil_for_user(people.dsl, theirs.pk)
    assert pupil_for_user(people.head, ours.pk) == ours


def test_search_by_upn_or_every_word_of_the_name(people):
    amira = PupilFactory(school=people.school, given_name="Amira", family_name="Khan")
    PupilFactory(school=people.school, given_name="Amir", family_name="Hussain")
    pupils = pupils_for_user(people.dsl)
    assert list(pupil_search(pupils, "amira khan")) == [amira]
    assert list(pupil_search(pupils, amira.upn.lower())) == [amira]
    assert pupil_search(pupils, "amir").count() == 2
    assert not pupil_search(pupils, "   ").exists()


def test_search_by_year_group_as_people_type_it(people):
    year_10 = PupilFactory(school=people.school, given_name="Amira", year_group="10")
    year_7 = PupilFactory(school=people.school, given_name="Amira", year_group="7")
    pupils = pupils_for_user(people.dsl)
    for query in ("amira y10", "Amira Year 10", "year 10 amira", "10 amira", "amira yr10"):
        assert list(pupil_search(pupils, query)) == [year_10], query
    assert list(pupil_search(pupils, "Y7")) == [year_7]
    assert set(pupil_search(pupils, "amira")) == {year_10, year_7}
    assert not pupil_search(pupils, "year").exists()  # a year with no number finds nobody
    assert not pupil_search(pupils, "amira y14").exists()  # no such year: read as a name

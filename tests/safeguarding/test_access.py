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

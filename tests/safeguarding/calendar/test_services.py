"""Adding and removing terms and closure days: overlaps and repeats are refused on the
field, and a removal keeps the row and its history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeguarding.calendar.models import ClosureDay, TermDate
from safeguarding.calendar.services import (
    closure_day_add,
    closure_day_remove,
    term_date_add,
    term_date_remove,
)
from tests.safeguarding.calendar.conftest import AUTUMN_1, AUTUMN_2

pytestmark = pytest.mark.django_db


def add_term(people, term, school=None):
    name, starts, ends = term
    return term_date_add(
        actor=people.dsl, school=school or people.school, name=name, starts_on=starts,
        ends_on=ends,
    )  # fmt: skip


def test_a_term_is_added_with_its_history(people):
    term = add_term(people, AUTUMN_1)
    assert TermDate.objects.get() == term
    assert term.history.get().history_user == people.dsl


def test_an_overlapping_term_is_refused_on_its_first_day(people):
    add_term(people, AUTUMN_1)
    with pytest.raises(ValidationError) as refused:
        add_term(people, ("Half term by mistake", dt.date(2026, 10, 19), dt.date(2026, 10, 30)))
    assert list(refused.value.message_dict) == ["starts_on"]
    assert "These dates overlap Autumn term 1" in refused.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError):  # inside the other term
        add_term(people, ("Inside", dt.date(2026, 10, 1), dt.date(2026, 10, 2)))
    assert TermDate.objects.count() == 1


def test_terms_side_by_side_and_in_another_school_are_not_overlaps(people):
    add_term(people, AUTUMN_1)
    add_term(people, ("Next day", dt.date(2026, 10, 24), dt.date(2026, 10, 24)))
    add_term(people, AUTUMN_1, school=people.other_school)
    assert TermDate.objects.count() == 3


def test_a_term_ending_before_it_starts_is_refused_on_its_last_day(people):
    with pytest.raises(ValidationError) as refused:
        add_term(people, ("Backwards", dt.date(2026, 10, 23), dt.date(2026, 9, 3)))
    assert list(refused.value.message_dict) == ["ends_on"]


def test_the_same_closure_day_twice_is_refused_on_its_date(people):
    day = dt.date(2026, 11, 2)
    closure_day_add(actor=people.dsl, school=people.school, date=day, reason="INSET day")
    with pytest.raises(ValidationError) as refused:
        closure_day_add(actor=people.deputy, school=people.school, date=day, reason="Again")
    assert refused.value.message_dict == {"date": ["That day is already a closure day."]}
    closure_day_add(actor=people.other_dsl, school=people.other_school, date=day, reason="INSET")
    assert ClosureDay.objects.count() == 2


def test_removing_a_term_keeps_it_with_who_removed_it(people):
    term = add_term(people, AUTUMN_1)
    removed = term_date_remove(actor=people.deputy, term=term)
    row = TermDate.objects.get(pk=term.pk)
    assert row.removed_at is not None and row.removed_at == removed.removed_at
    assert row.removed_by == people.deputy
    assert row.history.count() == 2
    latest = row.history.first()
    assert latest.history_user == people.deputy and latest.removed_at == row.removed_at
    term_date_remove(actor=people.dsl, term=term)  # twice changes nothing
    assert TermDate.objects.get(pk=term.pk).removed_by == people.deputy
    assert row.history.count() == 2


def test_a_removed_term_no_longer_overlaps(people):
    term_date_remove(actor=people.dsl, term=add_term(people, AUTUMN_1))
    add_term(people, ("Autumn term 1, corrected", dt.date(2026, 9, 2), dt.date(2026, 10, 23)))
    add_term(people, AUTUMN_2)
    assert TermDate.objects.filter(removed_at__isnull=True).count() == 2


def test_removing_a_closure_day_keeps_it_and_the_day_can_be_added_again(people):
    day = dt.date(2026, 11, 2)
    first = closure_day_add(actor=people.dsl, school=people.school, date=day, reason="INSET")
    closure_day_remove(actor=people.head, closure=first)
    row = ClosureDay.objects.get(pk=first.pk)
    assert row.removed_at is not None and row.removed_by == people.head
    assert row.history.count() == 2 and row.history.first().history_user == people.head
    again = closure_day_add(actor=people.dsl, school=people.school, date=day, reason="Strike")
    assert ClosureDay.objects.count() == 2
    assert ClosureDay.objects.get(removed_at__isnull=True) == again
    closure_day_remove(actor=people.dsl, closure=again)
    closure_day_add(actor=people.dsl, school=people.school, date=day, reason="Snow")
    assert ClosureDay.objects.filter(school=people.school, date=day).count() == 3

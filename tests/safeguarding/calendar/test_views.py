"""The school calendar page through HTTP: who may use it, adding and removing terms
and closure days, and the refusals, each named on its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from safeguarding.calendar.models import ClosureDay, TermDate
from safeguarding.calendar.services import closure_day_add, term_date_add
from safeguarding.models import Role
from safeguarding.services import membership_grant
from tests.factories import UserFactory
from tests.safeguarding.calendar.conftest import AUTUMN_1

pytestmark = pytest.mark.django_db


def url(name: str, school_id: int, **ids: int) -> str:
    return reverse(f"calendar:{name}", kwargs={"school_id": school_id, **ids})


def date_fields(name: str, day: dt.date | None) -> dict[str, str]:
    parts = ("", "", "") if day is None else (str(day.day), str(day.month), str(day.year))
    return {f"{name}_{index}": part for index, part in enumerate(parts)}


def term_data(name="Autumn term 1", starts=AUTUMN_1[1], ends=AUTUMN_1[2]) -> dict[str, str]:
    return {"name": name, **date_fields("starts_on", starts), **date_fields("ends_on", ends)}


def closure_data(day=dt.date(2026, 11, 2), reason="INSET day") -> dict[str, str]:
    return {**date_fields("date", day), "reason": reason}


def page_text(response: Any) -> str:
    return " ".join(response.content.decode().split())


def add_term(people: Any, school=None):
    name, starts, ends = AUTUMN_1
    return term_date_add(
        actor=people.dsl, school=school or people.school, name=name, starts_on=starts,
        ends_on=ends,
    )  # fmt: skip


# --- Who may use the page ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["dsl", "deputy", "head", "data_manager", "acting_head"])
def test_the_schools_calendar_keepers_get_the_page(client, people, data_manager, who):
    if who == "data_manager":
        user = data_manager
    elif who == "acting_head":
        user = UserFactory(email="acting@riverside.example")
        membership_grant(
            user=user, school=people.school, role=Role.ACTING_HEADTEACHER,
            granted_by=people.operator,
        )  # fmt: skip
    else:
        user = getattr(people, who)
    client.force_login(user)
    response = client.get(url("calendar", people.school.pk))
    assert response.status_code == 200
    page = page_text(response)
    assert "School calendar" in page and people.school.name in page
    assert "You have entered no terms yet" in page


@pytest.mark.parametrize("who", ["staff", "trust_lead", "other_dsl", "nobody"])
def test_anyone_else_gets_the_same_404_as_a_missing_school(client, people, who):
    client.force_login(getattr(people, who))
    theirs = client.get(url("calendar", people.school.pk))
    missing = client.get(url("calendar", 999_999))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    term = add_term(people)
    posts = [
        client.post(url("term_add", people.school.pk), term_data(name="Sneaky")),
        client.post(url("closure_add", people.school.pk), closure_data()),
        client.post(url("term_remove", people.school.pk, term_id=term.pk)),
    ]
    assert [response.status_code for response in posts] == [404, 404, 404]
    assert TermDate.objects.get().removed_at is None
    assert not ClosureDay.objects.exists()


def test_signing_in_is_needed(client, people):
    for response in (
        client.get(url("calendar", people.school.pk)),
        client.post(url("term_add", people.school.pk), term_data()),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not TermDate.objects.exists()


def test_the_changes_are_post_only(client, people):
    client.force_login(people.dsl)
    term = add_term(people)
    closure = closure_day_add(
        actor=people.dsl, school=people.school, date=dt.date(2026, 11, 2), reason="INSET"
    )
    for address in (
        url("term_add", people.school.pk),
        url("closure_add", people.school.pk),
        url("term_remove", people.school.pk, term_id=term.pk),
        url("closure_remove", people.school.pk, closure_id=closure.pk),
    ):
        assert client.get(address).status_code == 405
    assert client.post(url("calendar", people.school.pk)).status_code == 405
    assert TermDate.objects.get().removed_at is None
    assert ClosureDay.objects.get().removed_at is None


# --- Adding ------------------------------------------------------------------------------


def test_a_term_is_added_and_listed(client, people):
    client.force_login(people.deputy)
    response = client.post(url("term_add", people.school.pk), term_data())
    assert response.status_code == 302
    assert response["Location"] == url("calendar", people.school.pk)
    term = TermDate.objects.get()
    assert (term.school, term.name) == (people.school, "Autumn term 1")
    assert (term.starts_on, term.ends_on) == AUTUMN_1[1:]
    assert term.history.get().history_user == people.deputy
    page = page_text(client.get(response["Location"]))
    assert "The term is added." in page
    assert "Autumn term 1: 3 September 2026 to 23 October 2026" in page
    assert "You have entered no terms yet" not in page


def test_a_closure_day_is_added_and_listed(client, people, data_manager):
    client.force_login(data_manager)
    response = client.post(url("closure_add", people.school.pk), closure_data())
    assert response.status_code == 302
    closure = ClosureDay.objects.get()
    assert (closure.school, closure.date, closure.reason) == (
        people.school, dt.date(2026, 11, 2), "INSET day",
    )  # fmt: skip
    page = page_text(client.get(response["Location"]))
    assert "The closure day is added." in page and "2 November 2026: INSET day" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"starts_on_0": "31", "starts_on_1": "2", "starts_on_2": "2026"},
         "The date must be a real date."),
        ({"starts_on_0": "3", "starts_on_1": "9", "starts_on_2": "26"},
         "The year must have 4 numbers, for example 2026."),
        ({"starts_on_0": "3", "starts_on_1": "", "starts_on_2": "2026"},
         "The date must include a month."),
        ({"starts_on_0": "three", "starts_on_1": "9", "starts_on_2": "2026"},
         "The date must be in numbers, for example 27 3 2026."),
        (date_fields("starts_on", None), "Enter the first day of the term."),
        (date_fields("ends_on", None), "Enter the last day of the term."),
        ({"name": ""}, "Enter the name of the term."),
    ],
)  # fmt: skip
def test_a_bad_or_missing_term_date_is_named(client, people, fields, message):
    client.force_login(people.dsl)
    response = client.post(url("term_add", people.school.pk), {**term_data(), **fields})
    assert response.status_code == 400
    page = page_text(response)
    assert message in page and "Error: School calendar" in page
    assert not TermDate.objects.exists()


def test_a_term_ending_before_it_starts_is_named_on_its_last_day(client, people):
    client.force_login(people.dsl)
    data = term_data(starts=dt.date(2026, 10, 23), ends=dt.date(2026, 9, 3))
    response = client.post(url("term_add", people.school.pk), data)
    assert response.status_code == 400
    assert "The last day must be on or after the first day." in page_text(response)
    assert response.context["term_form"].errors == {
        "ends_on": ["The last day must be on or after the first day."]
    }
    assert not TermDate.objects.exists()


def test_an_overlapping_term_is_named_on_its_first_day(client, people):
    add_term(people)
    client.force_login(people.dsl)
    data = term_data(name="Half term", starts=dt.date(2026, 10, 19), ends=dt.date(2026, 10, 30))
    response = client.post(url("term_add", people.school.pk), data)
    assert response.status_code == 400
    errors = response.context["term_form"].errors
    assert list(errors) == ["starts_on"] and "These dates overlap" in errors["starts_on"][0]
    assert "These dates overlap Autumn term 1" in page_text(response)
    assert TermDate.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (date_fields("date", None), "Enter the date the school is closed."),
        ({"date_0": "30", "date_1": "2", "date_2": "2027"}, "The date must be a real date."),
        ({"reason": ""}, "Enter why the school is closed."),
    ],
)
def test_a_bad_or_missing_closure_day_is_named(client, people, fields, message):
    client.force_login(people.dsl)
    response = client.post(url("closure_add", people.school.pk), {**closure_data(), **fields})
    assert response.status_code == 400
    assert message in page_text(response)
    assert not ClosureDay.objects.exists()


def test_the_same_closure_day_twice_is_named_on_its_date(client, people):
    client.force_login(people.dsl)
    assert client.post(url("closure_add", people.school.pk), closure_data()).status_code == 302
    response = client.post(url("closure_add", people.school.pk), closure_data(reason="Again"))
    assert response.status_code == 400
    assert response.context["closure_form"].errors == {
        "date": ["That day is already a closure day."]
    }
    assert ClosureDay.objects.count() == 1


# --- Removing ----------------------------------------------------------------------------


def test_a_term_and_a_closure_day_are_removed_and_kept(client, people):
    term = add_term(people)
    closure = closure_day_add(
        actor=people.dsl, school=people.school, date=dt.date(2026, 11, 2), reason="INSET"
    )
    client.force_login(people.head)
    response = client.post(url("term_remove", people.school.pk, term_id=term.pk))
    assert response.status_code == 302
    response = client.post(url("closure_remove", people.school.pk, closure_id=closure.pk))
    assert response.status_code == 302
    term.refresh_from_db()
    closure.refresh_from_db()
    assert term.removed_by == closure.removed_by == people.head
    page = page_text(client.get(url("calendar", people.school.pk)))
    assert "Autumn term 1 is removed." in page
    assert "3 September 2026 to" not in page and "2 November 2026: INSET" not in page
    # Removed already: like a missing one.
    assert client.post(url("term_remove", people.school.pk, term_id=term.pk)).status_code == 404


def test_another_schools_term_or_closure_day_answers_404(client, people):
    theirs = add_term(people, school=people.other_school)
    closure = closure_day_add(
        actor=people.other_dsl, school=people.other_school, date=dt.date(2026, 11, 2),
        reason="INSET",
    )  # fmt: skip
    client.force_login(people.dsl)
    responses = [
        client.post(url("term_remove", people.school.pk, term_id=theirs.pk)),
        client.post(url("term_remove", people.other_school.pk, term_id=theirs.pk)),
        client.post(url("term_remove", people.school.pk, term_id=999_999)),
        client.post(url("closure_remove", people.school.pk, closure_id=closure.pk)),
        client.post(url("closure_remove", people.other_school.pk, closure_id=closure.pk)),
    ]
    assert [response.status_code for response in responses] == [404] * 5
    theirs.refresh_from_db()
    closure.refresh_from_db()
    assert theirs.removed_at is None and closure.removed_at is None

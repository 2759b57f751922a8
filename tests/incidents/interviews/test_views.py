"""Conversations with the children involved (issue 5 item 8; 002 §6.0): who may record
them, who may have them (the school's staff, the DSL by default), the child told a
record is kept, errors naming their field, nothing saved on refusal, and the timeline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.interviews.selectors import timeline_entries
from incidents.interviews.services import interview_record
from incidents.models import Incident, Interview, PersonKind
from safeguarding.models import Membership
from safeguarding.services import membership_revoke
from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")
RECORD = "10:05 Chloe said the photo was of her in her school uniform. Sent to J. only."


def url(incident: Incident) -> str:
    return reverse("interviews:list", kwargs={"incident_id": incident.pk})


@pytest.fixture
def incident(people):
    return IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, status="awaiting_review"
    )


@pytest.fixture
def child(incident):
    return InvolvementFactory(incident=incident)


def form_data(child, by, **overrides):
    day = timezone.localdate() - dt.timedelta(days=1)
    return {
        "involvement": str(child.pk),
        "held_on_0": str(day.day),
        "held_on_1": str(day.month),
        "held_on_2": str(day.year),
        "held_time": "10:00",
        "conducted_by": str(by.pk),
        "others_present": "Ms Khan, form tutor (Chloe asked for her). Parents not present.",
        "child_told_of_record": "on",
        "record": RECORD,
        **overrides,
    }


def record(people, incident, child, **overrides):
    values = {
        "actor": people.dsl,
        "incident": incident,
        "involvement": child,
        "held_at": ago(hours=3),
        "conducted_by": people.dsl,
        "others_present": "",
        "child_told_of_record": True,
        "record": RECORD,
        **overrides,
    }
    return interview_record(**values)


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, incident, child, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and saves nothing."""
    client.force_login(getattr(people, who))
    assert client.get(url(incident)).status_code == get_status
    assert client.post(url(incident), {}).status_code == post_status
    assert client.put(url(incident)).status_code == 405
    assert not Interview.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, incident):
    for response in (client.get(url(incident)), client.post(url(incident), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_other_schools_and_missing_incident_are_404_alike(client, people):
    theirs = IncidentFactory(school=people.other_school, status="awaiting_review")
    child = InvolvementFactory(incident=theirs)
    client.force_login(people.dsl)
    missing = reverse("interviews:list", kwargs={"incident_id": 999_999})
    for target in (url(theirs), missing):
        assert client.get(target).status_code == 404
        assert client.post(target, form_data(child, people.dsl)).status_code == 404
    assert not Interview.objects.exists()


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_conversations_without_the_form(client, people, incident, child, who):
    record(people, incident, child)
    client.force_login(getattr(people, who))
    page = client.get(url(incident)).content.decode()
    assert "You can read this record but not change it." in page
    assert "Chloe said the photo was of her in her school uniform." in page
    assert 'action="/incidents' not in page


# --- the page ----------------------------------------------------------------------------


def test_the_page_shows_the_approach_and_offers_only_the_children(client, people, incident, child):
    other_child = InvolvementFactory(
        incident=incident,
        kind=PersonKind.CHILD,
        pupil=None,
        description="A boy at Hillside",
        age=15,
    )
    InvolvementFactory(incident=incident, kind=PersonKind.ADULT, pupil=None, description="A man")
    client.force_login(people.deputy)
    page = client.get(url(incident)).content.decode().replace("&#x27;", "'")
    assert child.pupil.full_name in page and other_child.description in page
    assert "A man" not in page  # conversations are with the children
    assert "why have you done this?" in page
    assert "without looking, what the image contains" in page
    assert "who has seen or shared it" in page
    assert "002 §6.0" in page
    # Whoever records it is proposed as having had the conversation.
    assert re.search(rf'<option value="{people.deputy.pk}" selected>', page)
    # Any member of the school's staff may have had it; people of other schools may not.
    assert f'<option value="{people.staff.pk}">' in page
    assert f'<option value="{people.other_dsl.pk}">' not in page
    assert f'<option value="{people.nobody.pk}">' not in page


def test_without_children_the_page_says_to_add_them(client, people, incident):
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert "Add the children involved to the incident first" in page
    assert 'name="record"' not in page


# --- recording ---------------------------------------------------------------------------


def test_recording_a_conversation(client, people, incident, child):
    client.force_login(people.deputy)
    response = client.post(url(incident), form_data(child, people.staff))
    assert response.status_code == 302
    assert response["Location"] == url(incident)
    interview = Interview.objects.get()
    assert (interview.incident, interview.involvement) == (incident, child)
    assert interview.conducted_by == people.staff  # the teacher the child preferred
    assert interview.recorded_by == people.deputy
    assert interview.others_present.startswith("Ms Khan")
    assert interview.child_told_of_record is True
    assert interview.record == RECORD
    local = timezone.localtime(interview.held_at)
    assert (local.date(), f"{local:%H:%M}") == (
        timezone.localdate() - dt.timedelta(days=1),
        "10:00",
    )
    assert interview.history.get().history_user == people.deputy
    page = client.get(url(incident)).content.decode()
    assert "Recorded the conversation with" in page and "Ms Khan" in page


def test_the_child_must_be_told_and_the_record_written(client, people, incident, child):
    client.force_login(people.dsl)
    data = form_data(child, people.dsl, record="   ")
    del data["child_told_of_record"]
    response = client.post(url(incident), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "The child was told that a record of this conversation is kept: Tell the child that a "
        "record of the conversation will be kept (002 §6.0)." in page
    )
    assert "Record of the conversation: Write down what was said." in page
    assert "Ms Khan, form tutor" in page  # what was typed is kept
    assert not Interview.objects.exists()


def test_who_when_and_which_child_are_required(client, people, incident, child):
    client.force_login(people.dsl)
    data = form_data(
        child,
        people.dsl,
        involvement="",
        conducted_by="",
        held_on_0="",
        held_on_1="",
        held_on_2="",
        held_time="",
    )
    page = client.post(url(incident), data).content.decode()
    assert "Which child was the conversation with?: Choose the child." in page
    assert "Who had the conversation: Choose who had the conversation." in page
    assert "Date of the conversation: Enter the date of the conversation." in page
    assert "Time of the conversation: Enter the time of the conversation." in page
    assert RECORD.split(" ")[1] in page
    assert not Interview.objects.exists()


def test_a_conversation_in_the_future_is_refused(client, people, incident, child):
    client.force_login(people.dsl)
    later = timezone.localdate() + dt.timedelta(days=2)
    data = form_data(
        child,
        people.dsl,
        held_on_0=str(later.day),
        held_on_1=str(later.month),
        held_on_2=str(later.year),
    )
    page = client.post(url(incident), data).content.decode()
    assert "Date of the conversation: The date of the conversation cannot be in the future." in page
    assert not Interview.objects.exists()


@pytest.mark.parametrize("who", ["other_dsl", "nobody"])
def test_someone_not_on_the_schools_staff_is_refused(client, people, incident, child, who):
    client.force_login(people.dsl)
    response = client.post(url(incident), form_data(child, getattr(people, who)))
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "Who had the conversation: Choose a member of the school's staff." in page
    assert not Interview.objects.exists()


def test_a_child_of_another_incident_is_refused(client, people, incident, child):
    elsewhere = InvolvementFactory(
        incident=IncidentFactory(school=people.school, status="awaiting_review")
    )
    client.force_login(people.dsl)
    page = client.post(url(incident), form_data(elsewhere, people.dsl)).content.decode()
    assert (
        "Which child was the conversation with?: Choose a child involved in this incident." in page
    )
    assert not Interview.objects.exists()


def test_a_closed_incident_refuses_new_records(client, people, incident, child):
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", closed_at=timezone.now(), outcome_summary="Managed in school."
    )
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert "This incident is closed" in page
    assert 'action="/incidents' not in page
    response = client.post(url(incident), form_data(child, people.dsl))
    assert response.status_code == 409
    assert "This incident is closed" in response.content.decode()
    assert not Interview.objects.exists()


# --- the service's rules -----------------------------------------------------------------


def test_the_service_records_with_the_actor_in_history(people, incident, child):
    interview = record(people, incident, child, actor=people.colleague_dsl, record=" Said. ")
    assert interview.record == "Said."
    assert interview.recorded_by == people.colleague_dsl
    assert interview.history.get().history_user == people.colleague_dsl


@pytest.mark.parametrize("who", ["other_dsl", "nobody", "operator"])
def test_the_service_refuses_someone_not_on_the_staff(people, incident, child, who):
    with pytest.raises(ValidationError) as refused:
        record(people, incident, child, conducted_by=getattr(people, who))
    assert refused.value.message_dict == {
        "conducted_by": ["Choose a member of the school's staff."]
    }
    assert not Interview.objects.exists()


def test_the_service_refuses_someone_whose_role_has_ended(people, incident, child):
    membership = Membership.objects.get(user=people.staff, school=people.school)
    membership_revoke(membership=membership, revoked_by=people.operator)
    with pytest.raises(ValidationError) as refused:
        record(people, incident, child, conducted_by=people.staff)
    assert "conducted_by" in refused.value.message_dict


def test_the_service_refuses_an_inactive_account(people, incident, child):
    people.staff.is_active = False
    people.staff.save()
    with pytest.raises(ValidationError) as refused:
        record(people, incident, child, conducted_by=people.staff)
    assert "conducted_by" in refused.value.message_dict


def test_the_service_refuses_an_untold_child_and_an_empty_record(people, incident, child):
    with pytest.raises(ValidationError) as refused:
        record(people, incident, child, child_told_of_record=False, record="  ")
    assert set(refused.value.message_dict) == {"child_told_of_record", "record"}
    assert "002 §6.0" in refused.value.message_dict["child_told_of_record"][0]


def test_the_service_refuses_a_future_conversation(people, incident, child):
    with pytest.raises(ValidationError) as refused:
        record(people, incident, child, held_at=timezone.now() + dt.timedelta(hours=1))
    assert refused.value.message_dict == {"held_at": ["This date is in the future."]}


def test_the_service_refuses_a_person_of_another_incident(people, incident):
    elsewhere = InvolvementFactory(incident=IncidentFactory(school=people.school))
    with pytest.raises(ValidationError) as refused:
        record(people, incident, elsewhere)
    assert refused.value.message_dict == {
        "involvement": ["This person is not part of this incident."]
    }


def test_the_service_refuses_an_adult(people, incident):
    adult = InvolvementFactory(
        incident=incident, kind=PersonKind.ADULT, pupil=None, description="A man", age=30
    )
    with pytest.raises(ValidationError) as refused:
        record(people, incident, adult)
    assert list(refused.value.message_dict) == ["involvement"]


def test_the_service_refuses_a_closed_incident(people, incident, child):
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", closed_at=timezone.now(), outcome_summary="Managed in school."
    )
    with pytest.raises(ValidationError, match="closed"):
        record(people, incident, child)
    assert not Interview.objects.exists()


# --- the timeline and query counts -------------------------------------------------------


def test_timeline_entries_fall_into_place_when_they_happened(people, incident, child):
    earlier = record(people, incident, child, held_at=ago(days=1), actor=people.deputy)
    entries = timeline_entries(incident)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.when == earlier.held_at  # not when it was written down
    assert entry.recorded_at == earlier.recorded_at
    assert entry.recorded_by == str(people.deputy)
    assert entry.title == f"Conversation with {child.pupil.full_name}"
    assert ("Record", RECORD) in entry.details
    assert ("Conducted by", str(people.dsl)) in entry.details


def busy(people, incident, n: int) -> None:
    for _ in range(n):
        record(people, incident, InvolvementFactory(incident=incident), conducted_by=people.staff)


def test_timeline_entries_cost_the_same_for_1_or_10(people, django_assert_num_queries):
    small = IncidentFactory(school=people.school)
    large = IncidentFactory(school=people.school)
    busy(people, small, 1)
    busy(people, large, 10)
    with CaptureQueriesContext(connection) as one:
        assert len(timeline_entries(small)) == 1
    with django_assert_num_queries(len(one)):
        assert len(timeline_entries(large)) == 10


def test_the_page_costs_the_same_for_1_or_10_conversations(client, people):
    small = IncidentFactory(school=people.school, status="awaiting_review")
    large = IncidentFactory(school=people.school, status="awaiting_review")
    busy(people, small, 1)
    busy(people, large, 10)
    client.force_login(people.dsl)
    client.get(url(small))  # warm the caches (content types, session)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(small)).status_code == 200
    with CaptureQueriesContext(connection) as ten:
        page = client.get(url(large))
    assert page.status_code == 200
    assert page.content.decode().count("Conducted by") == 10
    assert len(one) == len(ten), [q["sql"] for q in ten]


def test_ids_out_of_any_range_are_refused_naming_the_fields(client, people, incident, child):
    client.force_login(people.dsl)
    huge = "9" * 20
    data = form_data(child, people.dsl, involvement=huge, conducted_by=huge)
    response = client.post(url(incident), data)
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert (
        "Which child was the conversation with?: Choose a child involved in this incident." in page
    )
    assert "Who had the conversation: Choose a member of the school's staff." in page
    assert not Interview.objects.exists()

"""Inter-agency meetings (issue 6 item 5; 002 §7.0): who may record them, what they
record (kind, when, who came, the school's part, actions), errors naming their field,
the referral a meeting arose from, nothing saved on refusal, and the timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from referrals.flow.services import referral_record
from referrals.meetings.selectors import timeline_entries
from referrals.meetings.services import meeting_record
from referrals.models import Agency, Meeting, MeetingKind
from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")
ATTENDEES = "DS Rana (police), Ms Obi (social worker), Dana Lead (DSL)."
ACTIONS = "DSL to share attendance records with social care by Friday."


def url(incident: Incident) -> str:
    return reverse("meetings:list", kwargs={"incident_id": incident.pk})


@pytest.fixture
def incident(people):
    incident = IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, status="referred"
    )
    InvolvementFactory(incident=incident)
    return incident


def refer(people, incident, agency=Agency.SOCIAL_CARE, **extra):
    return referral_record(
        actor=people.dsl,
        incident=incident,
        agency=agency,
        made_at=extra.pop("made_at", ago(days=3)),
        method="phone",
        reasons="The pupil pictured has a social worker (002 §4.0).",
        **extra,
    )


def form_data(**overrides):
    day = timezone.localdate() - dt.timedelta(days=1)
    return {
        "kind": MeetingKind.STRATEGY,
        "held_on_0": str(day.day),
        "held_on_1": str(day.month),
        "held_on_2": str(day.year),
        "held_time": "09:30",
        "agencies": "Police, children's social care",
        "attendees": ATTENDEES,
        "school_attended": "on",
        "actions_for_school": ACTIONS,
        "referral": "",
        **overrides,
    }


def record(people, incident, **overrides):
    values = {
        "actor": people.dsl,
        "incident": incident,
        "kind": MeetingKind.STRATEGY,
        "held_at": ago(hours=3),
        "attendees": ATTENDEES,
        "agencies": "Police, children's social care",
        "school_attended": True,
        "school_contributed": False,
        **overrides,
    }
    return meeting_record(**values)


def close(incident: Incident) -> None:
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", closed_at=timezone.now(), outcome_summary="Managed in school."
    )


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, incident, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and saves nothing."""
    client.force_login(getattr(people, who))
    assert client.get(url(incident)).status_code == get_status
    assert client.post(url(incident), {}).status_code == post_status
    assert client.put(url(incident)).status_code == 405
    assert not Meeting.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, incident):
    for response in (client.get(url(incident)), client.post(url(incident), form_data())):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Meeting.objects.exists()


def test_other_schools_and_missing_incident_are_404_alike(client, people):
    theirs = IncidentFactory(school=people.other_school, status="referred")
    client.force_login(people.dsl)
    missing = reverse("meetings:list", kwargs={"incident_id": 999_999})
    answers = []
    for target in (url(theirs), missing):
        get, post = client.get(target), client.post(target, form_data())
        assert get.status_code == post.status_code == 404
        answers.append(get.content)
    assert answers[0] == answers[1]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_meetings_without_the_form(client, people, incident, who):
    record(people, incident, actions_for_school=ACTIONS)
    client.force_login(getattr(people, who))
    page = client.get(url(incident)).content.decode()
    assert "You can read this record but not change it." in page
    assert "Strategy meeting" in page and "DSL to share attendance records" in page
    assert 'action="/incidents' not in page


# --- recording ---------------------------------------------------------------------------


def test_recording_a_meeting(client, people, incident):
    client.force_login(people.deputy)
    response = client.post(url(incident), form_data(kind=MeetingKind.CP_CONFERENCE))
    assert response.status_code == 302
    assert response["Location"] == url(incident)
    meeting = Meeting.objects.get()
    assert (meeting.incident, meeting.kind) == (incident, MeetingKind.CP_CONFERENCE)
    assert meeting.attendees == ATTENDEES
    assert meeting.agencies == "Police, children's social care"
    assert (meeting.school_attended, meeting.school_contributed) == (True, False)
    assert meeting.actions_for_school == ACTIONS
    assert meeting.referral is None
    assert meeting.recorded_by == people.deputy
    local = timezone.localtime(meeting.held_at)
    assert (local.date(), f"{local:%H:%M}") == (
        timezone.localdate() - dt.timedelta(days=1),
        "09:30",
    )
    assert meeting.history.get().history_user == people.deputy
    page = client.get(url(incident)).content.decode()
    assert "Recorded the child protection conference." in page
    assert "DS Rana (police)" in page


def test_a_meeting_the_school_contributed_to_without_attending(client, people, incident):
    client.force_login(people.dsl)
    data = form_data(kind=MeetingKind.TEAM_AROUND_FAMILY, school_contributed="on")
    del data["school_attended"]
    assert client.post(url(incident), data).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.school_attended, meeting.school_contributed) == (False, True)


def test_the_meeting_may_name_the_referral_it_arose_from(client, people, incident):
    referral = refer(people, incident, reference_number="MASH-77")
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert f'<option value="{referral.pk}">' in page
    assert "Children&#x27;s social care / MASH referral" in page and "MASH-77" in page
    assert client.post(url(incident), form_data(referral=str(referral.pk))).status_code == 302
    assert Meeting.objects.get().referral == referral
    page = client.get(url(incident)).content.decode()
    assert "Arose from" in page


def test_a_referral_of_another_incident_is_refused(client, people, incident):
    elsewhere = refer(people, IncidentFactory(school=people.school, status="referred"))
    theirs = refer(people, IncidentFactory(school=people.other_school, status="referred"))
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert f'<option value="{elsewhere.pk}"' not in page
    for other in (elsewhere, theirs, "9" * 20, "x"):
        response = client.post(url(incident), form_data(referral=str(getattr(other, "pk", other))))
        page = response.content.decode()
        assert response.status_code == 200
        assert "The referral it arose from (optional): Choose a referral of this incident." in page
    assert not Meeting.objects.exists()


def test_kind_when_who_and_agencies_are_required(client, people, incident):
    client.force_login(people.dsl)
    data = form_data(
        kind="",
        held_on_0="",
        held_on_1="",
        held_on_2="",
        held_time="",
        agencies=" ",
        attendees="",
    )
    response = client.post(url(incident), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "What kind of meeting?: Choose the kind of meeting." in page
    assert "Date of the meeting: Enter the date of the meeting." in page
    assert "Time of the meeting: Enter the time of the meeting." in page
    assert "Agencies represented: Enter the agencies represented." in page
    assert "Who attended: Enter who attended." in page
    assert "DSL to share attendance records" in page  # what was typed is kept
    assert not Meeting.objects.exists()


def test_an_unknown_kind_is_refused(client, people, incident):
    client.force_login(people.dsl)
    page = client.post(url(incident), form_data(kind="case_review")).content.decode()
    assert "What kind of meeting?: Choose the kind of meeting from the list." in page
    assert not Meeting.objects.exists()


def test_a_meeting_in_the_future_is_refused(client, people, incident):
    client.force_login(people.dsl)
    later = timezone.localdate() + dt.timedelta(days=2)
    data = form_data(
        held_on_0=str(later.day), held_on_1=str(later.month), held_on_2=str(later.year)
    )
    page = client.post(url(incident), data).content.decode()
    assert "Date of the meeting: The date of the meeting cannot be in the future." in page
    assert not Meeting.objects.exists()


def test_a_meeting_before_its_referral_is_refused_against_the_date(client, people, incident):
    referral = refer(people, incident, made_at=ago(hours=2))
    client.force_login(people.dsl)
    response = client.post(url(incident), form_data(referral=str(referral.pk)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Date of the meeting: This is before the referral it arose from was made." in page
    assert not Meeting.objects.exists()


def test_a_closed_incident_refuses_new_records(client, people, incident):
    close(incident)
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert "This incident is closed" in page
    assert 'action="/incidents' not in page
    response = client.post(url(incident), form_data())
    assert response.status_code == 409
    assert "This incident is closed" in response.content.decode()
    assert not Meeting.objects.exists()


# --- the service's rules -----------------------------------------------------------------


def test_the_service_records_with_the_actor_in_history(people, incident):
    meeting = record(
        people, incident, actor=people.colleague_dsl, attendees=" Ms Obi. ", agencies=" MASH "
    )
    assert (meeting.attendees, meeting.agencies) == ("Ms Obi.", "MASH")
    assert meeting.recorded_by == people.colleague_dsl
    assert meeting.history.get().history_user == people.colleague_dsl


def test_the_service_refuses_missing_attendees_and_agencies(people, incident):
    with pytest.raises(ValidationError) as refused:
        record(people, incident, attendees="  ", agencies="")
    assert set(refused.value.message_dict) == {"attendees", "agencies"}
    assert not Meeting.objects.exists()


def test_the_service_refuses_a_future_meeting(people, incident):
    with pytest.raises(ValidationError) as refused:
        record(people, incident, held_at=timezone.now() + dt.timedelta(hours=1))
    assert refused.value.message_dict == {
        "held_at": ["This date is in the future: record a meeting once it has been held."]
    }


def test_the_service_refuses_a_referral_of_another_incident(people, incident):
    elsewhere = refer(people, IncidentFactory(school=people.school))
    with pytest.raises(ValidationError) as refused:
        record(people, incident, referral=elsewhere)
    assert refused.value.message_dict == {
        "referral": ["This referral is not part of this incident."]
    }


def test_the_service_refuses_a_meeting_before_its_referral(people, incident):
    referral = refer(people, incident, made_at=ago(hours=1))
    with pytest.raises(ValidationError) as refused:
        record(people, incident, referral=referral, held_at=ago(hours=2))
    assert refused.value.message_dict == {
        "held_at": ["This is before the referral it arose from was made."]
    }
    assert record(people, incident, referral=referral, held_at=ago(minutes=30)).referral == referral


def test_the_service_refuses_an_unknown_kind(people, incident):
    with pytest.raises(ValidationError) as refused:
        record(people, incident, kind="case_review")
    assert list(refused.value.message_dict) == ["kind"]


def test_the_service_refuses_a_closed_incident(people, incident):
    close(incident)
    with pytest.raises(ValidationError, match="closed"):
        record(people, incident)
    assert not Meeting.objects.exists()


# --- the timeline and query counts -------------------------------------------------------


def test_timeline_entries_fall_into_place_when_they_were_held(people, incident):
    referral = refer(people, incident, reference_number="MASH-77")
    held = record(
        people,
        incident,
        actor=people.deputy,
        held_at=ago(days=1),
        referral=referral,
        school_contributed=True,
        actions_for_school=ACTIONS,
    )
    entries = timeline_entries(incident)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.when == held.held_at  # not when it was written down
    assert entry.recorded_at == held.recorded_at
    assert entry.recorded_by == str(people.deputy)
    assert (entry.kind, entry.title) == ("Meeting", "Strategy meeting")
    assert entry.link == url(incident)
    assert ("Attendees", ATTENDEES) in entry.details
    assert ("The school's part", "The school attended and contributed") in entry.details
    assert ("Actions for the school", ACTIONS) in entry.details
    arose = dict(entry.details)["Arose from"]
    assert arose.startswith("Children's social care / MASH referral") and "MASH-77" in arose


def busy(people, incident, n: int) -> None:
    referral = refer(people, incident)
    for index in range(n):
        record(people, incident, referral=referral if index % 2 else None, held_at=ago(hours=n))


def test_timeline_entries_cost_the_same_for_1_or_10(people, django_assert_num_queries):
    small = IncidentFactory(school=people.school)
    large = IncidentFactory(school=people.school)
    busy(people, small, 1)
    busy(people, large, 10)
    with CaptureQueriesContext(connection) as one:
        assert len(timeline_entries(small)) == 1
    with django_assert_num_queries(len(one)):
        assert len(timeline_entries(large)) == 10


def test_the_page_costs_the_same_for_1_or_10_meetings(client, people):
    small = IncidentFactory(school=people.school, status="referred")
    large = IncidentFactory(school=people.school, status="referred")
    busy(people, small, 1)
    busy(people, large, 10)
    client.force_login(people.dsl)
    client.get(url(small))  # warm the caches (content types, session)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(small)).status_code == 200
    with CaptureQueriesContext(connection) as ten:
        page = client.get(url(large))
    assert page.status_code == 200
    assert page.content.decode().count("Actions for the school</dt>") == 10
    assert len(one) == len(ten), [q["sql"] for q in ten]

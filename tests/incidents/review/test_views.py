"""The initial review meeting (002 §3.3): who may record it, the decision and its
answers saved with the status moved on, the rules (a rationale; a reason when departing
from the triage), refusals while logging or closed, and stale forms refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from incidents.models import (
    Decision,
    DecisionKind,
    DecisionOutcome,
    Incident,
    IncidentStatus,
    PersonKind,
)
from incidents.questions import answer_field, note_field
from incidents.review.questions import QUESTIONS, against_triage
from incidents.review.services import initial_review_record
from incidents.services import incident_create, incident_update, involvement_add
from tests.factories import IncidentFactory, PupilFactory

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")


def born_years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=30)


def logged(people, *, adult: bool = False) -> Incident:
    """An incident logged through the services and awaiting review. Two 15-year-olds in
    a consensual relationship: the school may manage it; with an adult sender instead,
    immediate referral is due (002 §3.3 criterion 1)."""
    incident = incident_create(
        actor=people.dsl,
        school=people.school,
        came_to_light_how="disclosure_pupil",
        came_to_light_at=timezone.now() - dt.timedelta(days=2),
        relationship=True,
    )
    pictured = PupilFactory(school=people.school, date_of_birth=born_years_ago(15))
    involvement_add(
        actor=people.dsl,
        incident=incident,
        kind=PersonKind.PUPIL,
        pupil=pictured,
        roles=["pictured", "creator", "sender"],
    )
    if adult:
        involvement_add(
            actor=people.dsl,
            incident=incident,
            kind=PersonKind.ADULT,
            description="A man she met online",
            age=30,
            roles=["recipient", "requester"],
        )
    else:
        involvement_add(
            actor=people.dsl,
            incident=incident,
            kind=PersonKind.PUPIL,
            pupil=PupilFactory(school=people.school, date_of_birth=born_years_ago(15)),
            roles=["recipient"],
        )
    incident.refresh_from_db()
    return incident_update(
        actor=people.dsl,
        incident=incident,
        expected_version=incident.version,
        status=IncidentStatus.AWAITING_REVIEW,
    )


def url(incident: Incident) -> str:
    return reverse("review:initial", kwargs={"incident_id": incident.pk})


def form_data(incident: Incident, **overrides: str) -> dict[str, str]:
    day = timezone.localdate() - dt.timedelta(days=1)
    data = {
        "version": str(incident.version),
        "meeting_on_0": str(day.day),
        "meeting_on_1": str(day.month),
        "meeting_on_2": str(day.year),
        "meeting_time": "09:15",
        "attendees": "Dana Lead (DSL), Hannah Head (headteacher)",
        "outcome": DecisionOutcome.MANAGE_IN_SCHOOL,
        "rationale": "Consensual, within a relationship, no aggravating factors.",
        "against_triage_reason": "",
    }
    for question in QUESTIONS:
        data[answer_field(question.key)] = "no"
        data[note_field(question.key)] = ""
    data[note_field(QUESTIONS[0].key)] = "Both pupils spoken to; no risk identified."
    data.update(overrides)
    return data


@pytest.fixture
def awaiting(people) -> Incident:
    return IncidentFactory(
        school=people.school,
        created_by=people.dsl,
        lead_dsl=people.dsl,
        status=IncidentStatus.AWAITING_REVIEW,
    )


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, awaiting, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and changes nothing."""
    client.force_login(getattr(people, who))
    assert client.get(url(awaiting)).status_code == get_status
    assert client.post(url(awaiting), {}).status_code == post_status
    assert client.put(url(awaiting), {}).status_code == 405
    awaiting.refresh_from_db()
    assert (awaiting.version, awaiting.status) == (1, IncidentStatus.AWAITING_REVIEW)
    assert not Decision.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, awaiting):
    for response in (client.get(url(awaiting)), client.post(url(awaiting), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_other_schools_and_missing_incident_are_404_alike(client, people):
    theirs = IncidentFactory(
        school=people.other_school, created_by=people.other_dsl, status="awaiting_review"
    )
    client.force_login(people.dsl)
    missing = reverse("review:initial", kwargs={"incident_id": 999_999})
    for target in (url(theirs), missing):
        assert client.get(target).status_code == 404
        assert client.post(target, {}).status_code == 404


def test_writers_see_the_form_and_the_triage(client, people):
    incident = logged(people, adult=True)
    client.force_login(people.deputy)
    page = client.get(url(incident)).content.decode()
    assert f'action="{url(incident)}"' in page
    assert "Immediate referral to the police or children" in page
    assert "The triage recommends a referral" in page
    for question in QUESTIONS:
        assert question.text.split("?")[0] in page
    assert f'name="version" value="{incident.version}"' in page


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_reviews_but_no_form(client, people, who):
    incident = logged(people)
    client.force_login(people.dsl)
    client.post(url(incident), form_data(incident))
    client.force_login(getattr(people, who))
    page = client.get(url(incident)).content.decode()
    assert "You can read this record but not change it." in page
    assert f'action="{url(incident)}"' not in page
    assert "Consensual, within a relationship" in page
    assert "Both pupils spoken to; no risk identified." in page


# --- happy paths -------------------------------------------------------------------------


def test_manage_in_school_records_the_decision_and_awaits_sign_off(client, people):
    incident = logged(people)
    assert incident.triage_assessments.first().recommendation == "school_may_manage"
    client.force_login(people.dsl)
    response = client.post(url(incident), form_data(incident), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "cases:detail", kwargs={"incident_id": incident.pk}
    )
    assert "headteacher sign-off awaited" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.MANAGED_IN_SCHOOL
    decision = Decision.objects.get(incident=incident)
    assert decision.kind == DecisionKind.INITIAL_REVIEW
    assert decision.outcome == DecisionOutcome.MANAGE_IN_SCHOOL
    assert decision.decided_by == people.dsl
    assert decision.needs_sign_off
    assert decision.attendees.startswith("Dana Lead")
    assert decision.review_answers[QUESTIONS[0].key] == {
        "answer": "no",
        "note": "Both pupils spoken to; no risk identified.",
    }
    assert set(decision.review_answers) == {q.key for q in QUESTIONS}
    assert decision.history.get().history_user == people.dsl
    assert incident.history.first().history_user == people.dsl


def test_refer_police_moves_the_incident_to_referred(client, people):
    incident = logged(people, adult=True)
    client.force_login(people.deputy)
    response = client.post(url(incident), form_data(incident, outcome="refer_police"))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REFERRED
    decision = Decision.objects.get(incident=incident)
    assert decision.outcome == DecisionOutcome.REFER_POLICE
    assert decision.history.get().history_user == people.deputy


# --- rules -------------------------------------------------------------------------------


def test_rationale_is_required_naming_the_field(client, people):
    incident = logged(people)
    client.force_login(people.dsl)
    data = form_data(incident, rationale="  ", attendees="Dana, Kim")
    response = client.post(url(incident), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Why: Enter why the meeting made this decision." in page
    assert "Dana, Kim" in page  # input kept
    assert not Decision.objects.exists()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.AWAITING_REVIEW


def test_service_requires_a_rationale(people):
    incident = logged(people)
    with pytest.raises(ValidationError) as caught:
        initial_review_record(
            actor=people.dsl,
            incident=incident,
            expected_version=incident.version,
            decided_at=timezone.now() - dt.timedelta(hours=1),
            attendees="",
            answers={},
            outcome=DecisionOutcome.REFER_POLICE,
            rationale="",
            against_triage_reason="",
        )
    assert "rationale" in caught.value.message_dict
    assert not Decision.objects.exists()


def test_against_triage_reason_required_when_managing_an_immediate_referral(client, people):
    incident = logged(people, adult=True)
    assert incident.triage_assessments.first().recommendation == "immediate_referral"
    client.force_login(people.dsl)
    response = client.post(url(incident), form_data(incident))
    assert response.status_code == 200
    assert "Reason for departing from the triage: The triage recommends a referral" in (
        response.content.decode()
    )
    assert not Decision.objects.exists()
    response = client.post(
        url(incident),
        form_data(incident, against_triage_reason="Police already involved and advised."),
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.against_triage_reason == "Police already involved and advised."


def test_referring_when_school_may_manage_needs_no_reason(client, people):
    incident = logged(people)
    assert incident.triage_assessments.first().recommendation == "school_may_manage"
    client.force_login(people.dsl)
    response = client.post(url(incident), form_data(incident, outcome="refer_police"))
    assert response.status_code == 302
    assert Decision.objects.get().against_triage_reason == ""


@pytest.mark.parametrize(
    ("outcome", "recommendation", "against"),
    [
        ("manage_in_school", "immediate_referral", True),
        ("manage_in_school", "referral_recommended", True),
        ("manage_in_school", "school_may_manage", False),
        ("manage_in_school", None, False),
        ("refer_police", "school_may_manage", False),
        ("refer_both", "immediate_referral", False),
        ("refer_social_care", "referral_recommended", False),
    ],
)
def test_against_triage(outcome, recommendation, against):
    assert against_triage(outcome, recommendation) is against


# --- refusals ----------------------------------------------------------------------------


def test_refused_while_logging(client, people):
    incident = IncidentFactory(school=people.school, created_by=people.dsl)
    client.force_login(people.dsl)
    assert "finish logging first" in client.get(url(incident)).content.decode()
    response = client.post(url(incident), form_data(incident))
    assert response.status_code == 409
    assert "finish logging first" in response.content.decode()
    assert not Decision.objects.exists()
    with pytest.raises(ValidationError, match="finish logging first"):
        initial_review_record(
            actor=people.dsl,
            incident=incident,
            expected_version=incident.version,
            decided_at=timezone.now(),
            attendees="",
            answers={},
            outcome="refer_police",
            rationale="Adult involved.",
            against_triage_reason="",
        )


def test_refused_when_closed(client, people):
    incident = IncidentFactory(
        school=people.school,
        created_by=people.dsl,
        status=IncidentStatus.CLOSED,
        closed_at=timezone.now(),
        outcome_summary="Resolved.",
    )
    client.force_login(people.dsl)
    response = client.post(url(incident), form_data(incident))
    assert response.status_code == 409
    assert "This incident is closed" in response.content.decode()
    assert not Decision.objects.exists()


def test_stale_version_is_refused_showing_what_changed(client, people):
    incident = logged(people)
    data = form_data(incident)
    # A colleague records a review first.
    initial_review_record(
        actor=people.colleague_dsl,
        incident=incident,
        expected_version=incident.version,
        decided_at=timezone.now() - dt.timedelta(hours=2),
        attendees="Cal Colleague",
        answers={},
        outcome="refer_social_care",
        rationale="Concern about home.",
        against_triage_reason="",
    )
    client.force_login(people.dsl)
    response = client.post(url(incident), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this incident" in page
    assert "awaiting_review → referred" in page
    assert Decision.objects.count() == 1
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REFERRED
    assert f'name="version" value="{incident.version}"' in page


def test_missing_version_is_refused(client, people):
    incident = logged(people)
    client.force_login(people.dsl)
    data = form_data(incident)
    del data["version"]
    response = client.post(url(incident), data)
    assert response.status_code == 200
    assert "This form is out of date" in response.content.decode()
    assert not Decision.objects.exists()


def test_each_note_is_labelled_with_its_question_for_screen_readers(client, people, awaiting):
    """The notes all read "Note (optional)" on screen; a hidden part of each label names
    the question, so a screen reader tells them apart."""
    client.force_login(people.dsl)
    page = client.get(url(awaiting)).content.decode()
    for question in QUESTIONS:
        hidden = f'<span class="govuk-visually-hidden">, about: {escape(question.text)}</span>'
        assert hidden in page

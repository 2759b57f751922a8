"""Logging an incident in five steps: who may do what, each step through HTTP, errors
that name their field, stale forms refused, and page queries that do not grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from incidents.models import Incident, IncidentStatus
from incidents.services import incident_update
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory

pytestmark = pytest.mark.django_db

STEPS = ("details", "people", "imagery", "sharing", "finish")
WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


def start_data(**overrides: str) -> dict[str, str]:
    day = yesterday()
    return {
        "came_to_light_how": "disclosure_pupil",
        "came_to_light_on_0": str(day.day),
        "came_to_light_on_1": str(day.month),
        "came_to_light_on_2": str(day.year),
        "came_to_light_time": "10:30",
        "narrative": "Chloe told her form tutor a photo had been sent to her boyfriend.",
        **overrides,
    }


def step_url(step: str, incident: Incident) -> str:
    return reverse(f"log:{step}", kwargs={"incident_id": incident.pk})


def start_url(school) -> str:
    return reverse("log:start", kwargs={"school_id": school.pk})


@pytest.fixture
def incident(people):
    return IncidentFactory(school=people.school, created_by=people.dsl, lead_dsl=people.dsl)


def born_years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=30)


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("dsl", 200), ("deputy", 200), ("head", 403), ("trust_lead", 403)]
    + [(who, 404) for who in STRANGERS],
)
def test_start_get_and_post_matrix(client, people, who, status):
    client.force_login(getattr(people, who))
    assert client.get(start_url(people.school)).status_code == status
    assert client.post(start_url(people.school), {}).status_code == status
    assert not Incident.objects.exists()


def test_start_other_school_and_missing_school_are_404_alike(client, people):
    client.force_login(people.dsl)
    assert client.get(start_url(people.other_school)).status_code == 404
    missing = reverse("log:start", kwargs={"school_id": 999_999})
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_step_matrix(client, people, incident, step, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and changes nothing."""
    client.force_login(getattr(people, who))
    assert client.get(step_url(step, incident)).status_code == get_status
    assert client.post(step_url(step, incident), {}).status_code == post_status
    incident.refresh_from_db()
    assert (incident.version, incident.status) == (1, IncidentStatus.LOGGING)
    assert not incident.involvements.exists()


@pytest.mark.parametrize("step", STEPS)
def test_readers_see_no_form(client, people, incident, step):
    client.force_login(people.head)
    page = client.get(step_url(step, incident)).content.decode()
    assert "You can read this record but not change it." in page
    assert 'method="post" action="/incidents' not in page


@pytest.mark.parametrize("url", ["start", *STEPS])
def test_anonymous_is_sent_to_sign_in(client, people, incident, url):
    target = start_url(people.school) if url == "start" else step_url(url, incident)
    for response in (client.get(target), client.post(target, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("step", STEPS)
def test_other_schools_and_missing_incident_are_404_alike(client, people, step):
    theirs = IncidentFactory(school=people.other_school, created_by=people.other_dsl)
    client.force_login(people.dsl)
    missing = reverse(f"log:{step}", kwargs={"incident_id": 999_999})
    assert client.get(step_url(step, theirs)).status_code == 404
    assert client.get(missing).status_code == 404
    assert client.post(missing, {}).status_code == 404


@pytest.mark.parametrize("url", ["start", *STEPS])
def test_wrong_method_is_405(client, people, incident, url):
    client.force_login(people.dsl)
    target = start_url(people.school) if url == "start" else step_url(url, incident)
    assert client.put(target).status_code == 405
    assert client.delete(target).status_code == 405


@pytest.mark.parametrize("step", STEPS)
def test_closed_incident_refuses_changes(client, people, step):
    closed = IncidentFactory(
        school=people.school,
        created_by=people.dsl,
        status=IncidentStatus.CLOSED,
        closed_at=timezone.now(),
        outcome_summary="Managed in school; both pupils supported.",
    )
    client.force_login(people.dsl)
    assert "This incident is closed" in client.get(step_url(step, closed)).content.decode()
    response = client.post(step_url(step, closed), {"version": "1", "add": "other"})
    assert response.status_code == 409
    assert "can no longer be changed" in response.content.decode()
    closed.refresh_from_db()
    assert closed.version == 1


# --- step 1: how and when it came to light -------------------------------------------------


def test_start_creates_an_incident_still_being_logged(client, people):
    client.force_login(people.dsl)
    response = client.post(start_url(people.school), start_data())
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url("people", incident)
    assert incident.status == IncidentStatus.LOGGING
    assert incident.school == people.school
    assert incident.came_to_light_how == "disclosure_pupil"
    local = timezone.localtime(incident.came_to_light_at)
    assert (local.date(), local.hour, local.minute) == (yesterday(), 10, 30)
    assert incident.narrative.startswith("Chloe told")
    assert incident.created_by == incident.lead_dsl == people.dsl


@pytest.mark.parametrize(
    ("overrides", "field_label", "message", "kept"),
    [
        ({"came_to_light_how": ""}, "How did the incident come to light?", "Choose how", None),
        (
            {"came_to_light_on_0": "", "came_to_light_on_1": "", "came_to_light_on_2": ""},
            "Date it came to light",
            "Enter the date it came to light.",
            None,
        ),
        ({"came_to_light_on_0": "31", "came_to_light_on_1": "2"}, "Date it came to light",
         "The date must be a real date.", 'value="31"'),
        ({"came_to_light_on_1": "2147483648"}, "Date it came to light",
         "The date must be a real date.", 'value="2147483648"'),
        ({"came_to_light_on_1": ""}, "Date it came to light", "must include a month", None),
        ({"came_to_light_on_2": "26"}, "Date it came to light", "4 numbers", 'value="26"'),
        (
            {"came_to_light_on_2": str(timezone.localdate().year + 1)},
            "Date it came to light",
            "cannot be in the future",
            None,
        ),
        ({"came_to_light_time": "25:99"}, "Time it came to light", "Enter a time like 14:30.",
         'value="25:99"'),
    ],
)  # fmt: skip
def test_start_errors_name_the_field_and_keep_the_input(
    client, people, overrides, field_label, message, kept
):
    client.force_login(people.dsl)
    response = client.post(start_url(people.school), start_data(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{field_label}: {message}" in page or (field_label in page and message in page)
    assert "Error: " in page and "There is a problem" in page
    assert "a photo had been sent to her boyfriend" in page  # the narrative is kept
    if kept:
        assert kept in page
    assert not Incident.objects.exists()


def test_start_refuses_a_time_later_today(client, people, monkeypatch):
    today = timezone.localdate()
    # It is noon (sign-in included), so 23:59 is later the same day whenever this runs.
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    monkeypatch.setattr(timezone, "now", lambda: noon)
    client.force_login(people.dsl)
    response = client.post(
        start_url(people.school),
        start_data(
            came_to_light_on_0=str(today.day),
            came_to_light_on_1=str(today.month),
            came_to_light_on_2=str(today.year),
            came_to_light_time="23:59",
        ),
    )
    assert "Time it came to light: The time it came to light cannot be in the future." in (
        response.content.decode()
    )


def test_details_step_changes_an_incident_already_started(client, people, incident):
    client.force_login(people.dsl)
    response = client.post(
        step_url("details", incident), start_data(came_to_light_how="parent", version="1")
    )
    assert response["Location"] == step_url("people", incident)
    incident.refresh_from_db()
    assert (incident.came_to_light_how, incident.version) == ("parent", 2)


# --- step 2: people ------------------------------------------------------------------------


def test_search_finds_pupils_of_this_school_only_by_name_or_upn(client, people, incident):
    mine = PupilFactory(school=people.school, given_name="Chloe", family_name="Hirst")
    PupilFactory(school=people.other_school, given_name="Chloe", family_name="Hirst")
    client.force_login(people.dsl)
    page = client.get(step_url("people", incident), {"q": "chloe hir"}).content.decode()
    assert page.count("Chloe Hirst, Year") == 1
    assert f'value="{mine.pk}"' in page
    by_upn = client.get(step_url("people", incident), {"q": mine.upn.lower()}).content.decode()
    assert f"UPN {mine.upn}" in by_upn


def test_adding_a_pupil_stores_roles_and_flags_and_triages(client, people, incident):
    pupil = PupilFactory(school=people.school, date_of_birth=born_years_ago(15))
    client.force_login(people.dsl)
    response = client.post(
        step_url("people", incident),
        {
            "add": "pupil",
            "q": pupil.family_name,
            "pupil-pupil": str(pupil.pk),
            "pupil-roles": ["pictured", "sender"],
            "pupil-risks": ["coerced"],
            "pupil-previous_incidents": "",
        },
    )
    assert response.status_code == 302
    person = incident.involvements.get()
    assert (person.pupil, person.kind, person.roles) == (pupil, "pupil", ["pictured", "sender"])
    assert person.coerced and not person.blackmailed
    page = client.get(step_url("people", incident)).content.decode()
    assert escape(pupil.full_name) in page and "Pictured, Sent it" in page
    assert "Coerced or pressured into it" in page
    assert "coercion" in page  # the triage panel: a criterion fired
    assert "Immediate referral" in page


def test_a_pupil_already_added_cannot_be_added_again(client, people, incident):
    person = InvolvementFactory(incident=incident)
    client.force_login(people.dsl)
    response = client.post(
        step_url("people", incident),
        {"add": "pupil", "pupil-pupil": str(person.pupil.pk), "pupil-roles": ["recipient"]},
    )
    assert "Pupil: " in response.content.decode()
    assert "has already been added" in response.content.decode()
    assert incident.involvements.count() == 1


def test_a_pupil_of_another_school_cannot_be_added(client, people, incident):
    theirs = PupilFactory(school=people.other_school)
    client.force_login(people.dsl)
    response = client.post(
        step_url("people", incident),
        {"add": "pupil", "pupil-pupil": str(theirs.pk), "pupil-roles": ["recipient"]},
    )
    assert "Pupil: Choose a pupil from this school&#x27;s roll." in response.content.decode()
    assert not incident.involvements.exists()


def test_pupil_form_errors_name_the_field_and_keep_the_search(client, people, incident):
    pupil = PupilFactory(school=people.school, given_name="Reece", family_name="Ackroyd")
    client.force_login(people.dsl)
    response = client.post(
        step_url("people", incident),
        {"add": "pupil", "q": "Ackroyd", "pupil-pupil": str(pupil.pk)},
    )
    page = response.content.decode()
    assert "How is this pupil involved?: Choose at least one way this person is involved." in page
    assert f'value="{pupil.pk}"\n                           checked' in page or "checked" in page
    assert "Pupils matching ‘Ackroyd’" in page


def test_adding_someone_else(client, people, incident):
    client.force_login(people.dsl)
    response = client.post(
        step_url("people", incident),
        {
            "add": "other",
            "other-kind": "child",
            "other-description": "Year 10 pupil at Hill School",
            "other-age": "15",
            "other-roles": ["recipient", "sharer"],
            "other-vulnerabilities": ["looked_after"],
            "other-social_care": "current",
        },
    )
    assert response.status_code == 302
    person = incident.involvements.get()
    assert (person.kind, person.description, person.age) == (
        "child",
        "Year 10 pupil at Hill School",
        15,
    )
    assert person.looked_after and person.social_care == "current"
    page = client.get(step_url("people", incident)).content.decode()
    assert "Year 10 pupil at Hill School" in page and "vulnerable_pupil" in page


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, "Who is this?: Choose who this person is."),
        ({"other-kind": "adult", "other-description": " "}, "Description: Say who this person is."),
        (
            {"other-kind": "adult", "other-description": "Uncle", "other-age": "15"},
            "Age in years, if the date of birth is not known: An adult is 18 or over",
        ),
        (
            {"other-kind": "unknown", "other-description": "Instagram account", "other-age": "30"},
            "Age in years, if the date of birth is not known: If the age is known",
        ),
        (
            {"other-kind": "child", "other-description": "Cousin", "other-date_of_birth_0": "1",
             "other-date_of_birth_1": "1", "other-date_of_birth_2": "1990"},
            "Date of birth, if known: A child is under 18",
        ),
        (
            {"other-kind": "child", "other-description": "Cousin", "other-vulnerabilities":
             ["looked_after"]},
            "For a child: involvement of children's social care: A looked-after child has current",
        ),
        (
            {"other-kind": "adult", "other-description": "Coach", "other-vulnerabilities":
             ["send"]},
            "For a child: what is known about them?: These facts are recorded only for a child.",
        ),
    ],
)  # fmt: skip
def test_other_person_errors_name_the_field_and_keep_the_input(
    client, people, incident, data, expected
):
    client.force_login(people.dsl)
    post = {"add": "other", "other-roles": ["recipient"], "other-social_care": "none", **data}
    response = client.post(step_url("people", incident), post)
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert expected in page
    if data.get("other-description", "").strip():
        assert f'value="{data["other-description"]}"' in page
    assert not incident.involvements.exists()


def test_under_13_pictured_with_sexual_acts_is_an_immediate_referral(client, people, incident):
    pupil = PupilFactory(school=people.school, date_of_birth=born_years_ago(12))
    client.force_login(people.dsl)
    client.post(
        step_url("people", incident),
        {"add": "pupil", "pupil-pupil": str(pupil.pk), "pupil-roles": ["pictured", "creator"]},
    )
    before = incident.triage_assessments.first()
    assert before is not None and not before.immediate_referral
    response = client.post(
        step_url("imagery", incident),
        {
            "version": "1",
            "imagery_description": "A video, described by a friend.",
            "sexual_acts": "on",
        },
    )
    assert response["Location"] == step_url("sharing", incident)
    assessment = incident.triage_assessments.first()
    assert assessment.immediate_referral
    page = client.get(step_url("sharing", incident)).content.decode()
    assert "under_13_sexual_acts" in page
    assert "Immediate referral to the police or children's social care is due." in page


# --- steps 3 and 4: imagery and sharing ----------------------------------------------------


def test_imagery_step_stores_the_facts_and_says_why_words_only(client, people, incident):
    client.force_login(people.dsl)
    page = client.get(step_url("imagery", incident)).content.decode()
    assert "Never view, copy or upload the imagery" in page and "002 §2.0, §5.1" in page
    assert 'type="file"' not in page
    made = incident.incident_date - dt.timedelta(days=3)
    response = client.post(
        step_url("imagery", incident),
        {
            "version": "1",
            "imagery_description": "  A photo, topless, described by the pupil.  ",
            "imagery_created_on_0": str(made.day),
            "imagery_created_on_1": str(made.month),
            "imagery_created_on_2": str(made.year),
            "ai_generated": "on",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.imagery_description == "A photo, topless, described by the pupil."
    assert incident.imagery_created_on == made
    assert incident.ai_generated and not incident.sexual_acts
    assert incident.version == 2


def test_imagery_made_after_it_came_to_light_is_refused(client, people, incident):
    client.force_login(people.dsl)
    later = incident.incident_date + dt.timedelta(days=1)
    response = client.post(
        step_url("imagery", incident),
        {
            "version": "1",
            "imagery_description": "Kept text",
            "imagery_created_on_0": str(later.day),
            "imagery_created_on_1": str(later.month),
            "imagery_created_on_2": str(later.year),
        },
    )
    page = response.content.decode()
    assert (
        "When the imagery was made, if known: The date the imagery was made cannot be after" in page
    )
    assert "Kept text" in page and f'value="{later.day}"' in page
    incident.refresh_from_db()
    assert incident.version == 1


def test_sharing_step_stores_the_facts(client, people, incident):
    client.force_login(people.dsl)
    response = client.post(
        step_url("sharing", incident),
        {
            "version": "1",
            "consensual": "no",
            "malicious": "on",
            "shared_widely": "on",
            "platforms": " Snapchat, WhatsApp ",
        },
    )
    assert response["Location"] == step_url("finish", incident)
    incident.refresh_from_db()
    assert not incident.consensual and incident.malicious and incident.shared_widely
    assert not incident.relationship and incident.platforms == "Snapchat, WhatsApp"


def test_sharing_consent_must_be_answered(client, people, incident):
    client.force_login(people.dsl)
    response = client.post(step_url("sharing", incident), {"version": "1", "platforms": "Kik"})
    page = response.content.decode().replace("&#x27;", "'")
    assert "Was it shared with the consent of the child pictured?: Say whether" in page
    assert 'value="Kik"' in page


def test_a_stale_form_is_refused_showing_the_colleagues_change(client, people, incident):
    incident_update(
        actor=people.colleague_dsl, incident=incident, expected_version=1, platforms="Snapchat"
    )
    client.force_login(people.dsl)
    response = client.post(
        step_url("sharing", incident),
        {"version": "1", "consensual": "yes", "relationship": "on", "platforms": "WhatsApp"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this incident while you were editing" in page
    assert "Platforms: (blank) → Snapchat" in page
    assert 'value="WhatsApp"' in page  # what was typed is kept
    assert 'name="version" value="2"' in page  # saving again applies it
    incident.refresh_from_db()
    assert (incident.platforms, incident.relationship) == ("Snapchat", False)
    again = client.post(
        step_url("sharing", incident),
        {"version": "2", "consensual": "yes", "relationship": "on", "platforms": "WhatsApp"},
    )
    assert again.status_code == 302
    incident.refresh_from_db()
    assert (incident.platforms, incident.relationship) == ("WhatsApp", True)


# --- step 5: finish ------------------------------------------------------------------------


def test_finishing_with_nobody_added_is_refused(client, people, incident):
    client.force_login(people.dsl)
    response = client.post(step_url("finish", incident), {"version": "1"})
    assert "People involved: add at least one person before finishing" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.LOGGING


def test_finishing_moves_the_incident_to_await_review(client, people, incident):
    InvolvementFactory(incident=incident)
    client.force_login(people.dsl)
    page = client.get(step_url("finish", incident)).content.decode()
    for step in ("details", "imagery", "sharing", "people"):
        assert f'href="{step_url(step, incident)}">Change' in page
    response = client.post(step_url("finish", incident), {"version": "1"})
    assert response["Location"] == step_url("finish", incident)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.AWAITING_REVIEW
    after = client.get(step_url("finish", incident)).content.decode()
    assert "awaits the initial review meeting" in after
    assert "Finish logging</button>" not in after
    again = client.post(step_url("finish", incident), {"version": "2"})
    assert again.status_code == 409
    assert "Logging has already finished" in again.content.decode()


# --- constant queries --------------------------------------------------------------------


@pytest.mark.parametrize("step", STEPS)
def test_step_pages_make_the_same_queries_for_1_or_6_people(client, people, step):
    small = IncidentFactory(school=people.school, created_by=people.dsl)
    large = IncidentFactory(school=people.school, created_by=people.dsl)
    InvolvementFactory(incident=small)
    for _ in range(6):
        InvolvementFactory(incident=large)
    for incident in (small, large):
        from incidents.triage.services import triage_refresh

        triage_refresh(actor=people.dsl, incident=incident)
    client.force_login(people.dsl)
    query = {"q": "a"} if step == "people" else {}
    client.get(step_url(step, small), query)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(step_url(step, small), query).status_code == 200
    with CaptureQueriesContext(connection) as six:
        assert client.get(step_url(step, large), query).status_code == 200
    assert len(one) == len(six), [q["sql"] for q in six]


# --- the sex of someone not on roll (002 §5.1: who may view imagery depends on it) -------


@pytest.mark.parametrize(("posted", "stored"), [("M", "M"), ("F", "F"), ("", "")])
def test_someone_elses_sex_is_recorded_if_known(client, people, incident, posted, stored):
    client.force_login(people.dsl)
    page = client.get(step_url("people", incident)).content.decode()
    assert 'name="other-sex"' in page and "Sex, if known" in page
    response = client.post(
        step_url("people", incident),
        {
            "add": "other",
            "other-kind": "child",
            "other-description": "Year 9 pupil at Hill School",
            "other-sex": posted,
            "other-roles": ["pictured"],
            "other-social_care": "none",
        },
    )
    assert response.status_code == 302
    assert incident.involvements.get().sex == stored


def test_an_unknown_sex_is_refused_naming_the_field(client, people, incident):
    client.force_login(people.dsl)
    data = {
        "add": "other",
        "other-kind": "adult",
        "other-description": "Coach",
        "other-sex": "X",
        "other-roles": ["requester"],
        "other-social_care": "none",
    }
    response = client.post(step_url("people", incident), data)
    assert response.status_code == 200
    assert "Sex, if known: Choose female, male or not known." in response.content.decode()
    assert not incident.involvements.exists()

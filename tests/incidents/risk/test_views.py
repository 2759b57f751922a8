"""The risk assessment page (002 §3.4, Annex A): who may record it, the answers
stored, the triage facts it changes (and only those), refusals while logging or
closed, stale forms refused without losing either colleague's work, and constant
query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from incidents.access import CLOSED_MESSAGE
from incidents.models import (
    IncidentStatus,
    Involvement,
    PersonKind,
    RiskAssessment,
    TriageAssessment,
)
from incidents.questions import answer_field
from incidents.risk.forms import flag_field
from incidents.risk.questions import QUESTIONS, THEMES, WHY_SHARED
from incidents.services import incident_update, involvement_add
from tests.factories import IncidentFactory, InvolvementFactory
from tests.incidents.risk.builders import (
    NOTE,
    SUMMARY,
    answers,
    checked,
    form_data,
    logged,
    pictured,
    record,
    text,
    url,
    with_assessments,
)

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, managed, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and changes nothing."""
    version = managed.version
    client.force_login(getattr(people, who))
    assert client.get(url(managed)).status_code == get_status
    assert client.post(url(managed), {}).status_code == post_status
    assert client.put(url(managed), {}).status_code == 405
    managed.refresh_from_db()
    assert managed.version == version
    assert not RiskAssessment.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, managed):
    for response in (client.get(url(managed)), client.post(url(managed), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_other_schools_and_missing_incident_are_404_alike(client, people):
    theirs = IncidentFactory(
        school=people.other_school, created_by=people.other_dsl, status="managed_in_school"
    )
    InvolvementFactory(incident=theirs)
    client.force_login(people.dsl)
    missing = reverse("risk:assess", kwargs={"incident_id": 999_999})
    for target in (url(theirs), missing):
        assert client.get(target).status_code == 404
        assert client.post(target, form_data(theirs)).status_code == 404
    assert not RiskAssessment.objects.exists()


def test_writers_see_the_questions_with_the_facts_pre_filled(client, people, managed):
    incident_update(
        actor=people.dsl, incident=managed, expected_version=managed.version, posted_online=True
    )
    chloe = pictured(managed)
    chloe.pupil.looked_after, chloe.pupil.social_care = True, "current"
    chloe.pupil.save()
    client.force_login(people.deputy)
    page = client.get(url(managed)).content.decode()
    assert f'action="{url(managed)}"' in page
    for theme in THEMES:
        assert theme.split("?")[0] in page
    for question in QUESTIONS:
        assert question.text in text(page)
        assert question.why in text(page)
    assert "002 Annex A" in page and "002 §3.4" in page
    assert checked(page, "id_posted_online")
    assert not checked(page, "id_shared_widely")
    assert checked(page, "id_consensual_0")  # "Yes": shared with consent
    assert "Chloe Hirst: 15" in text(page)  # ages, read-only
    assert "Chloe Hirst: Looked after; Social care: current" in text(page)  # read-only too
    assert 'name="looked_after"' not in page
    assert "a referral is recommended" in text(page)  # the triage, beside the questions
    managed.refresh_from_db()
    assert f'name="version" value="{managed.version}"' in page


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_assessments_but_no_form(client, people, managed, who):
    record(people, managed, answers={**answers(), WHY_SHARED: {"answer": "no", "note": NOTE}})
    client.force_login(getattr(people, who))
    page = client.get(url(managed)).content.decode()
    assert "You can read this record but not change it." in page
    assert f'action="{url(managed)}"' not in page
    assert SUMMARY in text(page)
    assert NOTE in text(page)


# --- recording ---------------------------------------------------------------------------


def test_recording_an_assessment(client, people, managed):
    client.force_login(people.deputy)
    response = client.post(url(managed), form_data(managed), follow=True)
    assert response.redirect_chain[-1][0] == url(managed)
    page = response.content.decode()
    assert "Risk assessment recorded." in page
    assert "Assessments recorded" in page
    assessment = RiskAssessment.objects.get(incident=managed)
    assert assessment.summary == SUMMARY
    assert assessment.assessed_by == people.deputy
    assert timezone.localtime(assessment.assessed_at).strftime("%H:%M") == "10:30"
    assert set(assessment.answers) == {q.key for q in QUESTIONS}
    assert assessment.answers[WHY_SHARED] == {"answer": "no", "note": NOTE}
    assert assessment.history.get().history_user == people.deputy


def test_an_unchanged_form_changes_no_fact_and_no_triage(client, people, managed):
    version = managed.version
    triages = TriageAssessment.objects.count()
    incident_rows = managed.history.count()
    person_rows = Involvement.history.filter(incident_id=managed.pk).count()
    client.force_login(people.dsl)
    response = client.post(url(managed), form_data(managed), follow=True)
    assert "changed the triage" not in response.content.decode()
    assert RiskAssessment.objects.count() == 1
    managed.refresh_from_db()
    assert managed.version == version
    assert TriageAssessment.objects.count() == triages
    assert managed.history.count() == incident_rows
    assert Involvement.history.filter(incident_id=managed.pk).count() == person_rows


def test_a_sharing_fact_found_changes_the_stored_triage(client, people, managed):
    before = managed.triage_assessments.first()
    assert before.recommendation == "school_may_manage"
    client.force_login(people.dsl)
    data = form_data(managed, posted_online="on", consensual="no")
    data[answer_field("shared_online")] = "yes"
    response = client.post(url(managed), data, follow=True)
    page = response.content.decode()
    assert "changed the triage" in page
    assert "a referral is recommended" in page  # the triage panel shows the new triage
    managed.refresh_from_db()
    assert (managed.posted_online, managed.consensual) == (True, False)
    assert managed.history.first().history_user == people.dsl
    newest = managed.triage_assessments.first()
    assert newest.pk != before.pk
    assert newest.facts["sharing"]["posted_online"] is True
    assert newest.facts["sharing"]["consensual"] is False
    assert {item["id"] for item in newest.result["aggravating"]} == {
        "wide_distribution",
        "shared_without_consent",
    }
    assert newest.recommendation == "referral_recommended"
    assert newest.history.get().history_user == people.dsl
    assert RiskAssessment.objects.get().answers["shared_online"]["answer"] == "yes"


def test_a_person_flag_found_changes_the_triage(client, people, managed):
    chloe = pictured(managed)
    client.force_login(people.dsl)
    data = form_data(managed, **{flag_field("coerced"): [str(chloe.pk)]})
    data[answer_field(WHY_SHARED)] = "yes"
    assert client.post(url(managed), data).status_code == 302
    chloe.refresh_from_db()
    assert chloe.coerced is True
    assert chloe.history.first().history_user == people.dsl
    newest = managed.triage_assessments.first()
    assert [p["coerced"] for p in newest.facts["people"]] == [True, False]
    assert newest.immediate_referral is True
    assert "coercion" in {item["id"] for item in newest.result["criteria"]}
    managed.refresh_from_db()
    assert managed.history.first().history_user == people.dsl  # the version moved too


def test_a_flag_left_unticked_is_cleared(client, people, managed):
    record(people, managed, person_flags={pictured(managed).pk: {"blackmailed": True}})
    chloe = pictured(managed)
    assert chloe.blackmailed is True
    client.force_login(people.dsl)
    assert client.post(url(managed), form_data(managed, flag_blackmailed=[])).status_code == 302
    chloe.refresh_from_db()
    assert chloe.blackmailed is False
    assert managed.triage_assessments.first().facts["people"][0]["blackmailed"] is False


def test_a_later_assessment_is_recorded_and_the_earlier_ones_stay(client, people, managed):
    first = record(
        people, managed, summary="First look.", assessed_at=timezone.now() - dt.timedelta(days=2)
    )
    client.force_login(people.dsl)
    response = client.post(url(managed), form_data(managed, summary="Second look."), follow=True)
    page = response.content.decode()
    assert page.index("First look.") < page.index("Second look.")  # newest last
    assert "Record a new assessment" in page
    assert RiskAssessment.objects.order_by("assessed_at").first() == first
    assert RiskAssessment.objects.count() == 2


def test_any_open_status_may_be_assessed(client, people):
    referred = logged(people, status=IncidentStatus.REFERRED)
    client.force_login(people.dsl)
    assert client.post(url(referred), form_data(referred)).status_code == 302
    assert RiskAssessment.objects.filter(incident=referred).exists()


# --- refusals ----------------------------------------------------------------------------


def test_refused_while_logging(client, people):
    logging = IncidentFactory(school=people.school, created_by=people.dsl)
    InvolvementFactory(incident=logging)
    client.force_login(people.dsl)
    page = client.get(url(logging)).content.decode()
    assert "finish logging first" in page
    assert 'name="summary"' not in page
    assert reverse("log:finish", kwargs={"incident_id": logging.pk}) in page
    response = client.post(url(logging), form_data(logging))
    assert response.status_code == 409
    assert "finish logging first" in response.content.decode()
    with pytest.raises(ValidationError, match="finish logging first"):
        record(people, logging)
    assert not RiskAssessment.objects.exists()


def test_refused_when_closed(client, people, managed):
    record(people, managed, summary="Assessed before closing.")
    managed.refresh_from_db()
    closed = incident_update(
        actor=people.dsl,
        incident=managed,
        expected_version=managed.version,
        status=IncidentStatus.CLOSED,
        closed_at=timezone.now(),
        outcome_summary="Resolved.",
    )
    client.force_login(people.dsl)
    page = client.get(url(closed)).content.decode()
    assert CLOSED_MESSAGE in page
    assert "Assessed before closing." in page  # earlier assessments stay readable
    assert 'name="summary"' not in page
    response = client.post(url(closed), form_data(closed, posted_online="on"))
    assert response.status_code == 409
    assert CLOSED_MESSAGE in response.content.decode()
    with pytest.raises(ValidationError, match="This incident is closed"):
        record(people, closed)
    closed.refresh_from_db()
    assert closed.posted_online is False
    assert RiskAssessment.objects.count() == 1


# --- no lost update ----------------------------------------------------------------------


def test_a_stale_form_is_refused_and_keeps_both_peoples_work(client, people, managed):
    """The colleague posted it online; the DSL, from the old page, found it malicious.
    Nothing is saved; the page names the colleague's change and the form now holds both."""
    data = form_data(managed, malicious="on", summary="Typed before the refusal.")
    incident_update(
        actor=people.colleague_dsl,
        incident=managed,
        expected_version=managed.version,
        posted_online=True,
    )
    client.force_login(people.dsl)
    response = client.post(url(managed), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this incident while you were editing" in page
    assert "Posted online: No → Yes" in page
    assert not RiskAssessment.objects.exists()
    managed.refresh_from_db()
    assert (managed.posted_online, managed.malicious) == (True, False)
    assert f'name="version" value="{managed.version}"' in page
    assert checked(page, "id_posted_online")  # the colleague's fact, left alone by the DSL
    assert checked(page, "id_malicious")  # the DSL's own finding
    assert "Typed before the refusal." in page
    again = client.post(
        url(managed), {**data, "version": str(managed.version), "posted_online": "on"}
    )
    assert again.status_code == 302
    managed.refresh_from_db()
    assert (managed.posted_online, managed.malicious) == (True, True)


def test_a_colleagues_flag_change_is_shown_and_kept(client, people, managed):
    chloe = pictured(managed)
    data = form_data(managed)
    record(people, managed, person_flags={chloe.pk: {"coerced": True}}, summary="Cal's.")
    client.force_login(people.dsl)
    page = client.post(url(managed), data).content.decode()
    assert "Chloe Hirst: coerced or pressured into it: No → Yes" in page
    boxes = re.findall(r'<input[^>]*name="flag_coerced"[^>]*>', page)
    assert any(f'value="{chloe.pk}"' in box and "checked" in box for box in boxes)
    assert RiskAssessment.objects.count() == 1


def test_a_person_added_after_the_page_was_read_keeps_their_flags(client, people, managed):
    data = form_data(managed)
    newcomer = involvement_add(
        actor=people.colleague_dsl,
        incident=managed,
        kind=PersonKind.CHILD,
        description="Year 10 pupil at Hill School",
        age=15,
        roles=["sharer"],
        coerced=True,
    )
    client.force_login(people.dsl)
    assert client.post(url(managed), data).status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.coerced is True
    assert RiskAssessment.objects.count() == 1


# --- query counts and screen readers -----------------------------------------------------


def test_page_queries_do_not_grow_with_assessments(client, people):
    from guardian.ctypes import get_content_type

    one, ten = with_assessments(people, 1), with_assessments(people, 10)
    client.force_login(people.dsl)
    client.get(url(one))  # warm the caches
    if hasattr(get_content_type, "cache_clear"):
        get_content_type.cache_clear()
        client.get(url(one))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(one)).status_code == 200
    with CaptureQueriesContext(connection) as large:
        page = client.get(url(ten)).content.decode()
    assert page.count("Assessment ") >= 10
    assert len(small) == len(large), [q["sql"] for q in large]


def test_each_note_is_labelled_with_its_question_for_screen_readers(client, people, managed):
    client.force_login(people.dsl)
    page = client.get(url(managed)).content.decode()
    for question in QUESTIONS:
        hidden = f'<span class="govuk-visually-hidden">, about: {escape(question.text)}</span>'
        assert hidden in page

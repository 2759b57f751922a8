"""Closing a case (issue 5 item 9): who may close, the outcome summary it needs, and the
refusals: still being logged, already closed, a form read before a colleague's save."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.closure.services import incident_reopen
from incidents.models import DecisionKind, DecisionOutcome, Incident, IncidentStatus, Reopening
from incidents.services import decision_record, incident_update
from safeguarding.audit import StaleEditError
from tests.factories import IncidentFactory, InvolvementFactory

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")
SUMMARY = "Managed in school: parents informed, imagery deleted, education session held."


def url(incident: Incident) -> str:
    return reverse("closure:close", kwargs={"incident_id": incident.pk})


@pytest.fixture
def incident(people):
    incident = IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, status="awaiting_review"
    )
    InvolvementFactory(incident=incident)
    return incident


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, incident, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and changes nothing."""
    client.force_login(getattr(people, who))
    assert client.get(url(incident)).status_code == get_status
    assert client.post(url(incident), {}).status_code == post_status
    assert client.put(url(incident)).status_code == 405
    incident.refresh_from_db()
    assert (incident.status, incident.version) == (IncidentStatus.AWAITING_REVIEW, 1)


def test_anonymous_is_sent_to_sign_in(client, incident):
    for response in (client.get(url(incident)), client.post(url(incident), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_other_schools_and_missing_incident_are_404_alike(client, people):
    theirs = IncidentFactory(school=people.other_school, status="awaiting_review")
    client.force_login(people.dsl)
    missing = reverse("closure:close", kwargs={"incident_id": 999_999})
    for target in (url(theirs), missing):
        assert client.get(target).status_code == 404
        assert client.post(target, {"outcome_summary": SUMMARY, "version": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == IncidentStatus.AWAITING_REVIEW


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_summary_without_the_form(client, people, incident, who):
    client.force_login(getattr(people, who))
    page = client.get(url(incident)).content.decode()
    assert "You can read this record but not change it." in page
    assert 'action="/incidents' not in page
    assert "Awaiting initial review" in page


def test_closing_a_case(client, people, incident):
    client.force_login(people.deputy)
    before = timezone.now()
    response = client.post(url(incident), {"outcome_summary": SUMMARY, "version": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"incident_id": incident.pk})
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.closed_at is not None and incident.closed_at >= before
    assert incident.outcome_summary == SUMMARY
    assert incident.version == 2
    latest = incident.history.first()
    assert (latest.status, latest.history_user) == (IncidentStatus.CLOSED, people.deputy)


def test_the_outcome_summary_is_required(client, people, incident):
    client.force_login(people.dsl)
    response = client.post(url(incident), {"outcome_summary": "   ", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Outcome summary: Enter an outcome summary to close the case." in page
    incident.refresh_from_db()
    assert (incident.status, incident.closed_at, incident.outcome_summary) == (
        IncidentStatus.AWAITING_REVIEW,
        None,
        "",
    )


def test_a_case_still_being_logged_is_refused(client, people):
    logging = IncidentFactory(school=people.school, created_by=people.dsl)
    client.force_login(people.dsl)
    page = client.get(url(logging)).content.decode()
    assert "finish logging first" in page
    assert 'name="outcome_summary"' not in page
    response = client.post(url(logging), {"outcome_summary": SUMMARY, "version": "1"})
    assert response.status_code == 409
    assert "finish logging first" in response.content.decode()
    logging.refresh_from_db()
    assert (logging.status, logging.outcome_summary) == (IncidentStatus.LOGGING, "")


def test_a_closed_case_is_refused(client, people, incident):
    incident_update(
        actor=people.dsl,
        incident=incident,
        expected_version=1,
        status=IncidentStatus.CLOSED,
        closed_at=timezone.now(),
        outcome_summary="First summary.",
    )
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert "This incident is already closed." in page
    assert "First summary." in page
    response = client.post(url(incident), {"outcome_summary": SUMMARY, "version": "2"})
    assert response.status_code == 409
    incident.refresh_from_db()
    assert (incident.outcome_summary, incident.version) == ("First summary.", 2)


def test_a_stale_form_is_refused_showing_the_colleagues_change(client, people, incident):
    incident_update(
        actor=people.colleague_dsl, incident=incident, expected_version=1, platforms="Snapchat"
    )
    client.force_login(people.dsl)
    response = client.post(url(incident), {"outcome_summary": SUMMARY, "version": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this incident while you were editing" in page
    assert "Platforms: (blank) → Snapchat" in page
    assert SUMMARY in page  # what was typed is kept
    assert 'name="version" value="2"' in page  # saving again applies it
    incident.refresh_from_db()
    assert (incident.status, incident.outcome_summary) == (IncidentStatus.AWAITING_REVIEW, "")
    again = client.post(url(incident), {"outcome_summary": SUMMARY, "version": "2"})
    assert again.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED


def test_a_form_closed_by_a_colleague_meanwhile_is_refused(client, people, incident):
    incident_update(
        actor=people.colleague_dsl,
        incident=incident,
        expected_version=1,
        status=IncidentStatus.CLOSED,
        closed_at=timezone.now(),
        outcome_summary="Closed by Cal.",
    )
    client.force_login(people.dsl)
    response = client.post(url(incident), {"outcome_summary": SUMMARY, "version": "1"})
    assert response.status_code == 409
    incident.refresh_from_db()
    assert incident.outcome_summary == "Closed by Cal."


# --- Reopening ---------------------------------------------------------------------------


def reopen_url(incident: Incident) -> str:
    return reverse("closure:reopen", kwargs={"incident_id": incident.pk})


@pytest.fixture
def closed(people, incident):
    return incident_update(
        actor=people.dsl,
        incident=incident,
        expected_version=1,
        status=IncidentStatus.CLOSED,
        closed_at=timezone.now(),
        outcome_summary="First summary.",
    )


REASON = "The image has been shared again in Year 11."


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_reopen_matrix(client, people, closed, who, get_status, post_status):
    client.force_login(getattr(people, who))
    assert client.get(reopen_url(closed)).status_code == get_status
    assert client.post(reopen_url(closed), {}).status_code == post_status
    closed.refresh_from_db()
    assert (closed.status, closed.version) == (IncidentStatus.CLOSED, 2)


@pytest.mark.parametrize(
    ("decision", "status"),
    [
        (None, IncidentStatus.AWAITING_REVIEW),
        (DecisionOutcome.MANAGE_IN_SCHOOL, IncidentStatus.MANAGED_IN_SCHOOL),
        (DecisionOutcome.REFER_POLICE, IncidentStatus.REFERRED),
    ],
)
def test_reopening_returns_the_case_to_where_its_decisions_put_it(
    client, people, closed, decision, status
):
    if decision is not None:
        decision_record(
            actor=people.dsl,
            incident=closed,
            kind=DecisionKind.INITIAL_REVIEW,
            outcome=decision,
            rationale="Decided at the meeting.",
            decided_at=timezone.now(),
        )
    client.force_login(people.deputy)
    response = client.post(reopen_url(closed), {"reason": REASON, "version": "2"})
    assert response.status_code == 302
    closed.refresh_from_db()
    assert (closed.status, closed.closed_at, closed.outcome_summary) == (status, None, "")
    reopening = Reopening.objects.get(incident=closed)
    assert (reopening.reason, reopening.previous_outcome_summary, reopening.reopened_by) == (
        REASON,
        "First summary.",
        people.deputy,
    )
    assert reopening.history.get().history_user == people.deputy
    assert closed.history.filter(outcome_summary="First summary.").exists()


def test_the_reason_to_reopen_is_required(client, people, closed):
    client.force_login(people.dsl)
    response = client.post(reopen_url(closed), {"reason": "  ", "version": "2"})
    assert response.status_code == 200
    assert "Why is the case being reopened?: Enter why the case is being reopened." in (
        response.content.decode()
    )
    closed.refresh_from_db()
    assert closed.status == IncidentStatus.CLOSED
    assert not Reopening.objects.exists()


def test_an_open_case_cannot_be_reopened(client, people, incident):
    client.force_login(people.dsl)
    page = client.get(reopen_url(incident)).content.decode()
    assert "Only a closed case can be reopened." in page
    assert 'name="reason"' not in page
    response = client.post(reopen_url(incident), {"reason": REASON, "version": "1"})
    assert response.status_code == 409
    with pytest.raises(ValidationError, match="Only a closed case"):
        incident_reopen(actor=people.dsl, incident=incident, expected_version=1, reason=REASON)
    assert not Reopening.objects.exists()


def test_a_stale_reopening_is_refused_and_nothing_is_recorded(people, closed):
    with pytest.raises(StaleEditError):
        incident_reopen(actor=people.dsl, incident=closed, expected_version=1, reason=REASON)
    assert not Reopening.objects.exists()
    closed.refresh_from_db()
    assert closed.status == IncidentStatus.CLOSED


def test_the_chronology_shows_the_closure_and_the_reopening(client, people, closed):
    incident_reopen(actor=people.deputy, incident=closed, expected_version=2, reason=REASON)
    closed.refresh_from_db()
    incident_update(
        actor=people.dsl,
        incident=closed,
        expected_version=closed.version,
        status=IncidentStatus.CLOSED,
        closed_at=timezone.now(),
        outcome_summary="Second summary.",
    )
    client.force_login(people.head)
    page = client.get(reverse("cases:detail", kwargs={"incident_id": closed.pk})).content.decode()
    reopened = page.index("Case reopened")
    closed_again = page.index("Case closed")
    assert reopened < closed_again
    assert REASON in page and "First summary." in page and "Second summary." in page
    assert page.count("Case closed") == 1
    assert reverse("closure:reopen", kwargs={"incident_id": closed.pk}) in page

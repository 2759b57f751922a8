"""The social-care obligation (issue 6 item 6; 002 §4.0): where children's social care
is currently involved with a child in the incident, the case cannot close until a
contact with social care is recorded; past involvement is a prompt, never a block."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident, IncidentStatus, PersonKind
from referrals.flow.services import referral_record
from referrals.models import Agency, ReferralStatus
from referrals.obligations import (
    social_care_contact_check,
    social_care_contact_needed,
    social_care_previously_involved,
)
from safeguarding.models import SocialCare
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory

pytestmark = pytest.mark.django_db

SUMMARY = "Managed in school with social care's agreement; imagery deleted."
MUST = "must be told of this incident before the case can close (002 §4.0)"
PROMPT = (
    "Contact children's social care if you believe they may be involved, or have been "
    "involved in the past (002 §4.0)"
)


def close_url(incident: Incident) -> str:
    return reverse("closure:close", kwargs={"incident_id": incident.pk})


@pytest.fixture
def incident(people):
    return IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, status="awaiting_review"
    )


def pupil_in(incident, *, social_care=SocialCare.NONE, looked_after=False, name="Chloe"):
    pupil = PupilFactory(
        school=incident.school,
        given_name=name,
        family_name="Adams",
        social_care=social_care,
        looked_after=looked_after,
    )
    return InvolvementFactory(incident=incident, pupil=pupil)


def child_in(incident, description, **vulnerability):
    """A child not on the school's roll, whose vulnerabilities are recorded here."""
    return InvolvementFactory(
        incident=incident,
        kind=PersonKind.CHILD,
        pupil=None,
        description=description,
        age=15,
        **vulnerability,
    )


def refer(people, incident, agency=Agency.SOCIAL_CARE, **extra):
    return referral_record(
        actor=people.dsl,
        incident=incident,
        agency=agency,
        made_at=timezone.now() - dt.timedelta(hours=2),
        method="phone",
        reasons="Chloe has a social worker: social care informed (002 §4.0).",
        **extra,
    )


def page(client, incident) -> str:
    """The close page's text with its line breaks and indents made single spaces."""
    return " ".join(client.get(close_url(incident)).content.decode().replace("&#x27;", "'").split())


def post_close(client, incident):
    return client.post(close_url(incident), {"outcome_summary": SUMMARY, "version": "1"})


# --- who must be told, who may be ------------------------------------------------------


def test_nobody_known_to_social_care_needs_nothing(people, incident):
    pupil_in(incident)
    child_in(incident, "A boy at Hillside")
    assert social_care_contact_needed(incident) == []
    assert social_care_previously_involved(incident) == []
    social_care_contact_check(incident)  # no refusal


def test_current_involvement_needs_a_contact_until_one_is_recorded(people, incident):
    pupil_in(incident, social_care=SocialCare.CURRENT, name="Chloe")
    pupil_in(incident, name="Jamie")
    assert social_care_contact_needed(incident) == ["Chloe Adams"]
    with pytest.raises(ValidationError) as refused:
        social_care_contact_check(incident)
    assert refused.value.messages == [
        "Chloe Adams has current involvement with children's social care: they must be told "
        "of the incident before the case can close (002 §4.0). Record the contact as a "
        "referral to children's social care."
    ]
    refer(people, incident)
    assert social_care_contact_needed(incident) == []
    social_care_contact_check(incident)


def test_every_child_with_current_involvement_is_named(people, incident):
    pupil_in(incident, social_care=SocialCare.CURRENT, name="Chloe")
    pupil_in(incident, social_care=SocialCare.CURRENT, looked_after=True, name="Jamie")
    child_in(incident, "A looked-after girl at Hillside", looked_after=True, social_care="current")
    names = ["Chloe Adams", "Jamie Adams", "A looked-after girl at Hillside"]
    assert social_care_contact_needed(incident) == names
    with pytest.raises(ValidationError, match="Chloe Adams, Jamie Adams and A looked-after girl"):
        social_care_contact_check(incident)


def test_a_looked_after_child_not_on_roll_counts(people, incident):
    child_in(incident, "A boy in foster care", looked_after=True, social_care="current")
    assert social_care_contact_needed(incident) == ["A boy in foster care"]


def test_a_child_not_on_roll_with_a_social_worker_counts(people, incident):
    child_in(incident, "A boy at Hillside", social_care=SocialCare.CURRENT)
    assert social_care_contact_needed(incident) == ["A boy at Hillside"]


def test_an_adult_is_not_a_child_known_to_childrens_social_care(people, incident):
    InvolvementFactory(
        incident=incident,
        kind=PersonKind.ADULT,
        pupil=None,
        description="A man, 19",
        age=19,
        social_care=SocialCare.CURRENT,
    )
    assert social_care_contact_needed(incident) == []


OUTCOME = {"outcome": "social_care_nfa", "outcome_at": timezone.now}


@pytest.mark.parametrize(
    ("status", "progress"),
    [
        (ReferralStatus.MADE, {}),
        (ReferralStatus.ACKNOWLEDGED, {"acknowledged_at": timezone.now}),
        (ReferralStatus.OUTCOME_RECEIVED, OUTCOME),
        (ReferralStatus.CLOSED, {**OUTCOME, "status": ReferralStatus.CLOSED}),
    ],
)
def test_a_social_care_referral_of_any_status_is_the_contact(people, incident, status, progress):
    pupil_in(incident, social_care=SocialCare.CURRENT)
    given = {key: value() if callable(value) else value for key, value in progress.items()}
    assert refer(people, incident, **given).status == status
    assert social_care_contact_needed(incident) == []


def test_other_agencies_and_other_incidents_are_not_the_contact(people, incident):
    pupil_in(incident, social_care=SocialCare.CURRENT)
    refer(people, incident, agency=Agency.POLICE)
    refer(people, IncidentFactory(school=people.school, status="referred"))
    assert social_care_contact_needed(incident) == ["Chloe Adams"]


def test_previous_involvement_is_named_for_the_prompt(people, incident):
    pupil_in(incident, social_care=SocialCare.PREVIOUS, name="Chloe")
    child_in(incident, "A girl at Hillside", social_care=SocialCare.PREVIOUS)
    pupil_in(incident, social_care=SocialCare.CURRENT, name="Jamie")
    assert social_care_previously_involved(incident) == ["Chloe Adams", "A girl at Hillside"]
    assert social_care_contact_needed(incident) == ["Jamie Adams"]
    refer(people, incident)  # social care told: nothing left to prompt
    assert social_care_previously_involved(incident) == []


def test_previous_involvement_does_not_refuse_closing(people, incident):
    pupil_in(incident, social_care=SocialCare.PREVIOUS)
    social_care_contact_check(incident)


def test_a_change_to_the_pupil_record_counts_at_once(people, incident):
    child = pupil_in(incident)
    assert social_care_contact_needed(incident) == []
    child.pupil.social_care = SocialCare.CURRENT
    child.pupil.save()
    assert social_care_contact_needed(incident) == ["Chloe Adams"]


def test_the_checks_cost_the_same_for_1_or_10_children(people, django_assert_num_queries):
    small = IncidentFactory(school=people.school)
    large = IncidentFactory(school=people.school)
    pupil_in(small, social_care=SocialCare.CURRENT)
    for _ in range(5):
        pupil_in(large, social_care=SocialCare.CURRENT)
        pupil_in(large, social_care=SocialCare.PREVIOUS)
    with CaptureQueriesContext(connection) as one:
        social_care_contact_needed(small)
        social_care_previously_involved(small)
    with django_assert_num_queries(len(one)):
        assert len(social_care_contact_needed(large)) == 5
        assert len(social_care_previously_involved(large)) == 5


# --- closing the case ------------------------------------------------------------------


def test_closing_is_refused_naming_the_child_and_linking_to_referrals(client, people, incident):
    pupil_in(incident, social_care=SocialCare.CURRENT)
    client.force_login(people.dsl)
    shown = page(client, incident)
    assert "Chloe Adams has current involvement with children's social care" in shown
    assert MUST in shown
    referrals = reverse("referrals:list", kwargs={"incident_id": incident.pk})
    assert f'href="{referrals}"' in shown
    assert 'name="outcome_summary"' in shown
    response = post_close(client, incident)
    refused = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert (
        "Chloe Adams has current involvement with children's social care: they must be told "
        "of the incident before the case can close (002 §4.0)." in refused
    )
    assert SUMMARY.replace("'", "&#x27;") in response.content.decode()  # what was typed is kept
    incident.refresh_from_db()
    assert (incident.status, incident.outcome_summary, incident.version) == (
        IncidentStatus.AWAITING_REVIEW,
        "",
        1,
    )


def test_closing_is_allowed_once_social_care_are_contacted(client, people, incident):
    pupil_in(incident, social_care=SocialCare.CURRENT)
    refer(people, incident)
    client.force_login(people.deputy)
    assert MUST not in page(client, incident)
    response = post_close(client, incident)
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.history.first().history_user == people.deputy


def test_a_looked_after_child_not_on_roll_refuses_closing(client, people, incident):
    child_in(incident, "A girl in foster care", looked_after=True, social_care="current")
    client.force_login(people.dsl)
    response = post_close(client, incident)
    assert "A girl in foster care has current involvement" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.AWAITING_REVIEW


def test_previous_involvement_prompts_but_does_not_block(client, people, incident):
    pupil_in(incident, social_care=SocialCare.PREVIOUS)
    client.force_login(people.dsl)
    shown = page(client, incident)
    assert "Children's social care have been involved in the past with Chloe Adams." in shown
    assert PROMPT in shown
    assert MUST not in shown
    assert post_close(client, incident).status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED


@pytest.mark.parametrize("who", ["head", "trust_lead"])
def test_readers_see_what_social_care_must_be_told(client, people, incident, who):
    pupil_in(incident, social_care=SocialCare.CURRENT)
    client.force_login(getattr(people, who))
    shown = page(client, incident)
    assert "Chloe Adams has current involvement" in shown
    assert 'name="outcome_summary"' not in shown


def test_a_closed_case_shows_no_obligation(client, people, incident):
    pupil_in(incident, social_care=SocialCare.CURRENT)
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", closed_at=timezone.now(), outcome_summary="Closed before the rule."
    )
    client.force_login(people.dsl)
    shown = page(client, incident)
    assert "This incident is already closed." in shown
    assert MUST not in shown

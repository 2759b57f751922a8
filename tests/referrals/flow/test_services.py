"""The referral services (issue 6 items 2–4, 7; 002 §2.4): a referral made with its
reasons and due moment, an outcome that fits the agency, the status only ever
moving forward to closed, a colleague's change never overwritten, and follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from incidents.models import ContactMethod
from referrals.due import default_response_due
from referrals.flow.services import (
    CLOSED_INCIDENT,
    CLOSED_REFERRAL,
    outcomes_for,
    referral_close,
    referral_outcome_record,
    referral_record,
)
from referrals.models import Agency, FollowUp, Referral, ReferralOutcome, ReferralStatus
from safeguarding.audit import StaleEditError
from tests.clock import ago
from tests.factories import AgencyContactFactory
from tests.referrals.flow.builders import acknowledge, answer, chase, close_incident, refer

pytestmark = pytest.mark.django_db

# --- Making a referral ---------------------------------------------------------------------


def test_a_referral_is_recorded_by_the_actor_with_a_default_due_moment(people, incident):
    made = ago(hours=3)
    police = refer(people, incident, actor=people.deputy, made_at=made, reference_number=" L1 ")
    assert (police.status, police.made_by, police.reference_number) == (
        ReferralStatus.MADE,
        people.deputy,
        "L1",
    )
    assert police.response_due_at == default_response_due(Agency.POLICE, made)
    assert police.history.get().history_user == people.deputy
    nspcc = refer(people, incident, agency=Agency.NSPCC, made_at=made)
    assert nspcc.response_due_at == default_response_due(Agency.NSPCC, made)
    assert nspcc.response_due_at > police.response_due_at


def test_a_given_due_moment_is_kept_and_must_follow_the_referral(people, incident):
    due = timezone.now() + dt.timedelta(days=3)
    assert refer(people, incident, response_due_at=due).response_due_at == due
    with pytest.raises(ValidationError) as error:
        refer(people, incident, made_at=ago(hours=3), response_due_at=ago(hours=4))
    assert error.value.message_dict == {
        "response_due_at": ["A response is due after the referral was made."]
    }


def test_the_contact_is_the_schools_or_its_trusts_for_that_agency(people, incident):
    own = AgencyContactFactory(school=people.school, agency=Agency.POLICE, name="PC Patel")
    trust = AgencyContactFactory(
        school=None, trust=people.school.trust, agency=Agency.POLICE, name="Trust 101"
    )
    assert refer(people, incident, contact=own).contact == own
    assert refer(people, incident, contact=trust).contact == trust
    elsewhere = AgencyContactFactory(school=people.other_school, agency=Agency.POLICE)
    retired = AgencyContactFactory(
        school=people.school, agency=Agency.POLICE, retired_at=ago(days=1)
    )
    for contact in (elsewhere, retired):
        with pytest.raises(ValidationError) as error:
            refer(people, incident, contact=contact)
        assert error.value.message_dict["contact"] == [
            "Choose a contact from the school's list of agency contacts."
        ]
    mash = AgencyContactFactory(school=people.school, agency=Agency.SOCIAL_CARE, name="MASH")
    with pytest.raises(ValidationError) as error:
        refer(people, incident, contact=mash)
    assert "MASH is a contact for Children's social care / MASH" in str(
        error.value.message_dict["contact"]
    )


def test_reasons_are_required(people, incident):
    with pytest.raises(ValidationError) as error:
        referral_record(
            actor=people.dsl,
            incident=incident,
            agency=Agency.POLICE,
            made_at=ago(hours=1),
            method=ContactMethod.PHONE,
            reasons="   ",
        )
    assert "reasons" in error.value.message_dict
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"status": ReferralStatus.ACKNOWLEDGED}, "acknowledged_at"),
        ({"status": ReferralStatus.CLOSED}, "outcome"),
        ({"status": ReferralStatus.MADE, "acknowledged_at": ago(hours=2)}, "status"),
        (
            {
                "status": ReferralStatus.ACKNOWLEDGED,
                "acknowledged_at": ago(hours=2),
                "outcome": ReferralOutcome.POLICE_NFA,
                "outcome_at": ago(hours=1),
            },
            "status",
        ),
    ],
)
def test_a_stated_status_must_agree_with_what_is_recorded(people, incident, extra, field):
    with pytest.raises(ValidationError) as error:
        refer(people, incident, **extra)
    assert field in error.value.message_dict


def test_the_status_follows_from_what_is_already_known(people, incident):
    acknowledged = refer(people, incident, acknowledged_at=ago(hours=2))
    assert acknowledged.status == ReferralStatus.ACKNOWLEDGED
    answered = refer(people, incident, outcome=ReferralOutcome.POLICE_NFA, outcome_at=ago(hours=1))
    assert answered.status == ReferralStatus.OUTCOME_RECEIVED


def test_a_closed_incident_takes_no_new_referral(people, incident):
    close_incident(incident)
    with pytest.raises(ValidationError) as error:
        refer(people, incident)
    assert error.value.message_dict == {NON_FIELD_ERRORS: [CLOSED_INCIDENT]}


# --- Outcomes by agency --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agency", "outcomes"),
    [
        (Agency.POLICE, {"police_investigation", "police_nfa", "police_outcome_21"}),
        (
            Agency.SOCIAL_CARE,
            {
                "social_care_nfa",
                "social_care_early_help",
                "social_care_assessment",
                "social_care_strategy",
                "social_care_s47",
            },
        ),
        (Agency.CEOP, {"reported", "removed", "not_removed"}),
        (Agency.REPORT_REMOVE, {"reported", "removed", "not_removed"}),
        (Agency.CHILDLINE, {"other"}),
        (Agency.NSPCC, {"other"}),
        (Agency.CAMHS, {"other"}),
        (Agency.OTHER_SCHOOL, {"other"}),
        (Agency.OTHER, {"other"}),
    ],
)
def test_each_agency_has_its_own_outcomes_and_refuses_others(people, incident, agency, outcomes):
    assert {choice.value for choice in outcomes_for(agency)} == outcomes
    for outcome in set(ReferralOutcome.values) - outcomes:
        referral = refer(people, incident, agency=agency)
        with pytest.raises(ValidationError) as error:
            answer(people, referral, outcome=outcome)
        assert list(error.value.message_dict) == ["outcome"]
    referral = refer(people, incident, agency=agency)
    assert answer(people, referral, outcome=sorted(outcomes)[0]).outcome == sorted(outcomes)[0]


def test_outcome_21_is_stored_as_the_police_gave_it(people, incident):
    referral = refer(people, incident)
    answered = answer(people, referral, outcome=ReferralOutcome.POLICE_OUTCOME_21, notes="PC Lee")
    answered.refresh_from_db()
    assert (answered.outcome, answered.outcome_notes) == ("police_outcome_21", "PC Lee")
    assert answered.get_outcome_display() == "Police: Outcome 21"


# --- Status transitions --------------------------------------------------------------------


def test_made_then_acknowledged_then_outcome_then_closed(people, incident):
    referral = refer(people, incident, reference_number="LOG-1")
    referral = acknowledge(people, referral, actor=people.deputy, at=ago(hours=2))
    assert (referral.status, referral.version, referral.reference_number) == (
        ReferralStatus.ACKNOWLEDGED,
        2,
        "LOG-1",  # kept: none given with the acknowledgement
    )
    referral = answer(people, referral, version=2, actor=people.colleague_dsl)
    assert (referral.status, referral.version) == (ReferralStatus.OUTCOME_RECEIVED, 3)
    referral = referral_close(actor=people.dsl, referral=referral, expected_version=3)
    assert (referral.status, referral.version) == (ReferralStatus.CLOSED, 4)
    users = [row.history_user for row in referral.history.order_by("history_date", "history_id")]
    assert users == [people.dsl, people.deputy, people.colleague_dsl, people.dsl]


def test_the_acknowledgement_may_bring_the_agencys_reference(people, incident):
    referral = acknowledge(people, refer(people, incident), reference=" CRN-77 ")
    assert referral.reference_number == "CRN-77"


def test_the_outcome_may_come_without_an_acknowledgement(people, incident):
    referral = answer(people, refer(people, incident))
    assert referral.status == ReferralStatus.OUTCOME_RECEIVED
    assert referral.acknowledged_at is None


def test_acknowledged_twice_is_refused_naming_the_date(people, incident):
    referral = acknowledge(people, refer(people, incident))
    with pytest.raises(ValidationError) as error:
        acknowledge(people, referral, version=2)
    message = error.value.message_dict["acknowledged_at"][0]
    assert message.startswith("The agency already acknowledged this referral on ")


def test_no_acknowledgement_after_the_outcome(people, incident):
    referral = answer(people, refer(people, incident))
    with pytest.raises(ValidationError) as error:
        acknowledge(people, referral, version=2)
    assert "never goes back" in error.value.message_dict["acknowledged_at"][0]
    referral.refresh_from_db()
    assert (referral.status, referral.version) == (ReferralStatus.OUTCOME_RECEIVED, 2)


def test_the_outcome_is_recorded_once(people, incident):
    referral = answer(people, refer(people, incident), outcome=ReferralOutcome.POLICE_NFA)
    with pytest.raises(ValidationError) as error:
        answer(people, referral, outcome=ReferralOutcome.POLICE_OUTCOME_21, version=2)
    assert (
        "Police: no further action) was already recorded" in error.value.message_dict["outcome"][0]
    )


def test_the_outcome_is_not_before_the_acknowledgement(people, incident):
    referral = acknowledge(people, refer(people, incident, made_at=ago(hours=5)), at=ago(hours=2))
    with pytest.raises(ValidationError) as error:
        answer(people, referral, version=2, at=ago(hours=3))
    assert error.value.message_dict == {
        "outcome_at": ["This is before the agency acknowledged the referral."]
    }


def test_the_outcome_needs_an_outcome(people, incident):
    with pytest.raises(ValidationError) as error:
        referral_outcome_record(
            actor=people.dsl,
            referral=refer(people, incident),
            expected_version=1,
            outcome="",
            outcome_at=ago(hours=1),
        )
    assert error.value.message_dict == {"outcome": ["Choose the outcome the agency gave."]}


@pytest.mark.parametrize("progress", ["made", "acknowledged"])
def test_closing_needs_the_outcome_first(people, incident, progress):
    referral = refer(people, incident)
    if progress == "acknowledged":
        referral = acknowledge(people, referral)
    with pytest.raises(ValidationError) as error:
        referral_close(actor=people.dsl, referral=referral, expected_version=referral.version)
    assert error.value.message_dict == {
        "outcome": ["Record the agency's outcome before closing the referral."]
    }


def test_closed_is_final(people, incident):
    referral = referral_close(
        actor=people.dsl, referral=answer(people, refer(people, incident)), expected_version=2
    )
    for step in (
        lambda: acknowledge(people, referral, version=3),
        lambda: answer(people, referral, version=3),
        lambda: referral_close(actor=people.dsl, referral=referral, expected_version=3),
        lambda: chase(people, referral),
    ):
        with pytest.raises(ValidationError) as error:
            step()
        assert error.value.message_dict == {"status": [CLOSED_REFERRAL]}
    referral.refresh_from_db()
    assert (referral.status, referral.version) == (ReferralStatus.CLOSED, 3)
    assert not FollowUp.objects.exists()


def test_a_closed_incident_refuses_every_step(people, incident):
    referral = refer(people, incident)
    close_incident(incident)
    for step in (
        lambda: acknowledge(people, referral),
        lambda: answer(people, referral),
        lambda: chase(people, referral),
    ):
        with pytest.raises(ValidationError) as error:
            step()
        assert error.value.message_dict == {NON_FIELD_ERRORS: [CLOSED_INCIDENT]}


def test_a_stale_step_is_refused_naming_everything_the_colleague_changed(people, incident):
    referral = refer(people, incident)
    acknowledge(people, referral, actor=people.colleague_dsl, reference="CRN-9")
    with pytest.raises(StaleEditError) as error:
        answer(people, referral, version=1)
    changes = error.value.changes
    assert changes["status"] == (ReferralStatus.MADE, ReferralStatus.ACKNOWLEDGED)
    assert changes["reference_number"] == ("", "CRN-9")
    assert changes["acknowledged_at"][0] is None
    referral.refresh_from_db()
    assert (referral.status, referral.version, referral.outcome) == ("acknowledged", 2, "")


# --- Follow-ups ----------------------------------------------------------------------------


def test_a_follow_up_records_who_chased_whom_how_and_what_was_said(people, incident):
    referral = refer(people, incident)
    follow_up = chase(
        people,
        referral,
        actor=people.deputy,
        spoke_to=" Sgt Khan ",
        said=" No answer yet. ",
        escalation=True,
        next_due_at=timezone.now() + dt.timedelta(days=1),
    )
    assert (follow_up.chased_by, follow_up.spoke_to, follow_up.said, follow_up.escalation) == (
        people.deputy,
        "Sgt Khan",
        "No answer yet.",
        True,
    )
    assert follow_up.history.get().history_user == people.deputy


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"said": " "}, "said"),
        ({"spoke_to": ""}, "spoke_to"),
        ({"chased_at": ago(days=1)}, "chased_at"),  # before the referral was made
        ({"next_due_at": ago(hours=2)}, "next_due_at"),  # before this chase
    ],
)
def test_a_follow_up_refuses_naming_the_field(people, incident, extra, field):
    referral = refer(people, incident, made_at=ago(hours=3))
    with pytest.raises(ValidationError) as error:
        chase(people, referral, **extra)
    assert field in error.value.message_dict
    assert not FollowUp.objects.exists()

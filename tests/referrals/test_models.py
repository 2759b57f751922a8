import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from referrals.flow.services import referral_record
from referrals.models import Agency, Referral, ReferralOutcome, ReferralStatus
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def make(people, **extra):
    return referral_record(
        actor=people.dsl,
        incident=IncidentFactory(school=people.school),
        agency=Agency.POLICE,
        made_at=timezone.now() - dt.timedelta(hours=2),
        method="phone",
        reasons="Pupil pictured was 12 and the imagery shows sexual acts (002 §3.3).",
        **extra,
    )


def test_referral_is_recorded_with_its_author(people):
    referral = make(people, reference_number="WY-2026-1234")
    assert referral.status == ReferralStatus.MADE
    assert referral.history.get().history_user == people.dsl


def test_outcome_needs_its_date_and_a_date_needs_an_outcome(people):
    with pytest.raises(ValidationError) as error:
        make(people, outcome=ReferralOutcome.POLICE_OUTCOME_21)
    assert "outcome_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make(people, outcome_at=timezone.now())
    assert "outcome" in error.value.message_dict


def test_outcome_received_status_needs_the_outcome(people):
    with pytest.raises(ValidationError) as error:
        make(people, status=ReferralStatus.OUTCOME_RECEIVED)
    assert "outcome" in error.value.message_dict


def test_acknowledged_before_made_is_refused(people):
    with pytest.raises(ValidationError) as error:
        make(people, acknowledged_at=timezone.now() - dt.timedelta(days=1))
    assert "before the referral was made" in error.value.message_dict["acknowledged_at"][0]


def test_referral_without_reasons_is_refused_in_the_database(people):
    incident = IncidentFactory(school=people.school)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            incident=incident,
            agency=Agency.SOCIAL_CARE,
            made_at=timezone.now(),
            made_by=people.dsl,
            method="phone",
            reasons="",
        )


def test_outcome_21_is_stored_as_told(people):
    referral = make(
        people,
        outcome=ReferralOutcome.POLICE_OUTCOME_21,
        outcome_at=timezone.now(),
        status=ReferralStatus.OUTCOME_RECEIVED,
    )
    assert referral.get_outcome_display() == "Police: Outcome 21"

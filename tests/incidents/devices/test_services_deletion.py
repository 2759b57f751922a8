"""The deletion services (002 §3.5, §5.2): a pupil is asked to delete only when the
police are not involved (naming why when they are), a request is confirmed or
refused once without losing a colleague's update, and where staff may not search
devices (Spain) the parents are called instead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from incidents.devices.selectors import police_involvement
from incidents.devices.services import (
    NO_SEARCH_HERE,
    SEARCH_ALLOWED_HERE,
    deletion_confirm,
    deletion_refuse,
    no_search_parent_call_record,
    seizure_police_update,
)
from incidents.models import (
    ContactMethod,
    DecisionOutcome,
    DeletionRequest,
    ParentContact,
    ParentContactPurpose,
    PersonKind,
)
from referrals.flow.services import referral_record
from referrals.models import Agency
from safeguarding.audit import StaleEditError
from tests.clock import ago
from tests.factories import DeletionRequestFactory, InvolvementFactory
from tests.incidents.devices.builders import (
    ask_to_delete,
    errors,
    parent_told,
    record_seizure,
    refer,
)

pytestmark = pytest.mark.django_db

# --- Deletion: services --------------------------------------------------------------------


def test_a_deletion_request_is_recorded_by_the_actor(people, incident, child):
    request = ask_to_delete(people, incident, child)
    assert (request.requested_by, request.recorded_by, request.is_open) == (
        people.dsl,
        people.dsl,
        True,
    )
    assert request.history.get().history_user == people.dsl


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deadline": "requested"}, "deadline"),  # the deadline must be after the request
        ({"deadline": ago(days=1)}, "deadline"),
        ({"consequences_explained": False}, "consequences_explained"),
        ({"where": " "}, "where"),
        ({"requested_at": timezone.now() + dt.timedelta(hours=1)}, "requested_at"),
    ],
)
def test_a_deletion_request_needs_a_later_deadline_and_the_consequences_explained(
    people, incident, child, overrides, field
):
    if overrides.get("deadline") == "requested":
        moment = ago(hours=2)
        overrides = {"requested_at": moment, "deadline": moment}
    with pytest.raises(ValidationError) as excinfo:
        ask_to_delete(people, incident, child, **overrides)
    assert field in errors(excinfo)
    assert not DeletionRequest.objects.exists()


def test_only_a_pupil_on_roll_is_asked_to_delete(people, incident):
    other_child = InvolvementFactory(
        incident=incident,
        kind=PersonKind.CHILD,
        pupil=None,
        description="Hill School pupil",
        age=14,
    )
    with pytest.raises(ValidationError) as excinfo:
        ask_to_delete(people, incident, other_child)
    assert "involvement" in errors(excinfo)


def referral(people, incident, agency):
    referral_record(
        actor=people.dsl,
        incident=incident,
        agency=agency,
        made_at=ago(days=1),
        method=ContactMethod.PHONE,
        reasons="Adult involved.",
    )


def hand_over(people, incident, child):
    seizure = record_seizure(people, incident, child, seized_at=ago(days=1))
    seizure_police_update(
        actor=people.dsl,
        seizure=seizure,
        expected_version=1,
        police_informed_at=None,
        handed_to_police_at=ago(hours=20),
        handed_to="PC Patel",
    )


def tell_police(people, incident, child):
    seizure = record_seizure(people, incident, child, seized_at=ago(days=1))
    seizure_police_update(
        actor=people.dsl,
        seizure=seizure,
        expected_version=1,
        police_informed_at=ago(hours=20),
        handed_to_police_at=None,
        handed_to="",
    )


@pytest.mark.parametrize(
    ("involve", "named"),
    [
        (lambda p, i, c: refer(p, i, DecisionOutcome.REFER_POLICE), "was to refer to the police"),
        (
            lambda p, i, c: refer(p, i, DecisionOutcome.REFER_BOTH),
            "was to refer to the police and children's social care",
        ),
        (lambda p, i, c: referral(p, i, Agency.POLICE), "a referral to the police was made"),
        (lambda p, i, c: referral(p, i, Agency.CEOP), "a referral to CEOP"),
        (hand_over, "was handed to the police on"),
        (tell_police, "the police were told about"),
    ],
    ids=["decision_police", "decision_both", "referral", "ceop", "handed_over", "police_told"],
)
def test_deletion_is_refused_when_the_police_are_involved_naming_why(
    people, incident, child, involve, named
):
    involve(people, incident, child)
    with pytest.raises(ValidationError) as excinfo:
        ask_to_delete(people, incident, child)
    message = " ".join(errors(excinfo)[NON_FIELD_ERRORS])
    assert "The police are involved" in message
    assert "002 §5.2" in message
    assert named in message
    assert not DeletionRequest.objects.exists()


def test_referring_elsewhere_does_not_involve_the_police(people, incident, child):
    refer(people, incident, DecisionOutcome.REFER_SOCIAL_CARE)
    referral(people, incident, Agency.SOCIAL_CARE)
    record_seizure(people, incident, child)  # kept at school, police not told
    assert police_involvement(incident) == []
    assert ask_to_delete(people, incident, child).pk


def test_a_confirmation_is_recorded_once(people, incident, child):
    request = ask_to_delete(people, incident, child)
    confirmed = deletion_confirm(
        actor=people.deputy,
        deletion=request,
        expected_version=1,
        confirmed_at=ago(hours=1),
        confirmation="Told the DSL with her mother present; signed a statement.",
    )
    assert (confirmed.version, confirmed.is_open) == (2, False)
    assert confirmed.history.latest().history_user == people.deputy
    for settle, values in (
        (deletion_refuse, {"refused_at": ago(minutes=5), "escalation": "Police called."}),
        (deletion_confirm, {"confirmed_at": ago(minutes=5), "confirmation": "Again."}),
    ):
        with pytest.raises(ValidationError) as excinfo:
            settle(actor=people.dsl, deletion=confirmed, expected_version=2, **values)
        assert "already confirmed" in " ".join(errors(excinfo)[NON_FIELD_ERRORS])
    confirmed.refresh_from_db()
    assert (confirmed.version, confirmed.refused_at) == (2, None)


def test_a_refused_request_cannot_then_be_confirmed(people, incident, child):
    request = ask_to_delete(people, incident, child)
    refused = deletion_refuse(
        actor=people.dsl,
        deletion=request,
        expected_version=1,
        refused_at=ago(hours=1),
        escalation="Parents told; reported to the police on 101.",
    )
    with pytest.raises(ValidationError) as excinfo:
        deletion_confirm(
            actor=people.dsl,
            deletion=refused,
            expected_version=2,
            confirmed_at=ago(minutes=5),
            confirmation="Said so.",
        )
    assert "already refused" in " ".join(errors(excinfo)[NON_FIELD_ERRORS])


def test_the_model_refuses_a_request_both_confirmed_and_refused(people, incident, child):
    request = ask_to_delete(people, incident, child)
    request.confirmed_at, request.confirmation = ago(hours=1), "Said so."
    request.refused_at, request.escalation = ago(hours=1), "Police."
    with pytest.raises(ValidationError) as excinfo:
        request.full_clean()
    assert "refused_at" in errors(excinfo)


@pytest.mark.parametrize(
    ("settle", "values", "field"),
    [
        (deletion_refuse, {"refused_at": "now", "escalation": " "}, "escalation"),
        (deletion_confirm, {"confirmed_at": "now", "confirmation": ""}, "confirmation"),
        (deletion_confirm, {"confirmed_at": "before", "confirmation": "Said so."}, "confirmed_at"),
        (deletion_refuse, {"refused_at": "before", "escalation": "Police."}, "refused_at"),
        (deletion_refuse, {"refused_at": "future", "escalation": "Police."}, "refused_at"),
    ],
)
def test_a_refusal_needs_its_escalation_and_each_step_a_sensible_time(
    people, incident, child, settle, values, field
):
    request = ask_to_delete(people, incident, child, requested_at=ago(hours=2))
    moments = {
        "now": ago(minutes=1),
        "before": ago(hours=3),
        "future": timezone.now() + dt.timedelta(hours=1),
    }
    values = {key: moments.get(value, value) for key, value in values.items()}
    with pytest.raises(ValidationError) as excinfo:
        settle(actor=people.dsl, deletion=request, expected_version=1, **values)
    assert field in errors(excinfo)
    request.refresh_from_db()
    assert (request.version, request.is_open) == (1, True)


def test_a_stale_confirmation_is_refused_naming_the_colleagues_change(people, incident, child):
    request = ask_to_delete(people, incident, child)
    stale_copy = DeletionRequest.objects.get(pk=request.pk)
    deletion_refuse(
        actor=people.colleague_dsl,
        deletion=request,
        expected_version=1,
        refused_at=ago(hours=1),
        escalation="Police called.",
    )
    with pytest.raises(StaleEditError) as excinfo:
        deletion_confirm(
            actor=people.dsl,
            deletion=stale_copy,
            expected_version=1,
            confirmed_at=ago(minutes=5),
            confirmation="Said so.",
        )
    assert excinfo.value.current.refused_at is not None  # the colleague's refusal, to show
    request.refresh_from_db()
    assert (request.confirmed_at, request.escalation) == (None, "Police called.")


# --- Spain: services -----------------------------------------------------------------------


def test_spain_refuses_every_deletion_service(people, incident, child, spain):
    incident.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        ask_to_delete(people, incident, child)
    assert errors(excinfo)[NON_FIELD_ERRORS] == [NO_SEARCH_HERE]
    request = DeletionRequestFactory(incident=incident, involvement=child)
    request = DeletionRequest.objects.select_related("incident__school").get(pk=request.pk)
    for settle, values in (
        (deletion_confirm, {"confirmed_at": ago(minutes=5), "confirmation": "Said so."}),
        (deletion_refuse, {"refused_at": ago(minutes=5), "escalation": "Police."}),
    ):
        with pytest.raises(ValidationError) as excinfo:
            settle(actor=people.dsl, deletion=request, expected_version=1, **values)
        assert errors(excinfo)[NON_FIELD_ERRORS] == [NO_SEARCH_HERE]


def test_spain_records_the_parent_call_instead(people, incident, child, spain):
    incident.refresh_from_db()
    told = parent_told()
    contact = no_search_parent_call_record(
        actor=people.dsl, incident=incident, involvement=child, **told
    )
    assert (contact.purpose, contact.informed, contact.advice_given) == (
        ParentContactPurpose.NO_DEVICE_SEARCH,
        True,
        told["told"],
    )
    assert contact.history.get().history_user == people.dsl


def test_the_parent_call_needs_who_and_a_pupil(people, incident, child, spain):
    incident.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        no_search_parent_call_record(
            actor=people.dsl, incident=incident, involvement=child, **parent_told(contact_name="")
        )
    assert "contact_name" in errors(excinfo)
    adult = InvolvementFactory(
        incident=incident, kind=PersonKind.ADULT, pupil=None, description="A man", age=30
    )
    with pytest.raises(ValidationError) as excinfo:
        no_search_parent_call_record(
            actor=people.dsl, incident=incident, involvement=adult, **parent_told()
        )
    assert "involvement" in errors(excinfo)
    assert not ParentContact.objects.exists()


def test_the_no_search_call_is_refused_where_staff_may_search(people, incident, child):
    with pytest.raises(ValidationError) as excinfo:
        no_search_parent_call_record(
            actor=people.dsl, incident=incident, involvement=child, **parent_told()
        )
    assert errors(excinfo)[NON_FIELD_ERRORS] == [SEARCH_ALLOWED_HERE]


def test_a_seizure_for_the_police_stays_available_in_spain(people, incident, child, spain):
    incident.refresh_from_db()
    assert record_seizure(people, incident, child).pk

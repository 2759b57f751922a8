"""Devices and deletion (issue 5 item 7; 002 §3.5, §3.8, §5.2): a device taken is
switched off and locked away, a refusal is recorded with the parents told, the police's
part is recorded without losing a colleague's update, deletion is asked for only when
the police are not involved and never where staff may not search devices (Spain), where
the parents are called instead; overdue requests are found across the deadline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.devices.selectors import (
    deletion_requests_overdue,
    police_involvement,
    timeline_entries,
)
from incidents.devices.services import (
    NO_SEARCH_HERE,
    SEARCH_ALLOWED_HERE,
    deletion_confirm,
    deletion_refuse,
    deletion_request_record,
    no_search_parent_call_record,
    seizure_police_update,
    seizure_record,
    seizure_refusal_record,
)
from incidents.models import (
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    DeletionRequest,
    DeviceSeizure,
    Incident,
    ParentContact,
    ParentContactPurpose,
    PersonKind,
)
from incidents.services import decision_record, parent_contact_record
from referrals.flow.services import referral_record
from referrals.models import Agency
from safeguarding.audit import StaleEditError
from safeguarding.models import Jurisdiction
from tests.clock import ago
from tests.factories import (
    DeletionRequestFactory,
    DeviceSeizureFactory,
    IncidentFactory,
    InvolvementFactory,
)

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")


def list_url(incident: Incident) -> str:
    return reverse("devices:list", kwargs={"incident_id": incident.pk})


def police_url(seizure: DeviceSeizure) -> str:
    return reverse(
        "devices:seizure_police",
        kwargs={"incident_id": seizure.incident_id, "seizure_id": seizure.pk},
    )


def confirm_url(deletion: DeletionRequest) -> str:
    return reverse(
        "devices:deletion_confirm",
        kwargs={"incident_id": deletion.incident_id, "deletion_id": deletion.pk},
    )


def refuse_url(deletion: DeletionRequest) -> str:
    return reverse(
        "devices:deletion_refuse",
        kwargs={"incident_id": deletion.incident_id, "deletion_id": deletion.pk},
    )


def page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def when(name: str, moment: dt.datetime) -> dict[str, str]:
    """A moment as the day, month, year and time boxes of the field `name`."""
    local = timezone.localtime(moment)
    return {
        f"{name}_on_0": str(local.day),
        f"{name}_on_1": str(local.month),
        f"{name}_on_2": str(local.year),
        f"{name}_time": local.strftime("%H:%M"),
    }


def prefixed(prefix: str, data: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}-{key}": value for key, value in data.items()}


@pytest.fixture
def incident(people):
    return IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, status="awaiting_review"
    )


@pytest.fixture
def child(incident):
    return InvolvementFactory(incident=incident)


@pytest.fixture
def spain(people):
    school = people.school
    school.jurisdiction = Jurisdiction.SPAIN
    school.save()
    return school


def seizure_data(child, **overrides):
    return {
        "record": "seizure",
        **prefixed(
            "seizure",
            {
                "involvement": str(child.pk),
                "device": "Black iPhone 13 in a red case",
                **when("seized", ago(hours=2)),
                "switched_off": "on",
                "stored_where": "Safe in the DSL's office",
                "notes": "Taken in the head of year's office.",
            },
        ),
        **overrides,
    }


def refusal_data(child, **overrides):
    return {
        "record": "refusal",
        **prefixed(
            "refusal",
            {
                "involvement": str(child.pk),
                "device": "Samsung phone",
                **when("refused", ago(hours=3)),
                "contact_name": "Maria Hirst",
                "relationship": "mother",
                "method": "phone",
                **when("contacted", ago(hours=2)),
                "told": "She refused to hand over her phone; the police may be contacted.",
            },
        ),
        **overrides,
    }


def deletion_data(child, **overrides):
    return {
        "record": "deletion",
        **prefixed(
            "deletion",
            {
                "involvement": str(child.pk),
                **when("requested", ago(hours=2)),
                **when("deadline", timezone.now() + dt.timedelta(days=1)),
                "where": "Her phone, iCloud Photos and Snapchat memories",
                "consequences_explained": "on",
            },
        ),
        **overrides,
    }


def call_data(child, **overrides):
    return {
        "record": "parent_call",
        **prefixed(
            "parent_call",
            {
                "involvement": str(child.pk),
                "contact_name": "Lucía García",
                "relationship": "mother",
                "method": "phone",
                **when("contacted", ago(hours=1)),
                "told": "Staff may not search the phone; please talk to your daughter tonight.",
            },
        ),
        **overrides,
    }


def police_data(seizure, **overrides):
    return {
        **when("police_informed", ago(hours=1)),
        **when("handed", ago(minutes=30)),
        "handed_to": "PC Amy Patel 4821",
        "version": str(seizure.version),
        **overrides,
    }


def parent_told(**overrides):
    return {
        "contact_name": "Maria Hirst",
        "relationship": "mother",
        "method": ContactMethod.PHONE,
        "contacted_at": ago(hours=1),
        "told": "Her phone was kept for the police because she refused to hand it over.",
        **overrides,
    }


def record_seizure(people, incident, child, **overrides):
    return seizure_record(
        actor=people.dsl,
        incident=incident,
        involvement=child,
        **{
            "device": "Black iPhone 13",
            "seized_at": ago(hours=2),
            "switched_off": True,
            "stored_where": "Safe in the DSL's office",
            **overrides,
        },
    )


def ask_to_delete(people, incident, child, **overrides):
    return deletion_request_record(
        actor=people.dsl,
        incident=incident,
        involvement=child,
        **{
            "requested_at": ago(hours=2),
            "deadline": timezone.now() + dt.timedelta(days=1),
            "where": "Phone and iCloud",
            "consequences_explained": True,
            **overrides,
        },
    )


def errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- Seizure: services ---------------------------------------------------------------------


def test_a_seizure_is_recorded_by_the_actor_with_history(people, incident, child):
    seizure = record_seizure(people, incident, child)
    assert (seizure.seized_by, seizure.recorded_by, seizure.refused) == (
        people.dsl,
        people.dsl,
        False,
    )
    assert seizure.history.get().history_user == people.dsl


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"switched_off": False}, "switched_off"),
        ({"stored_where": "  "}, "stored_where"),
        ({"device": ""}, "device"),
        ({"seized_at": timezone.now() + dt.timedelta(hours=1)}, "seized_at"),
    ],
)
def test_a_seizure_needs_the_device_switched_off_and_locked_away(
    people, incident, child, overrides, field
):
    with pytest.raises(ValidationError) as excinfo:
        record_seizure(people, incident, child, **overrides)
    assert field in errors(excinfo)
    assert not DeviceSeizure.objects.exists()


def test_a_person_of_another_incident_is_refused(people, incident):
    elsewhere = InvolvementFactory(incident=IncidentFactory(school=people.school))
    with pytest.raises(ValidationError) as excinfo:
        record_seizure(people, incident, elsewhere)
    assert "involvement" in errors(excinfo)


def test_a_refusal_is_saved_with_the_parents_told(people, incident, child):
    seizure = seizure_refusal_record(
        actor=people.deputy,
        incident=incident,
        involvement=child,
        device="Samsung phone",
        refused_at=ago(hours=2),
        **parent_told(),
    )
    assert (seizure.refused, seizure.switched_off, seizure.stored_where) == (True, False, "")
    contact = ParentContact.objects.get()
    assert (contact.involvement, contact.purpose, contact.informed) == (
        child,
        ParentContactPurpose.DEVICE_REFUSED,
        True,
    )
    assert contact.advice_given.startswith("Her phone was kept")
    assert seizure.history.get().history_user == people.deputy
    assert contact.history.get().history_user == people.deputy


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"contact_name": " "}, "contact_name"),
        ({"method": ""}, "method"),
        ({"contacted_at": timezone.now() + dt.timedelta(days=1)}, "contacted_at"),
        ({"contacted_at": ago(hours=5)}, "contacted_at"),  # before the refusal
    ],
)
def test_a_refusal_needs_the_parents_told_and_saves_nothing_without(
    people, incident, child, overrides, field
):
    with pytest.raises(ValidationError) as excinfo:
        seizure_refusal_record(
            actor=people.dsl,
            incident=incident,
            involvement=child,
            device="Samsung phone",
            refused_at=ago(hours=2),
            **parent_told(**overrides),
        )
    assert field in errors(excinfo)
    assert not DeviceSeizure.objects.exists()
    assert not ParentContact.objects.exists()


def test_only_a_childs_refusal_is_recorded_with_parents(people, incident):
    adult = InvolvementFactory(
        incident=incident, kind=PersonKind.ADULT, pupil=None, description="A man", age=30
    )
    with pytest.raises(ValidationError) as excinfo:
        seizure_refusal_record(
            actor=people.dsl,
            incident=incident,
            involvement=adult,
            device="Phone",
            refused_at=ago(hours=2),
            **parent_told(),
        )
    assert "involvement" in errors(excinfo)


# --- The police's part: services -----------------------------------------------------------


def test_the_handover_is_recorded_with_a_new_version(people, incident, child):
    seizure = record_seizure(people, incident, child)
    updated = seizure_police_update(
        actor=people.deputy,
        seizure=seizure,
        expected_version=1,
        police_informed_at=ago(hours=1),
        handed_to_police_at=ago(minutes=10),
        handed_to="PC Amy Patel 4821",
    )
    assert (updated.version, updated.handed_to) == (2, "PC Amy Patel 4821")
    assert updated.history.latest().history_user == people.deputy


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"handed_to_police_at": ago(minutes=10), "handed_to": " "}, "handed_to"),
        ({}, "police_informed_at"),  # neither told nor handed over
        ({"handed_to_police_at": ago(days=1), "handed_to": "PC Patel"}, "handed_to_police_at"),
        ({"police_informed_at": timezone.now() + dt.timedelta(hours=1)}, "police_informed_at"),
    ],
)
def test_the_handover_needs_a_named_officer_and_sensible_times(
    people, incident, child, changes, field
):
    seizure = record_seizure(people, incident, child)
    values = {"police_informed_at": None, "handed_to_police_at": None, "handed_to": "", **changes}
    with pytest.raises(ValidationError) as excinfo:
        seizure_police_update(actor=people.dsl, seizure=seizure, expected_version=1, **values)
    assert field in errors(excinfo)
    seizure.refresh_from_db()
    assert seizure.version == 1


def test_a_refused_device_cannot_be_handed_over_but_the_police_can_be_told(people, incident, child):
    seizure = seizure_refusal_record(
        actor=people.dsl,
        incident=incident,
        involvement=child,
        device="Phone",
        refused_at=ago(hours=2),
        **parent_told(),
    )
    with pytest.raises(ValidationError) as excinfo:
        seizure_police_update(
            actor=people.dsl,
            seizure=seizure,
            expected_version=1,
            police_informed_at=None,
            handed_to_police_at=ago(minutes=5),
            handed_to="PC Patel",
        )
    assert "handed_to_police_at" in errors(excinfo)
    told = seizure_police_update(
        actor=people.dsl,
        seizure=seizure,
        expected_version=1,
        police_informed_at=ago(minutes=30),
        handed_to_police_at=None,
        handed_to="",
    )
    assert told.police_informed_at is not None


def test_a_stale_handover_is_refused_naming_the_colleagues_change(people, incident, child):
    seizure = record_seizure(people, incident, child)
    stale_copy = DeviceSeizure.objects.get(pk=seizure.pk)
    seizure_police_update(
        actor=people.colleague_dsl,
        seizure=seizure,
        expected_version=1,
        police_informed_at=ago(hours=1),
        handed_to_police_at=None,
        handed_to="",
    )
    with pytest.raises(StaleEditError) as excinfo:
        seizure_police_update(
            actor=people.dsl,
            seizure=stale_copy,
            expected_version=1,
            police_informed_at=None,
            handed_to_police_at=ago(minutes=5),
            handed_to="PC Patel",
        )
    assert set(excinfo.value.changes) == {"police_informed_at"}
    seizure.refresh_from_db()
    assert (seizure.version, seizure.handed_to) == (2, "")


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


def refer(people, incident, outcome):
    decision_record(
        actor=people.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=outcome,
        rationale="Adult involved.",
        decided_at=ago(days=1),
    )


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


# --- Overdue -------------------------------------------------------------------------------


def test_overdue_is_an_open_request_past_its_deadline(people, incident, child):
    deadline = timezone.now() - dt.timedelta(hours=1)
    request = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(days=2), deadline=deadline
    )
    second = dt.timedelta(seconds=1)
    assert not deletion_requests_overdue(now=deadline - second).exists()
    assert not deletion_requests_overdue(now=deadline).exists()
    assert list(deletion_requests_overdue(now=deadline + second)) == [request]
    assert list(deletion_requests_overdue()) == [request]  # now, by default
    deletion_confirm(
        actor=people.dsl,
        deletion=request,
        expected_version=1,
        confirmed_at=ago(minutes=5),
        confirmation="Late, but done.",
    )
    assert not deletion_requests_overdue(now=deadline + second).exists()


def test_a_refused_request_is_not_overdue(people, incident, child):
    deadline = ago(hours=1)
    request = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(days=2), deadline=deadline
    )
    deletion_refuse(
        actor=people.dsl,
        deletion=request,
        expected_version=1,
        refused_at=ago(minutes=5),
        escalation="Police called.",
    )
    assert not deletion_requests_overdue().exists()


def test_overdue_narrows_a_given_queryset_and_annotates_incidents(people, incident, child):
    late = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(days=2), deadline=ago(hours=1)
    )
    elsewhere = IncidentFactory(school=people.other_school)
    DeletionRequestFactory(incident=elsewhere, requested_at=ago(days=2), deadline=ago(hours=1))
    mine = DeletionRequest.objects.filter(incident__school=people.school)
    assert list(deletion_requests_overdue(mine)) == [late]
    flagged = Incident.objects.annotate(
        deletion_overdue=Exists(deletion_requests_overdue().filter(incident=OuterRef("pk")))
    )
    on_time = IncidentFactory(school=people.school)
    DeletionRequestFactory(incident=on_time)
    assert {i.pk: i.deletion_overdue for i in flagged} == {
        incident.pk: True,
        elsewhere.pk: True,
        on_time.pk: False,
    }


# --- Timeline ------------------------------------------------------------------------------


def test_the_timeline_places_every_step_when_it_happened(people, incident, child):
    seizure = record_seizure(people, incident, child, seized_at=ago(days=3))
    seizure_police_update(
        actor=people.colleague_dsl,
        seizure=seizure,
        expected_version=1,
        police_informed_at=ago(days=2),
        handed_to_police_at=ago(days=1),
        handed_to="PC Amy Patel 4821",
    )
    other = InvolvementFactory(incident=incident)
    seizure_refusal_record(
        actor=people.dsl,
        incident=incident,
        involvement=other,
        device="Samsung phone",
        refused_at=ago(hours=5),
        **parent_told(contacted_at=ago(hours=4)),
    )
    fresh = IncidentFactory(school=people.school, status="awaiting_review")
    pupil = InvolvementFactory(incident=fresh)
    confirmed = ask_to_delete(people, fresh, pupil, requested_at=ago(days=3))
    deletion_confirm(
        actor=people.deputy,
        deletion=confirmed,
        expected_version=1,
        confirmed_at=ago(days=2),
        confirmation="Signed statement.",
    )
    refused = ask_to_delete(
        people, fresh, InvolvementFactory(incident=fresh), requested_at=ago(days=3)
    )
    deletion_refuse(
        actor=people.colleague_dsl,
        deletion=refused,
        expected_version=1,
        refused_at=ago(days=1),
        escalation="Police called.",
    )
    late = DeletionRequestFactory(
        incident=fresh, involvement=pupil, requested_at=ago(days=3), deadline=ago(days=1)
    )

    entries = {entry.title: entry for entry in timeline_entries(incident)}
    name = child.pupil.full_name
    taken = entries[f"Device taken from {name}"]
    assert (taken.when, taken.recorded_by) == (seizure.seized_at, str(people.dsl))
    told = entries[f"Police told about {name}'s device"]
    seizure.refresh_from_db()
    assert (told.when, told.recorded_by) == (seizure.police_informed_at, "Cal Colleague")
    handed = entries[f"{name}'s device handed to the police"]
    assert ("Officer", "PC Amy Patel 4821") in handed.details
    assert handed.recorded_by == "Cal Colleague"
    refusal = entries[f"{other.pupil.full_name} refused to hand over a device"]
    assert refusal.tag == "Refused"

    entries = {entry.title: entry for entry in timeline_entries(fresh)}
    asked = [e for e in timeline_entries(fresh) if e.title.endswith("asked to delete the imagery")]
    assert len(asked) == 3
    assert [e.tag for e in asked if e.tag] == ["Overdue"]
    assert any(e.when == late.requested_at for e in asked)
    done = entries[f"{pupil.pupil.full_name} confirmed deleting the imagery"]
    confirmed.refresh_from_db()
    assert (done.when, done.recorded_by) == (confirmed.confirmed_at, "Dev Deputy")
    assert ("How", "Signed statement.") in done.details
    no = entries[f"{refused.involvement.pupil.full_name} refused to delete the imagery"]
    assert (no.recorded_by, no.tag) == ("Cal Colleague", "Refused")


def test_the_timeline_runs_the_same_queries_for_1_or_10_rows(people):
    small = IncidentFactory(school=people.school)
    large = IncidentFactory(school=people.school)
    for incident, n in ((small, 1), (large, 10)):
        for _ in range(n):
            DeviceSeizureFactory(incident=incident, police_informed_at=ago(hours=1))
            DeletionRequestFactory(incident=incident, confirmed_at=ago(hours=1), confirmation="Yes")
    with CaptureQueriesContext(connection) as one:
        assert len(timeline_entries(small)) == 4
    with CaptureQueriesContext(connection) as ten:
        assert len(timeline_entries(large)) == 40
    assert len(one) == len(ten)


# --- The page: who may do what -------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, incident, child, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and saves nothing."""
    client.force_login(getattr(people, who))
    assert client.get(list_url(incident)).status_code == get_status
    assert client.post(list_url(incident), {}).status_code == post_status
    assert client.put(list_url(incident)).status_code == 405
    assert not DeviceSeizure.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [(who, 200) for who in WRITERS]
    + [(who, 403) for who in READERS]
    + [(who, 404) for who in STRANGERS],
)
def test_row_forms_matrix(client, people, incident, child, who, status):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child)
    request = DeletionRequestFactory(incident=incident, involvement=child)
    client.force_login(getattr(people, who))
    for target in (police_url(seizure), confirm_url(request), refuse_url(request)):
        assert client.post(target, {}).status_code == status
        assert client.get(target).status_code == 405
    seizure.refresh_from_db()
    request.refresh_from_db()
    assert (seizure.version, request.version) == (1, 1)


def test_anonymous_is_sent_to_sign_in(client, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child)
    for response in (
        client.get(list_url(incident)),
        client.post(list_url(incident), {}),
        client.post(police_url(seizure), {}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_rows_of_other_incidents_and_missing_rows_are_404_alike(client, people, incident):
    other = IncidentFactory(school=people.school, status="awaiting_review")
    seizure = DeviceSeizureFactory(incident=other)
    request = DeletionRequestFactory(incident=other)
    client.force_login(people.dsl)
    for name, kwarg, pk in (
        ("devices:seizure_police", "seizure_id", seizure.pk),
        ("devices:deletion_confirm", "deletion_id", request.pk),
        ("devices:deletion_refuse", "deletion_id", request.pk),
    ):
        for row_id in (pk, 999_999):
            target = reverse(name, kwargs={"incident_id": incident.pk, kwarg: row_id})
            assert client.post(target, {}).status_code == 404


@pytest.mark.parametrize("who", READERS)
def test_readers_see_what_is_recorded_without_forms(client, people, incident, child, who):
    DeviceSeizureFactory(incident=incident, involvement=child, stored_where="Locked cupboard B")
    DeletionRequestFactory(incident=incident, involvement=child, where="Her Snapchat memories")
    client.force_login(getattr(people, who))
    html = page(client.get(list_url(incident)))
    assert "You can read this record but not change it." in html
    assert "Locked cupboard B" in html
    assert "Her Snapchat memories" in html
    assert 'action="/incidents' not in html


def test_the_page_explains_the_guidance_and_offers_the_forms(client, people, incident, child):
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    for text in ("002 §3.8", "002 §5.2", "002 §3.5", child.pupil.full_name):
        assert text in html
    assert html.count(f'action="{list_url(incident)}') == 3  # seizure, refusal, deletion


# --- The page: seizures --------------------------------------------------------------------


def test_recording_a_seizure_prompts_to_tell_the_parents(client, people, incident, child):
    client.force_login(people.deputy)
    response = client.post(list_url(incident), seizure_data(child))
    assert response.status_code == 302
    assert response["Location"] == list_url(incident)
    seizure = DeviceSeizure.objects.get()
    assert (seizure.involvement, seizure.seized_by, seizure.switched_off) == (
        child,
        people.deputy,
        True,
    )
    assert seizure.stored_where == "Safe in the DSL's office"
    assert seizure.history.get().history_user == people.deputy
    html = page(client.get(list_url(incident)))
    assert f"Recorded the device taken from {child.pupil.full_name}." in html
    prompt = f"No call is recorded telling {child.pupil.full_name}'s parents"
    assert prompt in html
    assert reverse("parents:list", kwargs={"incident_id": incident.pk}) in html
    parent_contact_record(
        actor=people.dsl,
        incident=incident,
        involvement=child,
        informed=True,
        purpose=ParentContactPurpose.DEVICE_REMOVED,
        contact_name="Maria Hirst",
        method=ContactMethod.PHONE,
        contacted_at=ago(minutes=30),
    )
    assert prompt not in page(client.get(list_url(incident)))


def test_an_adults_device_needs_no_parent_prompt(client, people, incident):
    adult = InvolvementFactory(
        incident=incident, kind=PersonKind.ADULT, pupil=None, description="A visitor", age=40
    )
    DeviceSeizureFactory(incident=incident, involvement=adult)
    client.force_login(people.dsl)
    assert "No call is recorded telling" not in page(client.get(list_url(incident)))


def test_a_seizure_needs_switched_off_and_where_naming_the_fields(client, people, incident, child):
    client.force_login(people.dsl)
    data = seizure_data(child, **{"seizure-stored_where": "  "})
    del data["seizure-switched_off"]
    response = client.post(list_url(incident), data)
    html = page(response)
    assert response.status_code == 200
    assert "The device was switched off: Switch the device off before locking it away" in html
    assert "Where it is locked away: Enter where the device is locked away." in html
    assert 'value="Black iPhone 13 in a red case"' in html  # what was typed is kept
    assert "Error: Devices and deletion" in html
    assert not DeviceSeizure.objects.exists()


def test_a_seizure_in_the_future_is_refused(client, people, incident, child):
    client.force_login(people.dsl)
    later = timezone.now() + dt.timedelta(days=2)
    data = seizure_data(child, **prefixed("seizure", when("seized", later)))
    html = page(client.post(list_url(incident), data))
    assert "Date it was taken: The date it was taken cannot be in the future." in html
    assert not DeviceSeizure.objects.exists()


def test_a_person_of_another_incident_is_refused_on_the_form(client, people, incident, child):
    elsewhere = InvolvementFactory(incident=IncidentFactory(school=people.school))
    client.force_login(people.dsl)
    html = page(client.post(list_url(incident), seizure_data(elsewhere)))
    assert "Whose device?: Choose someone involved in this incident." in html
    assert not DeviceSeizure.objects.exists()


def test_recording_a_refusal_records_the_parents_told(client, people, incident, child):
    client.force_login(people.dsl)
    response = client.post(list_url(incident), refusal_data(child))
    assert response.status_code == 302
    seizure = DeviceSeizure.objects.get()
    contact = ParentContact.objects.get()
    assert (seizure.refused, contact.purpose, contact.contact_name) == (
        True,
        ParentContactPurpose.DEVICE_REFUSED,
        "Maria Hirst",
    )
    html = page(client.get(list_url(incident)))
    assert f"{child.pupil.full_name} refused to hand over Samsung phone" in html
    assert "She refused to hand over her phone" in html  # what the parents were told
    assert "No call is recorded telling" not in html  # no device was taken


def test_a_refusal_without_the_parents_told_is_refused(client, people, incident, child):
    client.force_login(people.dsl)
    data = refusal_data(
        child,
        **{"refusal-contact_name": "", "refusal-method": "", "refusal-told": ""},
    )
    html = page(client.post(list_url(incident), data))
    assert "Who was told: Enter the name of the parent or carer told." in html
    assert "How were they told?: Choose how they were told." in html
    assert "What they were told: Enter what the parents were told." in html
    assert 'value="Samsung phone"' in html
    assert not DeviceSeizure.objects.exists()
    assert not ParentContact.objects.exists()


def test_a_refusal_told_before_it_happened_is_refused_by_the_service(
    client, people, incident, child
):
    client.force_login(people.dsl)
    data = refusal_data(child, **prefixed("refusal", when("contacted", ago(hours=6))))
    html = page(client.post(list_url(incident), data))
    assert "Date they were told: The parents were told before the child refused" in html
    assert not DeviceSeizure.objects.exists()


# --- The page: the police's part -----------------------------------------------------------


def test_recording_the_handover(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child, seized_at=ago(hours=3))
    client.force_login(people.dsl)
    response = client.post(police_url(seizure), police_data(seizure))
    assert response.status_code == 302
    assert response["Location"] == list_url(incident)
    seizure.refresh_from_db()
    assert (seizure.version, seizure.handed_to) == (2, "PC Amy Patel 4821")
    assert seizure.history.latest().history_user == people.dsl
    html = page(client.get(list_url(incident)))
    assert "Handed to the police" in html and "to PC Amy Patel 4821" in html


def test_the_handover_needs_an_officer_naming_the_field(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child, seized_at=ago(hours=3))
    client.force_login(people.dsl)
    response = client.post(police_url(seizure), police_data(seizure, handed_to=""))
    html = page(response)
    assert response.status_code == 200
    assert "Officer it was handed to: Name the officer the device was handed to." in html
    assert f'id="id_police_{seizure.pk}_handed_to"' in html  # the row's own form, opened
    seizure.refresh_from_db()
    assert seizure.version == 1


def test_an_officer_without_a_handover_time_is_refused(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child, seized_at=ago(hours=3))
    client.force_login(people.dsl)
    data = police_data(seizure, handed_on_0="", handed_on_1="", handed_on_2="", handed_time="")
    html = page(client.post(police_url(seizure), data))
    assert (
        "Date it was handed to the police: Enter when the device was handed to this officer."
        in (html)
    )
    data = police_data(seizure, handed_time="")
    html = page(client.post(police_url(seizure), data))
    assert "Time it was handed to the police: Enter the time it was handed to the police." in html
    seizure.refresh_from_db()
    assert seizure.version == 1


def test_an_empty_police_form_names_what_is_missing(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child)
    client.force_login(people.dsl)
    html = page(client.post(police_url(seizure), {"version": "1"}))
    assert "Date the police were told: Record when the police were told" in html


def test_a_stale_police_form_shows_the_colleagues_change(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child, seized_at=ago(hours=3))
    told_at = ago(hours=2)
    seizure_police_update(
        actor=people.colleague_dsl,
        seizure=seizure,
        expected_version=1,
        police_informed_at=told_at,
        handed_to_police_at=None,
        handed_to="",
    )
    client.force_login(people.dsl)
    data = police_data(seizure, version="1", handed_to="PC Typed By Me")
    response = client.post(police_url(seizure), data)
    html = page(response)
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing" in html
    local = timezone.localtime(told_at)
    assert f"Police informed at: (blank) → {local:%-d %b %Y %H:%M}" in html
    assert 'value="PC Typed By Me"' in html  # what was typed is kept
    assert re.search(r'name="version" value="2"', html)  # saving again applies it
    seizure.refresh_from_db()
    assert (seizure.version, seizure.handed_to) == (2, "")
    again = client.post(police_url(seizure), police_data(seizure, handed_to="PC Typed By Me"))
    assert again.status_code == 302
    seizure.refresh_from_db()
    assert (seizure.version, seizure.handed_to) == (3, "PC Typed By Me")


# --- The page: deletion --------------------------------------------------------------------


def test_recording_a_deletion_request(client, people, incident, child):
    client.force_login(people.deputy)
    response = client.post(list_url(incident), deletion_data(child))
    assert response.status_code == 302
    request = DeletionRequest.objects.get()
    assert (request.involvement, request.requested_by, request.consequences_explained) == (
        child,
        people.deputy,
        True,
    )
    assert request.history.get().history_user == people.deputy
    html = page(client.get(list_url(incident)))
    assert f"Recorded that {child.pupil.full_name} was asked to delete the imagery." in html
    assert "Awaiting confirmation" in html


def test_a_deletion_request_needs_a_later_deadline_and_the_consequences(
    client, people, incident, child
):
    client.force_login(people.dsl)
    data = deletion_data(child, **prefixed("deletion", when("deadline", ago(hours=3))))
    del data["deletion-consequences_explained"]
    html = page(client.post(list_url(incident), data))
    assert "Deadline date: The deadline must be after the pupil was asked." in html
    assert "is a criminal offence and the police may become involved: Tell the pupil" in html
    assert "Her phone, iCloud Photos and Snapchat memories</textarea>" in html
    assert not DeletionRequest.objects.exists()


def test_police_involvement_hides_the_request_form_and_refuses_it(client, people, incident, child):
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    assert "Record a pupil asked to delete the imagery" in html
    refer(people, incident, DecisionOutcome.REFER_POLICE)
    html = page(client.get(list_url(incident)))
    assert "The police are involved, so the school does not ask pupils to delete" in html
    assert "was to refer to the police" in html
    assert "Record a pupil asked to delete the imagery" not in html
    response = client.post(list_url(incident), deletion_data(child))  # a page read before
    html = page(response)
    assert response.status_code == 200
    assert "The police are involved, so the school does not manage deleting" in html
    assert "Her phone, iCloud Photos and Snapchat memories</textarea>" in html
    assert not DeletionRequest.objects.exists()


def test_an_overdue_request_is_shown_as_overdue(client, people, incident, child):
    DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(days=3), deadline=ago(hours=1)
    )
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    assert 'govuk-tag--red">Overdue' in html
    assert "(passed without confirmation or refusal)" in html


def test_confirming_a_deletion(client, people, incident, child):
    request = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(hours=5)
    )
    client.force_login(people.dsl)
    data = {**when("confirmed", ago(hours=1)), "confirmation": "Signed statement.", "version": "1"}
    response = client.post(confirm_url(request), data)
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.confirmation, request.version, request.is_open) == (
        "Signed statement.",
        2,
        False,
    )
    assert request.history.latest().history_user == people.dsl
    html = page(client.get(list_url(incident)))
    assert "Deletion confirmed" in html
    assert confirm_url(request) not in html and refuse_url(request) not in html


def test_a_refusal_needs_its_escalation_naming_the_field(client, people, incident, child):
    request = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(hours=5)
    )
    client.force_login(people.dsl)
    data = {**when("refused", ago(hours=1)), "escalation": " ", "version": "1"}
    response = client.post(refuse_url(request), data)
    html = page(response)
    assert response.status_code == 200
    assert "How it was escalated: Enter how the refusal was escalated." in html
    assert f'id="id_refuse_{request.pk}_escalation"' in html
    request.refresh_from_db()
    assert request.is_open


def test_refusing_a_deletion_already_confirmed_by_a_colleague(client, people, incident, child):
    request = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(hours=5)
    )
    deletion_confirm(
        actor=people.colleague_dsl,
        deletion=request,
        expected_version=1,
        confirmed_at=ago(hours=2),
        confirmation="Signed statement.",
    )
    client.force_login(people.dsl)
    data = {**when("refused", ago(hours=1)), "escalation": "Police called.", "version": "1"}
    response = client.post(refuse_url(request), data)
    html = page(response)
    assert response.status_code == 200
    assert "This request was already confirmed on" in html
    assert "Police called.</textarea>" in html  # what was typed is kept
    request.refresh_from_db()
    assert (request.refused_at, request.version) == (None, 2)


# --- The page: Spain -----------------------------------------------------------------------


def test_spain_replaces_deletion_with_the_parent_call(client, people, incident, child, spain):
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    assert "may not search a pupil's phone or view the imagery on it" in html
    assert "002 §5.2" in html
    assert "No call recorded" in html
    assert "Record a pupil asked to delete the imagery" not in html
    assert "Record a device taken" in html  # the police route stays
    response = client.post(list_url(incident), call_data(child))
    assert response.status_code == 302
    contact = ParentContact.objects.get()
    assert (contact.purpose, contact.contact_name, contact.recorded_by) == (
        ParentContactPurpose.NO_DEVICE_SEARCH,
        "Lucía García",
        people.dsl,
    )
    html = page(client.get(list_url(incident)))
    assert "No call recorded" not in html
    assert "Staff may not search the phone; please talk to your daughter tonight." in html


def test_spain_refuses_a_posted_deletion_request(client, people, incident, child, spain):
    client.force_login(people.dsl)
    response = client.post(list_url(incident), deletion_data(child))
    assert response.status_code == 200  # shown as the seizure form's errors, nothing saved
    assert not DeletionRequest.objects.exists()
    assert not DeviceSeizure.objects.exists()


def test_the_parent_call_needs_what_they_were_told(client, people, incident, child, spain):
    client.force_login(people.dsl)
    html = page(client.post(list_url(incident), call_data(child, **{"parent_call-told": ""})))
    assert "What they were told: Enter what the parents were told." in html
    assert 'value="Lucía García"' in html
    assert not ParentContact.objects.exists()


# --- Closed incidents ----------------------------------------------------------------------


def test_a_closed_incident_refuses_changes(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child)
    request = DeletionRequestFactory(incident=incident, involvement=child)
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", closed_at=timezone.now(), outcome_summary="Managed in school."
    )
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    assert "This incident is closed" in html
    assert 'action="/incidents' not in html
    assert client.post(list_url(incident), seizure_data(child)).status_code == 409
    assert client.post(police_url(seizure), police_data(seizure)).status_code == 409
    data = {**when("confirmed", ago(minutes=5)), "confirmation": "Yes", "version": "1"}
    assert client.post(confirm_url(request), data).status_code == 409
    assert DeviceSeizure.objects.count() == 1
    seizure.refresh_from_db()
    request.refresh_from_db()
    assert (seizure.version, request.version) == (1, 1)


# --- Query count ---------------------------------------------------------------------------


def test_the_page_makes_the_same_queries_for_1_or_10_rows(client, people):
    from guardian.ctypes import get_content_type

    def busy(n):
        incident = IncidentFactory(school=people.school, status="awaiting_review")
        for _ in range(n):
            child = InvolvementFactory(incident=incident)
            DeviceSeizureFactory(incident=incident, involvement=child)
            DeletionRequestFactory(incident=incident, involvement=child)
            ParentContact.objects.create(
                incident=incident,
                involvement=child,
                purpose=ParentContactPurpose.DEVICE_REFUSED,
                contact_name="A parent",
                method=ContactMethod.PHONE,
                contacted_at=ago(hours=1),
                recorded_by=people.dsl,
            )
        return incident

    small, large = busy(1), busy(10)
    client.force_login(people.dsl)
    client.get(list_url(small))  # warm the caches
    if hasattr(get_content_type, "cache_clear"):
        get_content_type.cache_clear()
        client.get(list_url(small))
    with CaptureQueriesContext(connection) as one:
        assert client.get(list_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as ten:
        assert client.get(list_url(large)).status_code == 200
    assert len(one) == len(ten), [q["sql"] for q in ten]


# --- Hostile input to the row forms and the Spain page -------------------------------------

SCRIPT = "<script>alert('x')</script>"
hostile = st.one_of(
    st.sampled_from([SCRIPT, "2025-02-30", "-1", "99", "NaN", "\x00\x1b", "a" * 10_000, "", " "]),
    st.text(max_size=200),
    st.integers().map(str),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_never_fails_or_stores_a_refused_form(client, people, data):
    incident = IncidentFactory(school=people.school, status="awaiting_review")
    seizure = DeviceSeizureFactory(incident=incident)
    request = DeletionRequestFactory(incident=incident)
    client.force_login(people.dsl)
    for target, names in (
        (police_url(seizure), list(police_data(seizure))),
        (confirm_url(request), [*when("confirmed", ago(hours=1)), "confirmation", "version"]),
        (refuse_url(request), [*when("refused", ago(hours=1)), "escalation", "version"]),
    ):
        before = (DeviceSeizure.history.count(), DeletionRequest.history.count())
        posted = {name: data.draw(hostile, label=name) for name in names}
        response = client.post(target, posted)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert (DeviceSeizure.history.count(), DeletionRequest.history.count()) == before
        assert SCRIPT not in response.content.decode()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_to_the_spain_page(client, people, data):
    school = people.school
    school.jurisdiction = Jurisdiction.SPAIN
    school.save()
    incident = IncidentFactory(school=school, status="awaiting_review")
    child = InvolvementFactory(incident=incident)
    client.force_login(people.dsl)
    posted = {name: data.draw(hostile, label=name) for name in call_data(child)}
    posted["record"] = data.draw(st.sampled_from(["parent_call", "deletion", "x"]), label="record")
    before = ParentContact.objects.count()
    response = client.post(list_url(incident), posted)
    assert response.status_code in (200, 302)
    assert (ParentContact.objects.count() > before) is (response.status_code == 302)
    assert not DeletionRequest.objects.exists()
    assert SCRIPT not in response.content.decode()

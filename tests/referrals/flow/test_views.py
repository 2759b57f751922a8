"""Referrals of one incident (issue 6 items 2–4, 7, 9; 002 §2.4, §3.5–§3.7, §7.0): made
with the reasons the triage found, acknowledged, answered with an outcome that fits the
agency, chased and closed, the status only ever moving forward; overdue when nothing has
come by the due moment; the parents prompted when the police are told; a colleague's
change never overwritten; another school's referral a 404."""

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

from incidents.models import (
    ContactMethod,
    Incident,
    ParentContactPurpose,
    PersonKind,
    TriageAssessment,
)
from incidents.services import parent_contact_record, triage_refresh
from incidents.templatetags.triage_labels import triage_label
from referrals.due import default_response_due
from referrals.flow.services import (
    CLOSED_INCIDENT,
    CLOSED_REFERRAL,
    follow_up_record,
    outcomes_for,
    referral_acknowledge,
    referral_close,
    referral_outcome_record,
    referral_record,
)
from referrals.models import (
    Agency,
    FollowUp,
    Referral,
    ReferralOutcome,
    ReferralStatus,
)
from referrals.selectors import (
    parents_to_tell_of_police,
    referrals_overdue,
    timeline_entries,
    triage_reasons,
)
from safeguarding.audit import StaleEditError
from tests.clock import ago
from tests.factories import AgencyContactFactory, IncidentFactory, InvolvementFactory

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")
REASONS = "An adult is involved: an online account of unknown age asked for images."


def page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def list_url(incident: Incident) -> str:
    return reverse("referrals:list", kwargs={"incident_id": incident.pk})


def detail_url(referral: Referral) -> str:
    return reverse(
        "referrals:detail",
        kwargs={"incident_id": referral.incident_id, "referral_id": referral.pk},
    )


def when(name: str, moment: dt.datetime, prefix: str = "") -> dict[str, str]:
    """A moment as the day, month, year and time boxes of the field pair `name`."""
    local = timezone.localtime(moment)
    start = f"{prefix}-" if prefix else ""
    return {
        f"{start}{name}_on_0": str(local.day),
        f"{start}{name}_on_1": str(local.month),
        f"{start}{name}_on_2": str(local.year),
        f"{start}{name}_time": local.strftime("%H:%M"),
    }


@pytest.fixture
def incident(people):
    return IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, status="awaiting_review"
    )


@pytest.fixture
def child(incident):
    return InvolvementFactory(incident=incident)


def refer(people, incident, *, actor=None, agency=Agency.POLICE, **extra) -> Referral:
    return referral_record(
        actor=actor or people.dsl,
        incident=incident,
        agency=agency,
        made_at=extra.pop("made_at", ago(hours=3)),
        method=extra.pop("method", ContactMethod.PHONE),
        reasons=REASONS,
        **extra,
    )


def acknowledge(people, referral, *, actor=None, at=None, version=1, reference=""):
    return referral_acknowledge(
        actor=actor or people.dsl,
        referral=referral,
        expected_version=version,
        acknowledged_at=at or ago(hours=2),
        reference_number=reference,
    )


def answer(people, referral, *, outcome=None, at=None, version=1, actor=None, notes=""):
    return referral_outcome_record(
        actor=actor or people.dsl,
        referral=referral,
        expected_version=version,
        outcome=outcome or outcomes_for(referral.agency)[0],
        outcome_at=at or ago(hours=1),
        outcome_notes=notes,
    )


def chase(people, referral, *, actor=None, chased_at=None, **extra) -> FollowUp:
    return follow_up_record(
        actor=actor or people.dsl,
        referral=referral,
        chased_at=chased_at or ago(hours=1),
        spoke_to=extra.pop("spoke_to", "Duty sergeant"),
        method=ContactMethod.PHONE,
        said=extra.pop("said", "Asked for an update; they will call back."),
        **extra,
    )


def close_incident(incident: Incident) -> None:
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", closed_at=timezone.now(), outcome_summary="Managed in school."
    )


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


# --- Overdue -------------------------------------------------------------------------------


def test_overdue_is_after_the_due_moment_not_at_it(people, incident):
    due = ago(hours=1)
    referral = refer(people, incident, made_at=ago(hours=5), response_due_at=due)
    second = dt.timedelta(seconds=1)
    assert not referrals_overdue(now=due - second).exists()
    assert not referrals_overdue(now=due).exists()
    assert list(referrals_overdue(now=due + second)) == [referral]
    assert list(referrals_overdue()) == [referral]  # now, by default


def test_acknowledged_without_an_outcome_stays_overdue(people, incident):
    referral = refer(people, incident, made_at=ago(hours=5), response_due_at=ago(hours=1))
    acknowledge(people, referral)
    assert list(referrals_overdue()) == [referral]
    answer(people, referral, version=2)
    assert not referrals_overdue().exists()


def test_an_outcome_ends_overdue_and_so_does_closing(people, incident):
    referral = refer(people, incident, made_at=ago(hours=5), response_due_at=ago(hours=2))
    answer(people, referral)
    referral_close(actor=people.dsl, referral=referral, expected_version=2)
    assert not referrals_overdue().exists()


def test_the_newest_follow_ups_next_chase_replaces_the_due_moment(people, incident):
    referral = refer(people, incident, made_at=ago(hours=10), response_due_at=ago(hours=8))
    assert referrals_overdue().exists()
    later = timezone.now() + dt.timedelta(hours=5)
    chase(people, referral, chased_at=ago(hours=7), next_due_at=later + dt.timedelta(days=2))
    chase(people, referral, chased_at=ago(hours=6), next_due_at=later)
    chase(people, referral, chased_at=ago(hours=5))  # no next date: the one before stands
    second = dt.timedelta(seconds=1)
    assert not referrals_overdue(now=timezone.now()).exists()
    assert not referrals_overdue(now=later).exists()
    assert list(referrals_overdue(now=later + second)) == [referral]


def test_a_referral_without_a_due_moment_is_never_overdue(people, incident):
    referral = refer(people, incident, made_at=ago(days=30))
    Referral.objects.filter(pk=referral.pk).update(response_due_at=None)
    assert not referrals_overdue().exists()


def test_overdue_narrows_a_queryset_and_flags_incidents(people, incident):
    late = refer(people, incident, made_at=ago(days=3), response_due_at=ago(days=2))
    elsewhere = IncidentFactory(school=people.other_school, status="awaiting_review")
    refer(people, elsewhere, made_at=ago(days=3), response_due_at=ago(days=2))
    on_time = IncidentFactory(school=people.school, status="awaiting_review")
    refer(people, on_time, made_at=ago(hours=1))
    quiet = IncidentFactory(school=people.school, status="awaiting_review")
    mine = Referral.objects.filter(incident__school=people.school)
    assert list(referrals_overdue(mine)) == [late]
    now = timezone.now()
    flagged = Incident.objects.annotate(
        referral_overdue=Exists(referrals_overdue(now=now).filter(incident=OuterRef("pk")))
    )
    assert {row.pk: row.referral_overdue for row in flagged} == {
        incident.pk: True,
        elsewhere.pk: True,
        on_time.pk: False,
        quiet.pk: False,
    }


# --- Parents told the police are informed (002 §3.5) ---------------------------------------


def tell_parents(people, incident, child, *, purpose=ParentContactPurpose.POLICE_INFORMED):
    parent_contact_record(
        actor=people.dsl,
        incident=incident,
        involvement=child,
        informed=True,
        purpose=purpose,
        contact_name="Mrs Hirst",
        relationship="Mother",
        method=ContactMethod.PHONE,
        contacted_at=ago(minutes=30),
        advice_given="Told that the police are being informed, and why.",
    )


def test_a_police_referral_prompts_each_pupils_parents_until_told(people, incident, child):
    other = InvolvementFactory(incident=incident)
    InvolvementFactory(incident=incident, kind=PersonKind.ADULT, pupil=None, description="Man")
    assert parents_to_tell_of_police(incident) == []
    refer(people, incident, agency=Agency.SOCIAL_CARE)
    assert parents_to_tell_of_police(incident) == []
    refer(people, incident)
    assert parents_to_tell_of_police(incident) == [child, other]
    tell_parents(people, incident, child, purpose=ParentContactPurpose.INCIDENT)
    assert parents_to_tell_of_police(incident) == [child, other]  # told of the incident only
    tell_parents(people, incident, child)
    assert parents_to_tell_of_police(incident) == [other]
    parent_contact_record(
        actor=people.dsl,
        incident=incident,
        involvement=other,
        informed=False,
        not_informed_reasons="His father is the person of concern.",
        agreed_with="Duty social worker",
    )
    assert parents_to_tell_of_police(incident) == []


def test_a_ceop_report_involves_the_police_too(people, incident, child):
    refer(people, incident, agency=Agency.CEOP)
    assert parents_to_tell_of_police(incident) == [child]


def test_the_prompt_shows_on_both_pages_and_clears(client, people, incident, child):
    referral = refer(people, incident)
    client.force_login(people.dsl)
    parents = reverse("parents:list", kwargs={"incident_id": incident.pk})
    link = f"{parents}?purpose=police_informed#informed"
    for url in (list_url(incident), detail_url(referral)):
        html = page(client.get(url))
        assert "The police are being informed: tell the parents of" in html
        assert child.pupil.full_name in html
        assert "002 §3.5" in html
        assert f'href="{link}"' in html
    tell_parents(people, incident, child)
    for url in (list_url(incident), detail_url(referral)):
        assert "The police are being informed" not in page(client.get(url))


# --- Reasons from the triage ---------------------------------------------------------------


def adult_incident(people):
    incident = IncidentFactory(
        school=people.school, created_by=people.dsl, status="awaiting_review"
    )
    InvolvementFactory(incident=incident)
    InvolvementFactory(
        incident=incident, kind=PersonKind.ADULT, pupil=None, description="A man, 19", age=19
    )
    triage_refresh(actor=people.dsl, incident=incident)
    return incident


def test_reasons_start_from_the_newest_triages_fired_criteria(people):
    incident = adult_incident(people)
    criteria = incident.triage_assessments.first().result["criteria"]
    assert criteria  # an adult is involved: an immediate referral
    expected = "\n".join(
        f"{triage_label(item['id'])}: {item['reason']} ({', '.join(item['sources'])})"
        for item in criteria
    )
    assert triage_reasons(incident) == expected
    assert "002 §3.3" in expected
    TriageAssessment.objects.create(
        incident=incident,
        policy="all",
        facts={},
        result={
            "criteria": [{"id": "coercion", "reason": "B was blackmailed", "sources": ["000"]}]
        },
        immediate_referral=True,
        assessed_at=timezone.now() + dt.timedelta(seconds=1),
    )
    assert triage_reasons(incident) == f"{triage_label('coercion')}: B was blackmailed (000)"


def test_no_triage_no_reasons(people, incident):
    assert triage_reasons(incident) == ""


def checked_agencies(html: str) -> list[str]:
    radios = re.findall(r'<input[^>]*name="agency"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', radio).group(1) for radio in radios if "checked" in radio]


def test_the_form_starts_with_the_reasons_and_the_agency_asked_for(client, people):
    incident = adult_incident(people)
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident), {"agency": "police"}))
    textarea = re.search(r'<textarea[^>]*name="reasons"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea is not None
    assert triage_label("adult_involved") in textarea.group(1)
    assert checked_agencies(html) == ["police"]
    html = page(client.get(list_url(incident), {"agency": "bogus"}))
    assert checked_agencies(html) == []


@pytest.mark.parametrize("page_name", ["log:details", "cases:detail"])
def test_an_immediate_referral_triage_offers_make_a_referral_to_its_managers(
    client, people, page_name
):
    incident = adult_incident(people)
    target = f"{list_url(incident)}#make-referral"
    step = reverse(page_name, kwargs={"incident_id": incident.pk})
    client.force_login(people.dsl)
    assert f'href="{target}"' in page(client.get(step))
    client.force_login(people.head)
    assert f'href="{target}"' not in page(client.get(step))


def test_no_make_a_referral_link_when_no_criterion_fired(client, people, incident, child):
    triage_refresh(actor=people.dsl, incident=incident)
    assert not incident.triage_assessments.first().immediate_referral
    client.force_login(people.dsl)
    step = reverse("log:details", kwargs={"incident_id": incident.pk})
    assert "#make-referral" not in page(client.get(step))


# --- The pages: who may do what ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, incident, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and changes nothing."""
    referral = refer(people, incident)
    client.force_login(getattr(people, who))
    for url in (list_url(incident), detail_url(referral)):
        assert client.get(url).status_code == get_status
        assert client.post(url, {}).status_code == post_status
        assert client.put(url).status_code == 405
    assert Referral.objects.count() == 1
    assert not FollowUp.objects.exists()
    referral.refresh_from_db()
    assert referral.version == 1


def test_anonymous_is_sent_to_sign_in(client, people, incident):
    referral = refer(people, incident)
    for response in (
        client.get(list_url(incident)),
        client.post(list_url(incident), {}),
        client.get(detail_url(referral)),
        client.post(detail_url(referral), {}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_another_schools_or_incidents_referral_is_a_404_like_a_missing_one(
    client, people, incident
):
    elsewhere = IncidentFactory(school=people.other_school, status="awaiting_review")
    theirs = refer(people, elsewhere, actor=people.other_dsl)
    sibling = refer(people, IncidentFactory(school=people.school, status="awaiting_review"))
    client.force_login(people.dsl)
    for referral_id in (theirs.pk, sibling.pk, 999_999):
        url = reverse(
            "referrals:detail", kwargs={"incident_id": incident.pk, "referral_id": referral_id}
        )
        assert client.get(url).status_code == 404
        assert client.post(url, {"record": "follow_up"}).status_code == 404
    assert client.get(detail_url(theirs)).status_code == 404
    assert client.get(detail_url(sibling)).status_code == 200


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_referrals_without_forms(client, people, incident, who):
    referral = refer(people, incident, information_shared="Names and dates of birth")
    chase(people, referral, said="They will call back tomorrow.")
    client.force_login(getattr(people, who))
    for url in (list_url(incident), detail_url(referral)):
        html = page(client.get(url))
        assert "You can read this record but not change it." in html
        assert "They will call back tomorrow." in html
        assert 'name="record"' not in html and 'name="reasons"' not in html


# --- The list page: making a referral ------------------------------------------------------


def referral_data(**overrides) -> dict[str, str]:
    return {
        "agency": "police",
        "agency_name": "West Yorkshire Police (101)",
        **when("made", ago(hours=2)),
        "method": "phone",
        "contact_name": "PC Aaron Lindley",
        "reference_number": "Log 0412",
        "reasons": REASONS,
        "information_shared": "Names and dates of birth; no images.",
        **overrides,
    }


def test_making_a_referral(client, people, incident, child):
    contact = AgencyContactFactory(school=people.school, agency=Agency.POLICE, name="PC Patel")
    client.force_login(people.deputy)
    response = client.post(list_url(incident), referral_data(contact=str(contact.pk)))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert response["Location"] == detail_url(referral)
    assert (referral.agency, referral.made_by, referral.contact) == (
        "police",
        people.deputy,
        contact,
    )
    assert (referral.contact_name, referral.reference_number) == ("PC Aaron Lindley", "Log 0412")
    assert referral.information_shared == "Names and dates of birth; no images."
    assert referral.response_due_at == default_response_due(Agency.POLICE, referral.made_at)
    assert referral.history.get().history_user == people.deputy
    html = page(client.get(response["Location"]))
    assert "Recorded the referral to West Yorkshire Police (101)." in html
    assert "The police are being informed" in html  # the parents prompt
    assert "Record the acknowledgement" in html


def test_a_response_due_moment_can_be_set(client, people, incident):
    due = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    client.force_login(people.dsl)
    response = client.post(list_url(incident), referral_data(**when("due", due)))
    assert response.status_code == 302
    assert Referral.objects.get().response_due_at == due


def test_an_empty_referral_names_each_missing_field(client, people, incident):
    client.force_login(people.dsl)
    html = page(client.post(list_url(incident), {}))
    for text in (
        "Choose the agency the referral was made to.",
        "Enter the date the referral was made.",
        "Choose how the referral was made.",
        "Enter why the referral was made.",
    ):
        assert text in html
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (when("made", timezone.now() + dt.timedelta(days=2)), "cannot be in the future"),
        ({**when("made", ago(hours=2)), **when("due", ago(hours=3))}, "A response is due after"),
        ({"agency": "fbi"}, "Choose the agency from the list."),
        ({"contact": "999999"}, "Choose a contact from the school's list."),
    ],
)
def test_a_bad_referral_is_refused_keeping_what_was_typed(
    client, people, incident, overrides, message
):
    client.force_login(people.dsl)
    response = client.post(list_url(incident), referral_data(**overrides))
    html = page(response)
    assert response.status_code == 200
    assert message in html
    assert "PC Aaron Lindley" in html and REASONS in html
    assert not Referral.objects.exists()


def test_a_contact_for_another_agency_or_school_is_refused(client, people, incident):
    mash = AgencyContactFactory(school=people.school, agency=Agency.SOCIAL_CARE, name="MASH")
    theirs = AgencyContactFactory(school=people.other_school, agency=Agency.POLICE)
    client.force_login(people.dsl)
    html = page(client.post(list_url(incident), referral_data(contact=str(mash.pk))))
    assert "MASH is a contact for Children's social care / MASH" in html
    html = page(client.post(list_url(incident), referral_data(contact=str(theirs.pk))))
    assert "Choose a contact from the school's list." in html
    assert theirs.name not in html
    assert not Referral.objects.exists()


def test_the_list_shows_status_outcome_follow_ups_and_overdue(client, people, incident):
    late = refer(people, incident, made_at=ago(days=3), response_due_at=ago(days=2))
    chase(people, late, said="Voicemail left.", escalation=True)
    answered = refer(people, incident, agency=Agency.SOCIAL_CARE, made_at=ago(days=3))
    answer(people, answered, outcome=ReferralOutcome.SOCIAL_CARE_EARLY_HELP)
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    assert html.count('govuk-tag--red">Overdue') == 1
    assert "Voicemail left." in html and "Escalated" in html
    assert "Social care: early help" in html
    assert "Outcome received" in html
    assert detail_url(late) in html and detail_url(answered) in html
    html = page(client.get(detail_url(late)))
    assert 'govuk-tag--red">Overdue' in html
    assert f"{timezone.localtime(late.response_due_at):%-d %B %Y, %H:%M}: nothing has come" in html


# --- The referral's page: its steps --------------------------------------------------------


def step(name: str, version: int | str = 1, **fields: str) -> dict[str, str]:
    data = {"record": name, f"{name}-version": str(version)}
    data.update({f"{name}-{key}": value for key, value in fields.items()})
    return data


def test_recording_the_acknowledgement(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.deputy)
    data = step("acknowledge", **{"reference_number": "CRN-5"})
    data.update(when("acknowledged", ago(hours=1), "acknowledge"))
    response = client.post(detail_url(referral), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(referral)
    referral.refresh_from_db()
    assert (referral.status, referral.reference_number, referral.version) == (
        "acknowledged",
        "CRN-5",
        2,
    )
    assert referral.history.first().history_user == people.deputy
    html = page(client.get(detail_url(referral)))
    assert "acknowledged the referral." in html
    assert "Record the acknowledgement" not in html
    assert "Record the outcome" in html


def test_the_police_outcome_choices_and_outcome_21(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.dsl)
    html = page(client.get(detail_url(referral)))
    assert 'value="police_outcome_21"' in html and "002 §2.4" in html
    assert 'value="social_care_s47"' not in html
    data = step("outcome", outcome="police_outcome_21", outcome_notes="PC Lee phoned.")
    data.update(when("outcome", ago(hours=1), "outcome"))
    assert client.post(detail_url(referral), data).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("outcome_received", "police_outcome_21")
    html = page(client.get(detail_url(referral)))
    assert "Police: Outcome 21" in html and "Close the referral" in html


def test_an_outcome_of_another_agency_is_refused_on_the_form(client, people, incident):
    referral = refer(people, incident, agency=Agency.SOCIAL_CARE)
    client.force_login(people.dsl)
    data = step("outcome", outcome="police_outcome_21")
    data.update(when("outcome", ago(hours=1), "outcome"))
    html = page(client.post(detail_url(referral), data))
    assert "Choose an outcome from the list." in html
    referral.refresh_from_db()
    assert referral.status == "made"


def test_closing_a_referral(client, people, incident):
    referral = answer(people, refer(people, incident))
    client.force_login(people.dsl)
    assert client.post(detail_url(referral), step("close", version=2)).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "closed"
    html = page(client.get(detail_url(referral)))
    assert "This referral is closed: nothing more is recorded on it." in html
    assert 'name="record"' not in html


def test_a_refused_step_names_the_field(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.dsl)
    html = page(client.post(detail_url(referral), step("close")))
    assert "Record the agency's outcome before closing the referral." in html
    answer(people, referral)
    data = step("acknowledge", version=2)
    data.update(when("acknowledged", ago(hours=1), "acknowledge"))
    html = page(client.post(detail_url(referral), data))
    assert "Acknowledged" in html and "never goes back" in html
    referral.refresh_from_db()
    assert (referral.status, referral.version) == ("outcome_received", 2)


def test_recording_a_follow_up_and_an_escalation(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.deputy)
    data = {
        "record": "follow_up",
        **when("chased", ago(minutes=30), "follow_up"),
        "follow_up-spoke_to": "Duty manager, MASH",
        "follow_up-method": "phone",
        "follow_up-said": "Escalated: no acknowledgement after a day.",
        "follow_up-escalation": "on",
        **when("next", timezone.now() + dt.timedelta(days=1), "follow_up"),
    }
    assert client.post(detail_url(referral), data).status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.chased_by, follow_up.escalation, follow_up.referral) == (
        people.deputy,
        True,
        referral,
    )
    assert follow_up.next_due_at is not None
    html = page(client.get(detail_url(referral)))
    assert "Escalated" in html and "Duty manager, MASH" in html


def test_a_follow_up_needs_what_was_said_keeping_the_rest(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.dsl)
    data = {
        "record": "follow_up",
        **when("chased", ago(minutes=30), "follow_up"),
        "follow_up-spoke_to": "Sgt Typed By Me",
        "follow_up-method": "phone",
        **when("next", ago(hours=1), "follow_up"),
    }
    html = page(client.post(detail_url(referral), data))
    assert "Enter what was asked and what the agency said." in html
    assert "The next chase is due after this one." in html
    assert 'value="Sgt Typed By Me"' in html
    assert not FollowUp.objects.exists()


def test_an_unknown_step_is_treated_as_a_follow_up_and_refused(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.dsl)
    response = client.post(detail_url(referral), {"record": "delete"})
    assert response.status_code == 200
    assert "Enter who at the agency was chased." in page(response)


def test_a_stale_step_shows_the_colleagues_change_and_applies_on_saving_again(
    client, people, incident
):
    referral = refer(people, incident, made_at=ago(hours=5))
    acknowledged_at = ago(hours=3)
    acknowledge(people, referral, actor=people.colleague_dsl, at=acknowledged_at, reference="C-1")
    client.force_login(people.dsl)
    data = step("outcome", version=1, outcome="police_nfa", outcome_notes="Typed by me")
    data.update(when("outcome", ago(hours=1), "outcome"))
    response = client.post(detail_url(referral), data)
    html = page(response)
    assert response.status_code == 200
    assert "Someone else changed this referral while you were editing" in html
    assert "Status: Made → Acknowledged" in html
    local = timezone.localtime(acknowledged_at)
    assert f"Acknowledged at: (blank) → {local:%-d %b %Y %H:%M}" in html
    assert "Agency's reference: (blank) → C-1" in html
    assert "Typed by me" in html
    assert re.search(r'name="outcome-version" value="2"', html)
    referral.refresh_from_db()
    assert (referral.version, referral.outcome) == (2, "")
    data["outcome-version"] = "2"
    assert client.post(detail_url(referral), data).status_code == 302
    referral.refresh_from_db()
    assert (referral.version, referral.outcome) == (3, "police_nfa")


def test_an_out_of_date_form_is_refused(client, people, incident):
    referral = answer(people, refer(people, incident))
    client.force_login(people.dsl)
    for version in ("", "0", "abc", str(2**40)):
        html = page(client.post(detail_url(referral), step("close", version=version)))
        assert "This form is out of date" in html
    referral.refresh_from_db()
    assert referral.status == "outcome_received"


def test_a_closed_incident_refuses_changes(client, people, incident):
    referral = refer(people, incident)
    close_incident(incident)
    client.force_login(people.dsl)
    for url in (list_url(incident), detail_url(referral)):
        html = page(client.get(url))
        assert "This incident is closed" in html
        assert 'name="record"' not in html and 'name="reasons"' not in html
    assert client.post(list_url(incident), referral_data()).status_code == 409
    data = step("acknowledge")
    data.update(when("acknowledged", ago(hours=1), "acknowledge"))
    response = client.post(detail_url(referral), data)
    assert response.status_code == 409
    assert "This incident is closed" in page(response)
    assert Referral.objects.count() == 1
    referral.refresh_from_db()
    assert referral.version == 1


# --- Timeline ------------------------------------------------------------------------------


def test_the_timeline_places_each_step_when_it_happened(people, incident):
    referral = refer(people, incident, made_at=ago(days=3), reference_number="LOG-1")
    acknowledge(people, referral, actor=people.colleague_dsl, at=ago(days=2))
    chase(people, referral, actor=people.deputy, chased_at=ago(days=1, hours=12), escalation=True)
    answer(people, referral, version=2, actor=people.deputy, at=ago(days=1), notes="PC Lee")
    late = refer(
        people, incident, agency=Agency.NSPCC, made_at=ago(days=9), response_due_at=ago(days=2)
    )
    referral.refresh_from_db()
    entries = {entry.title: entry for entry in timeline_entries(incident)}
    made = entries["Referral to Police"]
    assert (made.when, made.recorded_by, made.tag) == (referral.made_at, "Dana Lead", "")
    assert made.link == detail_url(referral)
    acknowledged = entries["Police acknowledged the referral"]
    assert (acknowledged.when, acknowledged.recorded_by) == (
        referral.acknowledged_at,
        "Cal Colleague",
    )
    outcome = entries["Outcome of the referral to Police: Police: investigation"]
    assert (outcome.when, outcome.recorded_by) == (referral.outcome_at, "Dev Deputy")
    assert ("Notes", "PC Lee") in outcome.details
    chased = entries["Referral to Police chased and escalated"]
    assert (chased.recorded_by, chased.tag) == ("Dev Deputy", "Escalated")
    assert ("Outcome", "Awaited") not in made.details
    assert ("Outcome", "Awaited") in entries["Referral to NSPCC"].details
    assert entries["Referral to NSPCC"].tag == "Overdue"
    assert entries["Referral to NSPCC"].when == late.made_at


def test_the_timeline_runs_the_same_queries_for_1_or_10_referrals(people):
    small = IncidentFactory(school=people.school, status="awaiting_review")
    large = IncidentFactory(school=people.school, status="awaiting_review")
    for incident, n in ((small, 1), (large, 10)):
        for _ in range(n):
            referral = acknowledge(people, refer(people, incident))
            chase(people, referral)
            answer(people, referral, version=2)
    with CaptureQueriesContext(connection) as one:
        assert len(timeline_entries(small)) == 4
    with CaptureQueriesContext(connection) as ten:
        assert len(timeline_entries(large)) == 40
    assert len(one) == len(ten)


# --- Query counts --------------------------------------------------------------------------


def busy(people, n: int) -> tuple[Incident, Referral]:
    incident = IncidentFactory(school=people.school, status="awaiting_review")
    for _ in range(n):
        InvolvementFactory(incident=incident)
        AgencyContactFactory(school=people.school, agency=Agency.POLICE)
    referral = None
    for _ in range(n):
        referral = refer(people, incident, made_at=ago(days=3), response_due_at=ago(days=2))
        for _ in range(2):
            chase(people, referral, chased_at=ago(hours=2), next_due_at=ago(hours=1))
    assert referral is not None
    return incident, referral


def test_the_pages_make_the_same_queries_for_1_or_10_rows(client, people):
    from guardian.ctypes import get_content_type

    small, small_referral = busy(people, 1)
    large, large_referral = busy(people, 10)
    client.force_login(people.dsl)
    client.get(list_url(small))  # warm the caches
    if hasattr(get_content_type, "cache_clear"):
        get_content_type.cache_clear()
        client.get(list_url(small))
    for few, many in (
        (list_url(small), list_url(large)),
        (detail_url(small_referral), detail_url(large_referral)),
    ):
        with CaptureQueriesContext(connection) as one:
            assert client.get(few).status_code == 200
        with CaptureQueriesContext(connection) as ten:
            assert client.get(many).status_code == 200
        assert len(one) == len(ten), [q["sql"] for q in ten]


# --- Hostile input -------------------------------------------------------------------------

SCRIPT = "<script>alert('x')</script>"
hostile = st.one_of(
    st.sampled_from([SCRIPT, "2025-02-30", "-1", "99", "NaN", "\x00\x1b", "a" * 10_000, "", " "]),
    st.text(max_size=200),
    st.integers().map(str),
)
STEP_FIELDS = [
    *step("acknowledge", reference_number=""),
    *when("acknowledged", ago(hours=1), "acknowledge"),
    *step("outcome", outcome="", outcome_notes=""),
    *when("outcome", ago(hours=1), "outcome"),
    *step("close"),
    *when("chased", ago(hours=1), "follow_up"),
    *when("next", ago(hours=1), "follow_up"),
    "follow_up-spoke_to",
    "follow_up-method",
    "follow_up-said",
    "follow_up-escalation",
]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_never_fails_or_stores_a_refused_form(client, people, data):
    incident = IncidentFactory(school=people.school, status="awaiting_review")
    referral = refer(people, incident)
    client.force_login(people.dsl)
    posted = {name: data.draw(hostile, label=name) for name in STEP_FIELDS}
    posted["record"] = data.draw(
        st.sampled_from(["acknowledge", "outcome", "close", "follow_up", "x"]), label="record"
    )
    before = (Referral.history.count(), FollowUp.history.count())
    response = client.post(detail_url(referral), posted)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (Referral.history.count(), FollowUp.history.count()) == before
    assert SCRIPT not in response.content.decode()
    form = page(client.get(list_url(incident)))
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', form))
    assert {"contact", "due_on_0", "reasons"} <= names
    listing = {
        name: data.draw(hostile, label=name) for name in sorted(names - {"csrfmiddlewaretoken"})
    }
    response = client.post(list_url(incident), listing)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Referral.objects.filter(incident=incident).count() == 1
    assert SCRIPT not in response.content.decode()


def test_a_referral_may_be_made_through_an_online_form(client, people, incident):
    referral = refer(people, incident, method=ContactMethod.ONLINE_FORM)
    assert referral.get_method_display() == "Online form"
    client.force_login(people.dsl)
    assert 'value="online_form"' in page(client.get(list_url(incident)))

"""Helpers shared by the referral tests: the pages' addresses and what their forms
post, each step of a referral through its service, the parents told the police
are informed, and an incident whose triage calls for an immediate referral."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from incidents.models import ContactMethod, Incident, ParentContactPurpose, PersonKind
from incidents.services import parent_contact_record
from incidents.triage.services import triage_refresh
from referrals.flow.services import (
    follow_up_record,
    outcomes_for,
    referral_acknowledge,
    referral_outcome_record,
    referral_record,
)
from referrals.models import Agency, FollowUp, Referral
from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory

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


def step(name: str, version: int | str = 1, **fields: str) -> dict[str, str]:
    data = {"record": name, f"{name}-version": str(version)}
    data.update({f"{name}-{key}": value for key, value in fields.items()})
    return data

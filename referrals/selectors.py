"""Reads of referrals and agency contacts, from records the view has already
access-checked (an incident from `incidents.access.incident_for_user`, a school from
`safeguarding.access.school_for_user`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident, Involvement, ParentContact, ParentContactPurpose, PersonKind
from incidents.templatetags.triage_labels import triage_label
from incidents.timeline import TimelineEntry, creators_of
from referrals.models import Agency, AgencyContact, FollowUp, Referral, ReferralStatus
from safeguarding.models import School
from safeguarding.web.display import person_name, when_text


def agency_contacts_for_school(school: School, *, retired: bool = False) -> QuerySet[AgencyContact]:
    """The school's own contacts and its trust's defaults, current ones unless `retired`."""
    contacts = AgencyContact.objects.filter(
        Q(school=school) | Q(trust_id=school.trust_id, trust__isnull=False)
    )
    if not retired:
        contacts = contacts.filter(retired_at__isnull=True)
    return contacts.select_related("school", "trust").order_by("agency", "name", "pk")


def referrals_for_incident(incident: Incident) -> QuerySet[Referral]:
    """The incident's referrals, oldest first, with who made them and the contact used."""
    return Referral.objects.filter(incident=incident).select_related("made_by", "contact")


# --- One incident's referrals (issue 6 items 2–4, 7, 9) ------------------------------------


def _due_at() -> Coalesce:
    """When the agency's answer is due: the next chase date set by the newest follow-up
    that set one, else the referral's own response due date."""
    next_chase = (
        FollowUp.objects.filter(referral=OuterRef("pk"), next_due_at__isnull=False)
        .order_by("-chased_at", "-pk")
        .values("next_due_at")[:1]
    )
    return Coalesce(Subquery(next_chase), F("response_due_at"))


def _overdue(now: dt.datetime) -> Q:
    """No outcome (whether acknowledged or not) and the due moment has passed."""
    return Q(outcome="", due_at__lt=now) & ~Q(status=ReferralStatus.CLOSED)


def referrals_overdue(
    referrals: QuerySet[Referral] | None = None, *, now: dt.datetime | None = None
) -> QuerySet[Referral]:
    """The overdue referrals among `referrals` (all of them if not given): neither
    acknowledged nor answered, or acknowledged but not answered, by the due moment.

    Narrow `referrals` to what the reader may see first; the result also works inside
    `Exists(referrals_overdue(now=now).filter(incident=OuterRef("pk")))` for a caseload
    flag. A referral with no due date is never overdue.
    """
    base = Referral.objects.all() if referrals is None else referrals
    return base.annotate(due_at=_due_at()).filter(_overdue(now or timezone.now()))


def referrals_with_follow_ups(
    incident: Incident, *, now: dt.datetime, pk: int | None = None
) -> list[Referral]:
    """The incident's referrals (only `pk`, if given), oldest first, each with `due_at`,
    `is_overdue` and its follow-ups as `chases`, oldest first: always two queries, also
    when there is no referral (a prefetch would skip the second), so page query counts
    do not depend on the record."""
    referrals = referrals_for_incident(incident)
    if pk is not None:
        referrals = referrals.filter(pk=pk)
    found: list[Referral] = list(
        referrals.annotate(due_at=_due_at())
        .annotate(is_overdue=Case(When(_overdue(now), then=True), default=False))
        .order_by("made_at", "pk")
    )
    chases: dict[int, list[FollowUp]] = {referral.pk: [] for referral in found}
    follow_ups = FollowUp.objects.filter(referral__incident=incident).select_related("chased_by")
    for follow_up in follow_ups.order_by("chased_at", "pk"):
        if follow_up.referral_id in chases:
            chases[follow_up.referral_id].append(follow_up)
    for referral in found:
        referral.chases = chases[referral.pk]  # type: ignore[attr-defined]
    return found


def referral_of(incident: Incident, referral_id: int) -> Referral:
    """The incident's referral `referral_id`, as `referrals_with_follow_ups` gives it;
    another incident's (or another school's) referral is a 404 exactly like a missing one."""
    found = referrals_with_follow_ups(incident, now=timezone.now(), pk=referral_id)
    if not found:
        raise Http404("No such referral.")
    return found[0]


def triage_reasons(incident: Incident) -> str:
    """The immediate-referral criteria that fired in the newest triage, one per line with
    its reason and sources: the reasons a referral form starts from
    (docs/triage.md#output-the-assessment-json)."""
    assessment = incident.triage_assessments.order_by("-assessed_at", "-pk").first()
    if assessment is None:
        return ""
    return "\n".join(
        f"{triage_label(item['id'])}: {item['reason']} ({', '.join(item['sources'])})"
        for item in assessment.result.get("criteria", [])
    )


#: CEOP is a command of the National Crime Agency: a report to it involves the police too.
POLICE_AGENCIES = (Agency.POLICE, Agency.CEOP)


def parents_to_tell_of_police(incident: Incident) -> list[Involvement]:
    """The pupils whose parents should be told that the police are being informed
    (002 §3.5), while the incident has a referral to the police and nothing is recorded
    for them: no call for that purpose, and no decision not to inform their parents.
    Two queries."""
    pupils_without_contact = (
        Involvement.objects.filter(incident=incident, kind=PersonKind.PUPIL)
        .exclude(
            Exists(
                ParentContact.objects.filter(involvement=OuterRef("pk")).filter(
                    Q(purpose=ParentContactPurpose.POLICE_INFORMED) | Q(informed=False)
                )
            )
        )
        .select_related("pupil")
        .order_by("pk")
    )
    if not Referral.objects.filter(incident=incident, agency__in=POLICE_AGENCIES).exists():
        return []
    return list(pupils_without_contact)


# --- The timeline --------------------------------------------------------------------------


def _first_set(model: Any, incident: Incident, field: str) -> dict[int, Any]:
    """Each referral's oldest history record with `field` set: who recorded that step
    and when, since the referral keeps only the step's own date (one query)."""
    first: dict[int, Any] = {}
    for record in (
        model.history.filter(incident_id=incident.pk)
        .exclude(**{f"{field}__isnull": True})
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        first.setdefault(record.id, record)
    return first


def _recorded(record: Any, fallback_at: dt.datetime) -> dict[str, Any]:
    if record is None:
        return {"recorded_at": fallback_at, "recorded_by": person_name(None)}
    return {"recorded_at": record.history_date, "recorded_by": person_name(record.history_user)}


def _agency(referral: Referral) -> str:
    return referral.get_agency_display()


def timeline_entries(incident: Incident) -> list[TimelineEntry]:
    """Each referral when it was made, its acknowledgement and its outcome when they came,
    and each follow-up when it was made ("Escalated" where it was), placed when they
    happened. Five queries whatever the number of rows."""
    now = timezone.now()
    referrals = list(referrals_with_follow_ups(incident, now=now))
    made_by = creators_of(Referral, incident)
    acknowledged = _first_set(Referral, incident, "acknowledged_at")
    answered = _first_set(Referral, incident, "outcome_at")
    chasers = {
        record.id: record.history_user
        for record in FollowUp.history.filter(
            referral__incident=incident, history_type="+"
        ).select_related("history_user")
    }
    entries: list[TimelineEntry] = []
    for referral in referrals:
        link = reverse(
            "referrals:detail", kwargs={"incident_id": incident.pk, "referral_id": referral.pk}
        )
        link_text = f"Referral to {_agency(referral)}"
        details = [
            ("Agency", referral.agency_name or referral.get_agency_display()),
            ("How", referral.get_method_display()),
            ("Spoke to", referral.contact_name or "Not recorded"),
            ("Agency's reference", referral.reference_number or "None given"),
            ("Reasons", referral.reasons),
            ("Status", referral.get_status_display()),
        ]
        if referral.information_shared:
            details.append(("Shared", referral.information_shared))
        if not referral.outcome:
            details.append(("Outcome", "Awaited"))
        entries.append(
            TimelineEntry(
                when=referral.made_at,
                recorded_at=referral.recorded_at,
                recorded_by=person_name(made_by.get(referral.pk) or referral.made_by),
                kind="Referral",
                title=f"Referral to {_agency(referral)}",
                details=details,
                tag="Overdue" if referral.is_overdue else "",  # type: ignore[attr-defined]
                link=link,
                link_text=link_text,
            )
        )
        if referral.acknowledged_at is not None:
            entries.append(
                TimelineEntry(
                    when=referral.acknowledged_at,
                    **_recorded(acknowledged.get(referral.pk), referral.recorded_at),
                    kind="Referral",
                    title=f"{_agency(referral)} acknowledged the referral",
                    details=[("Agency's reference", referral.reference_number or "None given")],
                    link=link,
                    link_text=link_text,
                )
            )
        if referral.outcome_at is not None:
            details = [("Outcome", referral.get_outcome_display())]
            if referral.outcome_notes:
                details.append(("Notes", referral.outcome_notes))
            entries.append(
                TimelineEntry(
                    when=referral.outcome_at,
                    **_recorded(answered.get(referral.pk), referral.recorded_at),
                    kind="Referral",
                    title=f"Outcome of the referral to {_agency(referral)}: "
                    f"{referral.get_outcome_display()}",
                    details=details,
                    link=link,
                    link_text=link_text,
                )
            )
        for follow_up in referral.chases:  # type: ignore[attr-defined]
            details = [
                ("Spoke to", follow_up.spoke_to),
                ("How", follow_up.get_method_display()),
                ("What was said", follow_up.said),
                ("Chased by", person_name(follow_up.chased_by)),
            ]
            if follow_up.next_due_at is not None:
                details.append(("Chase again", when_text(follow_up.next_due_at)))
            entries.append(
                TimelineEntry(
                    when=follow_up.chased_at,
                    recorded_at=follow_up.recorded_at,
                    recorded_by=person_name(chasers.get(follow_up.pk) or follow_up.chased_by),
                    kind="Referral",
                    title=f"Referral to {_agency(referral)} chased"
                    + (" and escalated" if follow_up.escalation else ""),
                    details=details,
                    tag="Escalated" if follow_up.escalation else "",
                    link=link,
                    link_text=link_text,
                )
            )
    return entries

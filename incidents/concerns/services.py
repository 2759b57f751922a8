"""Reporting a concern, and each step the DSL takes with it (docs/concerns.md).

Keyword-only, typed, one transaction each. A concern is never changed once sent: each
step writes a row of its own (`incidents.models.concern`). The DSLs are emailed when a
concern is sent; the headteacher when it is not acknowledged within the school's time
(`concern_escalate`, run by the task `escalate_concern` at the moment it falls due, and
by `manage.py escalate_concerns` from cron). The emails name the school and the
concern's reference, nothing else (docs/notifications.md#what-a-message-says).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from incidents.models import (
    CameToLight,
    Concern,
    ConcernAcknowledgement,
    ConcernEscalation,
    ConcernNote,
    ConcernOutcome,
    ConcernOutcomeKind,
    ConcernPupil,
    Incident,
    IncidentStatus,
    PersonKind,
)
from incidents.services import incident_create, involvement_add
from safeguarding.access import school_members_with
from safeguarding.audit import save_audited, update_audited
from safeguarding.models import Pupil, School, User
from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.services import notify
from safeguarding.references import next_reference
from safeguarding.roles import MANAGE_INCIDENTS, SIGN_OFF
from safeguarding.school_day import school_minutes_later

NO_PUPIL = "Choose the pupil or pupils, or describe them if you do not know their names."
ALREADY_DECIDED = "A DSL has already decided what this concern is."


def concern_link(concern: Concern) -> str:
    return reverse("concerns:detail", kwargs={"concern_id": concern.pk})


@transaction.atomic
def concern_report(
    *,
    actor: User,
    school: School,
    pupils: Sequence[Pupil],
    unnamed_pupils: str,
    happened_at: dt.datetime,
    account: str,
    location: str = "",
    child_words: str = "",
    others_present: str = "",
    action_taken: str = "",
) -> Concern:
    """Send a concern to the school's DSLs: saved once, never changed, and the DSLs
    told at once. It falls due for acknowledgement the school's minutes later,
    counted in its school day."""
    if not pupils and not unnamed_pupils.strip():
        raise ValidationError({"pupils": NO_PUPIL})
    if any(pupil.school_id != school.pk for pupil in pupils):
        raise ValidationError({"pupils": "Choose pupils of this school."})
    locked = School.objects.select_for_update().get(pk=school.pk)
    reported_at = timezone.now()
    concern = save_audited(
        Concern(
            school=locked,
            reference=next_reference(
                Concern,
                locked,
                f"{locked.reference_prefix}-C-{timezone.localdate(reported_at).year}-",
            ),
            reported_by=actor,
            reported_at=reported_at,
            happened_at=happened_at,
            location=location,
            unnamed_pupils=unnamed_pupils,
            account=account,
            child_words=child_words,
            others_present=others_present,
            action_taken=action_taken,
            acknowledge_by=school_minutes_later(
                locked, reported_at, locked.concern_acknowledge_minutes
            ),
        ),
        actor=actor,
    )
    for pupil in dict.fromkeys(pupils):
        save_audited(ConcernPupil(concern=concern, pupil=pupil), actor=actor)
    notify(
        event=NotificationEvent.CONCERN_REPORTED,
        school=locked,
        recipients=school_members_with(locked, MANAGE_INCIDENTS).exclude(pk=actor.pk),
        link=concern_link(concern),
        actor=actor,
        reference=concern.reference,
        key=f"concern:{concern.pk}",
    )
    # Imported here: the task module imports this one for `concern_escalate`.
    from incidents.concerns.tasks import schedule_escalation

    # The concern is saved whatever happens to the queue: cron escalates it if this fails.
    transaction.on_commit(partial(schedule_escalation, concern), robust=True)
    return concern


@transaction.atomic
def concern_note_add(*, actor: User, concern: Concern, text: str) -> ConcernNote:
    """A later note by the reporter, kept in order beside the concern."""
    if concern.reported_by_id != actor.pk:
        raise ValidationError({"text": "Only the person who reported a concern adds notes to it."})
    note = save_audited(ConcernNote(concern=concern, text=text, written_by=actor), actor=actor)
    # New information cannot wait for someone to open the page: the DSLs are told.
    notify(
        event=NotificationEvent.CONCERN_NOTE_ADDED,
        school=concern.school,
        recipients=school_members_with(concern.school, MANAGE_INCIDENTS).exclude(pk=actor.pk),
        link=concern_link(concern),
        actor=actor,
        reference=concern.reference,
        key=f"concern-note:{note.pk}",
    )
    return note


def _locked(concern: Concern) -> Concern:
    return Concern.objects.select_for_update().select_related("school").get(pk=concern.pk)


def _acknowledged(actor: User, concern: Concern) -> ConcernAcknowledgement | None:
    """The acknowledgement, made now by `actor` if there is none yet (the caller holds
    the concern's lock); None if it already existed."""
    if ConcernAcknowledgement.objects.filter(concern=concern).exists():
        return None
    return save_audited(ConcernAcknowledgement(concern=concern, acknowledged_by=actor), actor=actor)


@transaction.atomic
def concern_acknowledge(*, actor: User, concern: Concern) -> ConcernAcknowledgement:
    """The DSL has read the concern: it is no longer waiting, and is not escalated."""
    locked = _locked(concern)
    made = _acknowledged(actor, locked)
    if made is None:
        existing = ConcernAcknowledgement.objects.select_related("acknowledged_by").get(
            concern=locked
        )
        raise ValidationError(
            f"{existing.acknowledged_by.full_name} acknowledged this concern at "
            f"{timezone.localtime(existing.acknowledged_at):%H:%M on %-d %B %Y}."
        )
    return made


def _decide(
    actor: User,
    concern: Concern,
    kind: str,
    *,
    incident: Incident | None = None,
    reason: str = "",
) -> ConcernOutcome:
    if ConcernOutcome.objects.filter(concern=concern).exists():
        raise ValidationError(ALREADY_DECIDED)
    _acknowledged(actor, concern)
    return save_audited(
        ConcernOutcome(
            concern=concern, kind=kind, incident=incident, reason=reason, decided_by=actor
        ),
        actor=actor,
    )


def _add_pupils(
    actor: User, concern: Concern, incident: Incident, roles: Mapping[int, Sequence[str]]
) -> None:
    """Add each of the concern's pupils the DSL gave roles to, unless already involved."""
    involved = set(incident.involvements.values_list("pupil_id", flat=True))
    for named in concern.named_pupils.select_related("pupil"):
        pupil_roles = list(roles.get(named.pupil_id, ()))
        if pupil_roles and named.pupil_id not in involved:
            involvement_add(
                actor=actor,
                incident=incident,
                kind=PersonKind.PUPIL,
                pupil=named.pupil,
                roles=pupil_roles,
            )


@transaction.atomic
def concern_open_incident(
    *, actor: User, concern: Concern, roles: Mapping[int, Sequence[str]]
) -> Incident:
    """A new incident from the concern: came to light through a member of staff, when
    they saw or heard it, with its account as the narrative and the pupils the DSL gave
    roles to. The concern itself is the first entry of the incident's chronology."""
    locked = _locked(concern)
    if ConcernOutcome.objects.filter(concern=locked).exists():
        raise ValidationError(ALREADY_DECIDED)
    incident = incident_create(
        actor=actor,
        school=locked.school,
        came_to_light_how=CameToLight.STAFF,
        came_to_light_at=locked.happened_at,
        narrative=locked.account,
    )
    _add_pupils(actor, locked, incident, roles)
    _decide(actor, locked, ConcernOutcomeKind.INCIDENT_OPENED, incident=incident)
    return incident


@transaction.atomic
def concern_add_to_incident(
    *, actor: User, concern: Concern, incident: Incident, roles: Mapping[int, Sequence[str]]
) -> ConcernOutcome:
    """The concern is about an incident already recorded: it joins that incident's
    chronology, with the pupils the DSL gave roles to."""
    locked = _locked(concern)
    if incident.school_id != locked.school_id:
        raise ValidationError({"incident": "Choose an incident of this school."})
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError({"incident": "This incident is closed: reopen it first."})
    outcome = _decide(actor, locked, ConcernOutcomeKind.ADDED_TO_INCIDENT, incident=incident)
    _add_pupils(actor, locked, incident, roles)
    return outcome


@transaction.atomic
def concern_refer_to_wider_procedures(
    *, actor: User, concern: Concern, reason: str
) -> ConcernOutcome:
    """Not a nudes or semi-nudes matter: handled under the school's wider safeguarding
    procedures, and the reason recorded here."""
    return _decide(
        actor, _locked(concern), ConcernOutcomeKind.WIDER_SAFEGUARDING, reason=reason.strip()
    )


@transaction.atomic
def concern_escalate(*, concern_id: int, now: dt.datetime | None = None) -> bool:
    """Tell the headteacher of a concern past its time and not acknowledged; once.

    False, doing nothing, when it is acknowledged, already escalated or not yet due:
    this runs from a task at the moment it falls due and from cron, so it may run twice.
    """
    now = now or timezone.now()
    concern = Concern.objects.select_for_update().select_related("school").get(pk=concern_id)
    if (
        now < concern.acknowledge_by
        or ConcernAcknowledgement.objects.filter(concern=concern).exists()
        or ConcernEscalation.objects.filter(concern=concern).exists()
    ):
        return False
    # The system acts: no person is named in the history row.
    save_audited(ConcernEscalation(concern=concern), actor=None)  # type: ignore[arg-type]
    notify(
        event=NotificationEvent.CONCERN_OVERDUE,
        school=concern.school,
        recipients=school_members_with(concern.school, SIGN_OFF),
        link=concern_link(concern),
        actor=None,
        reference=concern.reference,
        key=f"concern-overdue:{concern.pk}",
    )
    return True


def concerns_escalate_due(*, now: dt.datetime | None = None) -> int:
    """Escalate every concern past its time; how many were. Each in its own transaction,
    so one that fails does not hold back the others."""
    now = now or timezone.now()
    due = Concern.objects.filter(
        acknowledge_by__lte=now, acknowledgement__isnull=True, escalation__isnull=True
    ).values_list("pk", flat=True)
    return sum(concern_escalate(concern_id=pk, now=now) for pk in list(due))


@transaction.atomic
def concern_settings_change(
    *, actor: User, school: School, expected_version: int, **changes: object
) -> School:
    """Who staff tell and how fast the DSL must answer; audited like every change.
    Concerns already sent keep the time they fell due with."""
    allowed = {
        "dsl_contact_name",
        "dsl_contact_phone",
        "concern_acknowledge_minutes",
        "school_day_starts",
        "school_day_ends",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Not a concern setting: {sorted(unknown)}")
    return update_audited(school, actor=actor, expected_version=expected_version, changes=changes)

"""The incident and the people involved in it: what was shared, by whom, and how it
came to light. Every other part of the record points at these two."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.ages import age_on
from safeguarding.history_chain import ChainedHistory
from safeguarding.models import Pupil, School, Sex, SocialCare

ADULT_AGE = 18


class CameToLight(models.TextChoices):
    """How the incident came to the DSL's attention (002 §3.1–§3.2)."""

    DISCLOSURE_PUPIL = "disclosure_pupil", "Disclosure by the pupil involved"
    DISCLOSURE_FRIEND = "disclosure_friend", "Disclosure by a friend or another pupil"
    PARENT = "parent", "Reported by a parent or carer"
    STAFF = "staff", "Noticed or reported by a member of staff"
    POLICE = "police", "Reported by the police"
    FOUND_ON_DEVICE = "found_on_device", "Found on a device"
    OTHER = "other", "Other"


class IncidentStatus(models.TextChoices):
    """Where the case stands. The workflow moves it; `closed` needs an outcome summary."""

    LOGGING = "logging", "Being logged"
    AWAITING_REVIEW = "awaiting_review", "Awaiting initial review"
    REFERRED = "referred", "Referred"
    MANAGED_IN_SCHOOL = "managed_in_school", "Managed in school"
    CLOSED = "closed", "Closed"


class Incident(models.Model):
    """One incident, identified to people by a reference such as RA-2026-0007."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="incidents")
    reference = models.CharField(max_length=20, editable=False)
    came_to_light_how = models.CharField(max_length=20, choices=CameToLight.choices)
    came_to_light_at = models.DateTimeField(
        help_text="When the incident first came to a member of staff's attention."
    )
    imagery_created_on = models.DateField(
        null=True, blank=True, help_text="When the imagery was made, if known."
    )
    narrative = models.TextField(
        blank=True, help_text="What happened, in the words of the person who reported it."
    )

    # What is known about the imagery, described and never stored (002 §5.1).
    imagery_description = models.TextField(blank=True)
    sexual_acts = models.BooleanField("the imagery shows sexual acts", default=False)
    extreme_or_violent = models.BooleanField("the imagery is extreme or violent", default=False)
    unusual_for_development = models.BooleanField(
        "the imagery shows acts unusual for the child's developmental stage", default=False
    )
    ai_generated = models.BooleanField("the imagery is or may be AI-generated", default=False)

    # How it was shared (docs/triage.md#input-the-facts-json, "sharing").
    relationship = models.BooleanField("shared within a relationship", default=False)
    consensual = models.BooleanField("shared with the pictured child's consent", default=True)
    without_knowledge_of_pictured = models.BooleanField(
        "taken or shared without the pictured child's knowledge", default=False
    )
    malicious = models.BooleanField("shared to cause harm or distress", default=False)
    shared_widely = models.BooleanField("shared widely", default=False)
    posted_online = models.BooleanField("posted online", default=False)
    never_sent = models.BooleanField("made but never sent", default=False)
    financial_demand = models.BooleanField(
        "money or more images demanded (financially motivated sexual extortion)", default=False
    )
    platforms = models.CharField(
        max_length=500, blank=True, help_text="Apps and sites involved, e.g. Snapchat, WhatsApp."
    )

    status = models.CharField(
        max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.LOGGING
    )
    restricted = models.BooleanField(
        default=False,
        help_text="Only named staff may see a restricted incident (e.g. a staff member's child).",
    )
    lead_dsl = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="incidents_led",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome_summary = models.TextField(blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic concurrency: a save must name the version it was read at.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["-came_to_light_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"], name="incident_reference_unique_per_school"
            ),
            models.CheckConstraint(
                condition=Q(status__in=IncidentStatus.values), name="incident_status_known"
            ),
            models.CheckConstraint(
                condition=Q(came_to_light_how__in=CameToLight.values),
                name="incident_came_to_light_how_known",
            ),
            models.CheckConstraint(
                condition=~Q(status=IncidentStatus.CLOSED)
                | (Q(closed_at__isnull=False) & ~Q(outcome_summary="")),
                name="incident_closed_has_outcome_summary",
            ),
        ]
        indexes = [models.Index(fields=["school", "status"])]
        permissions = [
            ("access_restricted_incident", "Read and manage this restricted incident"),
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        super().clean()
        if self.came_to_light_at and self.came_to_light_at > timezone.now():
            raise ValidationError({"came_to_light_at": "This date is in the future."})
        if (
            self.imagery_created_on
            and self.came_to_light_at
            and self.imagery_created_on > timezone.localdate(self.came_to_light_at)
        ):
            raise ValidationError(
                {"imagery_created_on": "The imagery cannot postdate the incident coming to light."}
            )
        if self.status == IncidentStatus.CLOSED and not self.outcome_summary.strip():
            raise ValidationError({"outcome_summary": "Closing a case needs an outcome summary."})

    @property
    def incident_date(self) -> dt.date:
        """The date ages are taken at (docs/triage.md#input-the-facts-json)."""
        return timezone.localdate(self.came_to_light_at)


class PersonKind(models.TextChoices):
    PUPIL = "pupil", "A pupil on this school's roll"
    CHILD = "child", "Another child (under 18, not on roll)"
    ADULT = "adult", "An adult (18 or over)"
    UNKNOWN = "unknown", "An online contact whose age is not known"


class InvolvementRole(models.TextChoices):
    """How a person is involved; a person may have several roles."""

    PICTURED = "pictured", "Pictured"
    CREATOR = "creator", "Made the imagery"
    SENDER = "sender", "Sent it"
    RECIPIENT = "recipient", "Received it"
    SHARER = "sharer", "Shared it on"
    POSSESSOR = "possessor", "Has it"
    REQUESTER = "requester", "Asked for it"


ROLE_FIELDS: dict[str, str] = {role.value: f"is_{role.value}" for role in InvolvementRole}


class Involvement(models.Model):
    """A person in an incident: a pupil on roll, or someone else described in words."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="involvements")
    kind = models.CharField(max_length=10, choices=PersonKind.choices)
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="involvements", null=True, blank=True
    )
    description = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who this is, for someone not on roll (e.g. 'Year 10 pupil at Hill School').",
    )
    date_of_birth = models.DateField(null=True, blank=True, help_text="If known (not on roll).")
    age = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text="Age in years, if the date of birth is not known (not on roll).",
    )
    sex = models.CharField(
        max_length=1,
        choices=Sex.choices,
        blank=True,
        help_text="If known (not on roll): who may view imagery depends on it (002 §5.1).",
    )

    is_pictured = models.BooleanField("pictured", default=False)
    is_creator = models.BooleanField("made the imagery", default=False)
    is_sender = models.BooleanField("sent it", default=False)
    is_recipient = models.BooleanField("received it", default=False)
    is_sharer = models.BooleanField("shared it on", default=False)
    is_possessor = models.BooleanField("has it", default=False)
    is_requester = models.BooleanField("asked for it", default=False)

    # Vulnerability of someone not on roll; for a pupil these come from the Pupil record.
    looked_after = models.BooleanField(default=False)
    social_care = models.CharField(
        max_length=10, choices=SocialCare.choices, default=SocialCare.NONE
    )
    child_protection_history = models.BooleanField(default=False)
    send = models.BooleanField(default=False)

    # Per-person risk flags (docs/triage.md#input-the-facts-json).
    previous_incidents = models.PositiveSmallIntegerField(
        default=0,
        help_text=(
            "Earlier incidents of this kind known about this person that are not recorded "
            "here; a pupil's earlier incidents recorded here are counted automatically."
        ),
    )
    coerced = models.BooleanField(default=False)
    blackmailed = models.BooleanField(default=False)
    groomed = models.BooleanField(default=False)
    capacity_concern = models.BooleanField("concern about capacity to consent", default=False)
    at_immediate_risk = models.BooleanField("at immediate risk of harm", default=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=PersonKind.PUPIL) & Q(pupil__isnull=False))
                | (~Q(kind=PersonKind.PUPIL) & Q(pupil__isnull=True)),
                name="involvement_pupil_iff_kind_pupil",
            ),
            models.CheckConstraint(
                condition=Q(kind=PersonKind.PUPIL) | ~Q(description=""),
                name="involvement_other_person_described",
            ),
            models.CheckConstraint(
                condition=~Q(kind=PersonKind.PUPIL)
                | (
                    Q(date_of_birth__isnull=True, age__isnull=True, looked_after=False, sex="")
                    & Q(social_care=SocialCare.NONE, child_protection_history=False, send=False)
                ),
                name="involvement_pupil_facts_from_pupil_record",
            ),
            models.CheckConstraint(
                condition=Q(is_pictured=True)
                | Q(is_creator=True)
                | Q(is_sender=True)
                | Q(is_recipient=True)
                | Q(is_sharer=True)
                | Q(is_possessor=True)
                | Q(is_requester=True),
                name="involvement_has_a_role",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PersonKind.values), name="involvement_kind_known"
            ),
            models.UniqueConstraint(
                fields=["incident", "pupil"],
                condition=Q(pupil__isnull=False),
                name="involvement_pupil_once_per_incident",
            ),
        ]

    def __str__(self) -> str:
        return self.pupil.full_name if self.pupil else self.description

    @property
    def person_sex(self) -> str:
        """The person's sex from the pupil record, or as recorded here ("" if not known)."""
        return self.pupil.sex if self.pupil else self.sex

    @property
    def roles(self) -> list[str]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.kind == PersonKind.PUPIL:
            pupil = self.pupil
            if pupil is None:
                errors["pupil"] = "Choose the pupil from the school's roll."
            elif self.incident_id and pupil.school_id != self.incident.school_id:
                errors["pupil"] = "This pupil is not on this school's roll."
        else:
            if self.pupil_id is not None:
                errors["pupil"] = "Only a pupil on roll is linked to a pupil record."
            if not self.description.strip():
                errors["description"] = "Say who this person is."
            errors.update(self._age_problems())
            if self.looked_after and self.social_care != SocialCare.CURRENT:
                errors["social_care"] = "A looked-after child has current social-care involvement."
        if not self.roles:
            errors["is_pictured"] = "Choose at least one way this person is involved."
        if errors:
            raise ValidationError(errors)

    def _age_problems(self) -> dict[str, str]:
        """The kind must agree with the age, taken on the date triage takes it: when the
        imagery was made for someone pictured, else when the incident came to light."""
        if self.kind == PersonKind.UNKNOWN:
            if self.age is not None or self.date_of_birth is not None:
                field = "age" if self.age is not None else "date_of_birth"
                return {field: "If the age is known, choose 'another child' or 'an adult'."}
            return {}
        on = timezone.localdate()
        if self.incident_id:
            incident = self.incident
            on = incident.incident_date
            if self.is_pictured and incident.imagery_created_on:
                on = incident.imagery_created_on
        field, age = "age", self.age
        if self.date_of_birth is not None:
            if self.date_of_birth > on:
                return {"date_of_birth": f"The date of birth is after {on:%-d %B %Y}."}
            field, age = "date_of_birth", age_on(self.date_of_birth, on)
        if age is None:
            return {}
        if self.kind == PersonKind.ADULT and age < ADULT_AGE:
            return {field: f"An adult is 18 or over; this person was {age} on {on:%-d %B %Y}."}
        if self.kind == PersonKind.CHILD and age >= ADULT_AGE:
            return {field: f"A child is under 18; this person was {age} on {on:%-d %B %Y}."}
        return {}

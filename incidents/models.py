"""Incidents of sharing nudes and semi-nudes, and what the school recorded about them.

The imagery itself is never stored, only described in words: possessing or
distributing it is an offence (002 §2.0, §5.1). Every model keeps its history, and no
row is ever deleted by the application.
"""

from __future__ import annotations

import datetime as dt
import uuid

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

    # How it was shared (DESIGN.md §5.1, "sharing").
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
        """The date ages are taken at (DESIGN.md §5.1)."""
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

    # Per-person risk flags (DESIGN.md §5.1).
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


class DecisionKind(models.TextChoices):
    INITIAL_REVIEW = "initial_review", "Initial review meeting (002 §3.3)"
    REVIEW = "review", "Later review"


class DecisionOutcome(models.TextChoices):
    REFER_POLICE = "refer_police", "Refer to the police"
    REFER_SOCIAL_CARE = "refer_social_care", "Refer to children's social care"
    REFER_BOTH = "refer_both", "Refer to the police and children's social care"
    MANAGE_IN_SCHOOL = "manage_in_school", "Manage within school, without referral"

    @classmethod
    def not_referred(cls) -> list[str]:
        return [cls.MANAGE_IN_SCHOOL]


class Decision(models.Model):
    """A decision about the case, with the reasons (002 §3.3, §7.0).

    A decision not to refer must be signed off by the headteacher (002 §7.0); the
    sign-off page reads `needs_sign_off`.
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    rationale = models.TextField(help_text="Why this decision was made. Required.")
    against_triage_reason = models.TextField(
        blank=True, help_text="Why the decision departs from the triage recommendation."
    )
    attendees = models.TextField(blank=True, help_text="Who took part in the meeting.")
    review_answers = models.JSONField(
        default=dict,
        blank=True,
        help_text="Answers to the 002 §3.3 questions, keyed as in incidents.review.",
    )
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    # Optimistic concurrency for corrections to the reasons (`decision_update`).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="decision_has_rationale"),
            models.CheckConstraint(
                condition=Q(kind__in=DecisionKind.values), name="decision_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=DecisionOutcome.values), name="decision_outcome_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"

    @property
    def needs_sign_off(self) -> bool:
        return self.outcome in DecisionOutcome.not_referred()

    def clean(self) -> None:
        super().clean()
        if not self.rationale.strip():
            raise ValidationError({"rationale": "Record why this decision was made."})
        if self.decided_at and self.decided_at > timezone.now():
            raise ValidationError({"decided_at": "This date is in the future."})


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    EMAIL = "email", "Email"
    ONLINE_FORM = "online_form", "Online form"  # e.g. a MASH or police referral form
    LETTER = "letter", "Letter"

    @classmethod
    def with_a_person(cls) -> list[tuple[str, str]]:
        """The ways of telling a person (parents are not told through an online form)."""
        return [(value, label) for value, label in cls.choices if value != cls.ONLINE_FORM]


class ParentContactPurpose(models.TextChoices):
    """Why parents were contacted: the guidance requires a call at several points."""

    INCIDENT = "incident", "To tell them about the incident (002 §3.5)"
    POLICE_INFORMED = "police_informed", "The police are being informed (002 §3.5)"
    DEVICE_REMOVED = "device_removed", "A device is being removed from the child (002 §3.5, §3.8)"
    DEVICE_REFUSED = "device_refused", "The child refused to hand over a device (002 §3.8)"
    NO_DEVICE_SEARCH = (
        "no_device_search",
        "Staff may not search the device or delete the imagery here (002 §5.2)",
    )


class ParentContact(models.Model):
    """Parents told about an incident, or the recorded decision not to tell them.

    Parents should be informed unless that would put the child at risk; not informing
    them needs written reasons and who it was agreed with (002 §3.5, Annex A).
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="parent_contacts")
    involvement = models.ForeignKey(
        Involvement,
        on_delete=models.PROTECT,
        related_name="parent_contacts",
        help_text="The child whose parents or carers this is about.",
    )
    informed = models.BooleanField(
        default=True, help_text="False records a decision not to inform, with reasons."
    )
    purpose = models.CharField(
        max_length=20, choices=ParentContactPurpose.choices, default=ParentContactPurpose.INCIDENT
    )
    contact_name = models.CharField(max_length=150, blank=True)
    relationship = models.CharField(max_length=50, blank=True, help_text="e.g. mother, carer.")
    method = models.CharField(max_length=20, choices=ContactMethod.choices, blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    advice_given = models.TextField(blank=True)
    not_informed_reasons = models.TextField(blank=True)
    agreed_with = models.CharField(
        max_length=200, blank=True, help_text="Who the decision not to inform was agreed with."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(informed=False)
                | (Q(contacted_at__isnull=False) & ~Q(contact_name="") & ~Q(method="")),
                name="parent_contact_informed_has_who_how_when",
            ),
            models.CheckConstraint(
                condition=Q(informed=True) | (~Q(not_informed_reasons="") & ~Q(agreed_with="")),
                name="parent_contact_not_informed_has_reasons",
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=ParentContactPurpose.values),
                name="parent_contact_purpose_known",
            ),
        ]

    def __str__(self) -> str:
        if self.informed:
            return f"{self.contact_name} ({self.relationship}) informed"
        return "Decision not to inform parents"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.informed:
            if not self.contact_name.strip():
                errors["contact_name"] = "Say who was contacted."
            if not self.method:
                errors["method"] = "Say how they were contacted."
            if self.contacted_at is None:
                errors["contacted_at"] = "Say when they were contacted."
            elif self.contacted_at > timezone.now():
                errors["contacted_at"] = "This date is in the future."
        else:
            if not self.not_informed_reasons.strip():
                errors["not_informed_reasons"] = "Record why parents are not being informed."
            if not self.agreed_with.strip():
                errors["agreed_with"] = "Record who this decision was agreed with."
        if (
            self.incident_id
            and self.involvement_id
            and (self.involvement.incident_id != self.incident_id)
        ):
            errors["involvement"] = "This person is not part of this incident."
        if errors:
            raise ValidationError(errors)


class TriageAssessment(models.Model):
    """The triage of an incident's facts at one moment (DESIGN.md §5).

    A new assessment is stored whenever the facts or the school's policy change
    (`incidents.services.triage_refresh`); the newest is the one the workflow shows,
    and the older ones stay so the record shows what was known when each decision
    was made. `facts` is the exact input and `result` the exact output of
    `incidents.triage.rules`, in the JSON shape `manage.py triage` reads and prints.
    """

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="triage_assessments"
    )
    assessed_at = models.DateTimeField(default=timezone.now, editable=False)
    policy = models.CharField(max_length=20)
    facts = models.JSONField()
    result = models.JSONField()
    immediate_referral = models.BooleanField()
    recommendation = models.CharField(max_length=30, blank=True)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "-assessed_at", "-pk"]
        get_latest_by = ["assessed_at", "pk"]

    def __str__(self) -> str:
        return f"Triage of {self.incident} at {self.assessed_at:%Y-%m-%d %H:%M}"


class IncidentAccessGrant(models.Model):
    """A named person's access to a restricted incident, granted and revoked by a DSL.

    The grant carries the django-guardian permission `access_restricted_incident` on
    the incident; this row is the audited record of who granted it, when, and when it
    ended (`incidents.services.restricted_access_grant` / `_revoke`).
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(help_text="Why this person needs to see the restricted record.")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "user"],
                condition=Q(revoked_at__isnull=True),
                name="access_grant_one_active_per_person",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="access_grant_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.user} may see {self.incident}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class DocumentKind(models.TextChoices):
    REFERRAL_FORM = "referral_form", "Referral form"
    POLICE = "police_correspondence", "Police correspondence"
    SOCIAL_CARE = "social_care_correspondence", "Children's social care correspondence"
    MEETING_MINUTES = "meeting_minutes", "Meeting minutes"
    OTHER = "other", "Other"


class IncidentDocument(models.Model):
    """A document attached to an incident, such as a referral form (docs/documents.md).

    Never a picture or video: `safeguarding.uploads.checks` refuses those by content (002 §2.0,
    §5.1). The file lives under `PRIVATE_FILES_ROOT` named only by `stored_name`, a
    random UUID; the name it was uploaded with is shown to people, never used as a path.
    A document is withdrawn, never deleted: the row and the file stay for the record.
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    original_name = models.CharField(
        max_length=255, help_text="The file's name when uploaded; shown, never used for storage."
    )
    stored_name = models.CharField(
        max_length=32, unique=True, editable=False, help_text="A random UUID, in hex."
    )
    media_type = models.CharField(max_length=100, help_text="Detected from the content.")
    size = models.PositiveBigIntegerField(help_text="In bytes.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file, in hex.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawn_reason = models.TextField(blank=True)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="document_kind_known"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="document_has_title"),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
            models.UniqueConstraint(
                fields=["incident", "sha256"],
                condition=Q(withdrawn_at__isnull=True),
                name="document_attached_once_per_incident",
            ),
            models.CheckConstraint(
                condition=Q(
                    withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawn_reason=""
                )
                | (
                    Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                    & ~Q(withdrawn_reason="")
                ),
                name="document_withdrawn_has_who_when_why",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.title.strip():
            errors["title"] = "Give the document a title."
        if not _is_hex(self.stored_name, 32):
            errors["stored_name"] = "A stored name is a random UUID in hex, never a file name."
        if not _is_hex(self.sha256, 64):
            errors["sha256"] = "A SHA-256 digest is 64 hexadecimal digits."
        if self.withdrawn_at is not None and not self.withdrawn_reason.strip():
            errors["withdrawn_reason"] = "Say why the document is withdrawn."
        if errors:
            raise ValidationError(errors)


def _is_hex(value: str, length: int) -> bool:
    return len(value) == length and all(c in "0123456789abcdef" for c in value)


# --- What the school did in response (002 §3.4, §3.8, §5–§6, §8) -------------------------
#
# Each row below is one entry of the incident's chronology: `when` the thing happened
# may be earlier than `recorded_at` (a backdated entry falls into place). Rows that are
# completed later (a device handed to the police, a deletion confirmed, a take-down
# answered) carry a `version` and are changed only through `update_audited`.


class RiskAssessment(models.Model):
    """The DSL's further review when the school has not referred (002 §3.4, Annex A).

    `answers` maps each Annex A question key (`incidents.risk.questions`) to
    `{"answer": "yes" | "no" | "not_known", "note": str}`. Answers that are triage facts
    are also written to the incident, so the triage follows the assessment.
    """

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="risk_assessments"
    )
    answers = models.JSONField(default=dict)
    summary = models.TextField(help_text="The risks found and how they will be managed.")
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "assessed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(summary=""), name="risk_assessment_has_summary"),
        ]

    def __str__(self) -> str:
        return f"Risk assessment of {self.incident}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.summary.strip():
            errors["summary"] = "Summarise the risks and how they will be managed."
        if self.assessed_at and self.assessed_at > timezone.now():
            errors["assessed_at"] = "This date is in the future."
        if errors:
            raise ValidationError(errors)


class ViewingReason(models.TextChoices):
    """The only three reasons to view imagery (002 §5.1)."""

    ONLY_WAY_TO_DECIDE = (
        "only_way_to_decide",
        "It is the only way to decide whether to involve other agencies: the facts "
        "cannot be established from the pupils involved",
    )
    TO_REPORT = (
        "to_report",
        "It is necessary to report the imagery for take-down, or to support the child or "
        "parent in making a report",
    )
    UNAVOIDABLE = (
        "unavoidable",
        "It was unavoidable: a pupil presented it to a member of staff, or it was found on "
        "a school device or network",
    )


class ImageryViewing(models.Model):
    """A member of staff viewed the imagery: why, who was present, what followed (002 §5.1).

    The viewer is one person, the DSL or delegated safeguarding staff, of the same sex as
    the pupil pictured; the headteacher is told. The imagery is never copied, printed or
    shared, and never stored here. A viewing goes to the headteacher's sign-off queue.
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="viewings")
    pictured = models.ForeignKey(
        Involvement,
        on_delete=models.PROTECT,
        related_name="viewings",
        help_text="The person pictured in the imagery that was viewed.",
    )
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=30, choices=ViewingReason.choices)
    reason_details = models.TextField(help_text="Why viewing was necessary in this case.")
    viewed_at = models.DateTimeField()
    present = models.TextField(help_text="Who else was in the room (no one else viewed it).")
    headteacher_informed_at = models.DateTimeField(
        help_text="When the headteacher was told of the decision to view and why."
    )
    what_followed = models.TextField(help_text="What was done as a result of viewing.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "viewed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ViewingReason.values), name="viewing_reason_permitted"
            ),
            models.CheckConstraint(
                condition=~Q(reason_details="") & ~Q(present="") & ~Q(what_followed=""),
                name="viewing_has_why_who_what_followed",
            ),
        ]

    def __str__(self) -> str:
        return f"Imagery viewed by {self.viewer}"

    @property
    def needs_sign_off(self) -> bool:
        return True

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        for name, message in (
            ("reason_details", "Say why viewing was necessary in this case."),
            ("present", "Say who was present (write 'No one else' if so)."),
            ("what_followed", "Say what was done as a result of viewing."),
        ):
            if not getattr(self, name).strip():
                errors[name] = message
        now = timezone.now()
        if self.viewed_at and self.viewed_at > now:
            errors["viewed_at"] = "This date is in the future."
        if self.headteacher_informed_at and self.headteacher_informed_at > now:
            errors["headteacher_informed_at"] = "This date is in the future."
        if self.incident_id and self.pictured_id:
            if self.pictured.incident_id != self.incident_id:
                errors["pictured"] = "This person is not part of this incident."
            elif not self.pictured.is_pictured:
                errors["pictured"] = "This person is not recorded as pictured in the imagery."
        if errors:
            raise ValidationError(errors)


class DeviceSeizure(models.Model):
    """A device confiscated to hand to the police, or the child's refusal (002 §3.8).

    The device is switched off and locked away until the police collect it; it is never
    searched for the imagery by staff. A refusal is recorded with the parents being told.
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="seizures")
    involvement = models.ForeignKey(
        Involvement,
        on_delete=models.PROTECT,
        related_name="seizures",
        help_text="Whose device it is.",
    )
    device = models.CharField(max_length=200, help_text="e.g. 'black iPhone 13 in a red case'.")
    refused = models.BooleanField(
        default=False, help_text="The child refused to hand the device over."
    )
    seized_at = models.DateTimeField(help_text="When it was taken, or when the child refused.")
    seized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    switched_off = models.BooleanField(default=False)
    stored_where = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where it is locked away, e.g. 'safe in the DSL's office'.",
    )
    police_informed_at = models.DateTimeField(null=True, blank=True)
    handed_to_police_at = models.DateTimeField(null=True, blank=True)
    handed_to = models.CharField(
        max_length=200, blank=True, help_text="The officer's name and collar number."
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "seized_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refused=True) | (Q(switched_off=True) & ~Q(stored_where="")),
                name="seizure_switched_off_and_locked_away",
            ),
            models.CheckConstraint(
                condition=Q(refused=False)
                | Q(switched_off=False, stored_where="", handed_to_police_at__isnull=True),
                name="seizure_refused_has_no_device",
            ),
            models.CheckConstraint(
                condition=Q(handed_to_police_at__isnull=True) | ~Q(handed_to=""),
                name="seizure_handed_to_named_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{'Refused: ' if self.refused else ''}{self.device}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.device.strip():
            errors["device"] = "Describe the device."
        if self.refused:
            if self.switched_off or self.stored_where or self.handed_to_police_at:
                errors["refused"] = "A device the child refused to hand over was not seized."
        else:
            if not self.switched_off:
                errors["switched_off"] = "Switch the device off before locking it away (002 §3.8)."
            if not self.stored_where.strip():
                errors["stored_where"] = "Say where the device is locked away."
        if self.handed_to_police_at is not None and not self.handed_to.strip():
            errors["handed_to"] = "Name the officer the device was handed to."
        now = timezone.now()
        for name in ("seized_at", "police_informed_at", "handed_to_police_at"):
            value = getattr(self, name)
            if value is not None and value > now:
                errors[name] = "This date is in the future."
        if (
            self.handed_to_police_at is not None
            and self.seized_at is not None
            and self.handed_to_police_at < self.seized_at
        ):
            errors["handed_to_police_at"] = "The device was handed over before it was seized."
        if (
            self.incident_id
            and self.involvement_id
            and self.involvement.incident_id != self.incident_id
        ):
            errors["involvement"] = "This person is not part of this incident."
        if errors:
            raise ValidationError(errors)


class DeletionRequest(models.Model):
    """A pupil asked to delete the imagery everywhere by a deadline (002 §5.2).

    Only when the police are not involved; never in a school whose jurisdiction forbids
    staff searching devices (Spain), where parents are called instead. The pupil is told
    that refusing, or not deleting, is an offence and may involve the police; a refusal
    is escalated and the escalation recorded.
    """

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="deletion_requests"
    )
    involvement = models.ForeignKey(
        Involvement,
        on_delete=models.PROTECT,
        related_name="deletion_requests",
        help_text="The pupil asked to delete the imagery.",
    )
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateTimeField(help_text="By when it must be deleted everywhere.")
    where = models.TextField(
        help_text="Devices, online storage and social media accounts it must be deleted from."
    )
    consequences_explained = models.BooleanField(
        default=False,
        help_text="The pupil was told that refusing or not deleting is an offence (002 §5.2).",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation = models.TextField(blank=True, help_text="How the pupil confirmed deletion.")
    refused_at = models.DateTimeField(null=True, blank=True)
    escalation = models.TextField(
        blank=True, help_text="What was done when the pupil refused or did not delete."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("requested_at")),
                name="deletion_deadline_after_request",
            ),
            models.CheckConstraint(
                condition=Q(consequences_explained=True), name="deletion_consequences_explained"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(refused_at__isnull=True),
                name="deletion_confirmed_or_refused_not_both",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | ~Q(confirmation=""),
                name="deletion_confirmed_says_how",
            ),
            models.CheckConstraint(
                condition=Q(refused_at__isnull=True) | ~Q(escalation=""),
                name="deletion_refusal_escalated",
            ),
        ]

    def __str__(self) -> str:
        return f"Deletion requested of {self.involvement}"

    @property
    def is_open(self) -> bool:
        return self.confirmed_at is None and self.refused_at is None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.where.strip():
            errors["where"] = "Say where the imagery must be deleted from."
        if not self.consequences_explained:
            errors["consequences_explained"] = (
                "Tell the pupil that refusing or not deleting is an offence (002 §5.2)."
            )
        if self.requested_at and self.deadline and self.deadline <= self.requested_at:
            errors["deadline"] = "The deadline must be after the request."
        now = timezone.now()
        for name in ("requested_at", "confirmed_at", "refused_at"):
            value = getattr(self, name)
            if value is not None and value > now:
                errors[name] = "This date is in the future."
        if self.confirmed_at is not None and self.refused_at is not None:
            errors["refused_at"] = "A deletion is either confirmed or refused, not both."
        if self.confirmed_at is not None and not self.confirmation.strip():
            errors["confirmation"] = "Say how the pupil confirmed the deletion."
        if self.refused_at is not None and not self.escalation.strip():
            errors["escalation"] = "Record how the refusal was escalated."
        if self.incident_id and self.involvement_id:
            if self.involvement.incident_id != self.incident_id:
                errors["involvement"] = "This person is not part of this incident."
            elif self.involvement.kind != PersonKind.PUPIL:
                errors["involvement"] = "Only a pupil on roll can be asked to delete imagery."
        if errors:
            raise ValidationError(errors)


class Interview(models.Model):
    """A conversation with a child involved, and its record (002 §6.0)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="interviews")
    involvement = models.ForeignKey(
        Involvement, on_delete=models.PROTECT, related_name="interviews"
    )
    held_at = models.DateTimeField()
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    others_present = models.TextField(
        blank=True, help_text="Anyone else present, e.g. a parent or a teacher the child chose."
    )
    child_told_of_record = models.BooleanField(
        default=False, help_text="The child was told a record would be kept (002 §6.0)."
    )
    record = models.TextField(help_text="What was said, with times and names.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "held_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(record=""), name="interview_has_record"),
            models.CheckConstraint(
                condition=Q(child_told_of_record=True), name="interview_child_told_of_record"
            ),
        ]

    def __str__(self) -> str:
        return f"Conversation with {self.involvement}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.record.strip():
            errors["record"] = "Write down what was said."
        if not self.child_told_of_record:
            errors["child_told_of_record"] = (
                "Tell the child that a record of the conversation will be kept (002 §6.0)."
            )
        if self.held_at and self.held_at > timezone.now():
            errors["held_at"] = "This date is in the future."
        if (
            self.incident_id
            and self.involvement_id
            and self.involvement.incident_id != self.incident_id
        ):
            errors["involvement"] = "This person is not part of this incident."
        if errors:
            raise ValidationError(errors)


class ReportChannel(models.TextChoices):
    """Where a take-down was asked for (002 §8.0, Annex C)."""

    PLATFORM = "platform", "The platform's own reporting function"
    REPORT_REMOVE = "report_remove", "Childline and IWF Report Remove"
    IWF = "iwf", "Internet Watch Foundation (no reporting function on the site)"
    CEOP = "ceop", "CEOP (the child is being contacted by strangers, or groomed)"
    POSH = "posh", "Professionals Online Safety Helpline"
    POSTER_ASKED = "poster_asked", "The person who posted it was asked to delete it"


class ReportOutcome(models.TextChoices):
    AWAITED = "awaited", "Awaited"
    REMOVED = "removed", "Removed"
    NOT_REMOVED = "not_removed", "Not removed"


class OnlineReport(models.Model):
    """A request to take imagery down from a site or app (002 §8.0, Annex C)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="online_reports")
    platform = models.CharField(max_length=100, help_text="e.g. Snapchat, Instagram.")
    channel = models.CharField(max_length=20, choices=ReportChannel.choices)
    reported_at = models.DateTimeField()
    reported_by = models.CharField(
        max_length=200, help_text="Who made the report, e.g. the pupil with the DSL's help."
    )
    reference = models.CharField(max_length=100, blank=True, help_text="The report's reference.")
    outcome = models.CharField(
        max_length=20, choices=ReportOutcome.choices, default=ReportOutcome.AWAITED
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "reported_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=ReportChannel.values), name="online_report_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ReportOutcome.values), name="online_report_outcome_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome=ReportOutcome.AWAITED, outcome_at__isnull=True)
                | (~Q(outcome=ReportOutcome.AWAITED) & Q(outcome_at__isnull=False)),
                name="online_report_outcome_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Report to {self.platform}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.platform.strip():
            errors["platform"] = "Say which site or app."
        if not self.reported_by.strip():
            errors["reported_by"] = "Say who made the report."
        now = timezone.now()
        for name in ("reported_at", "outcome_at"):
            value = getattr(self, name)
            if value is not None and value > now:
                errors[name] = "This date is in the future."
        if self.outcome != ReportOutcome.AWAITED and self.outcome_at is None:
            errors["outcome_at"] = "Say when the answer came."
        if self.outcome == ReportOutcome.AWAITED and self.outcome_at is not None:
            errors["outcome"] = "Choose the outcome that came on this date."
        if self.outcome_at and self.reported_at and self.outcome_at < self.reported_at:
            errors["outcome_at"] = "The answer cannot come before the report."
        if errors:
            raise ValidationError(errors)


class Reopening(models.Model):
    """A closed case opened again, and why; the earlier outcome summary stays in history."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reopenings")
    reason = models.TextField()
    previous_outcome_summary = models.TextField()
    reopened_at = models.DateTimeField(default=timezone.now, editable=False)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "reopened_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="reopening_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.incident} reopened"

    def clean(self) -> None:
        super().clean()
        if not self.reason.strip():
            raise ValidationError({"reason": "Say why the case is being reopened."})


class SignOffKind(models.TextChoices):
    """What the headteacher signs off (002 §5.1, §7.0; DESIGN.md §4 `SignOff`)."""

    DECISION = "decision", "Decision not to refer"
    DECISION_TO_REFER = "decision_to_refer", "Decision to refer"
    VIEWING = "viewing", "Imagery viewing"
    CLOSURE = "closure", "Case closure"


class SignOffAction(models.TextChoices):
    SIGNED = "signed", "Signed off"
    RETURNED = "returned", "Sent back to the DSL"


class ImmutableRowError(Exception):
    """Raised when a row that is written once (a sign-off, an access log entry) is saved
    again."""


class WriteOnce(models.Model):
    """A row that is written once and never changed or deleted by the application."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ImmutableRowError(f"{self._meta.label} rows are never changed once written.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SignOff(WriteOnce):
    """The headteacher's sign-off of one item, or its return to the DSL with a comment.

    Bound to what was signed: `canonical` is the canonical text of the record at signing
    (the item's fields and the newest history row of each part of the record) and
    `digest` its SHA-256 (`incidents.signoff.items`). When the record changes afterwards the
    digest no longer matches and the sign-off shows as superseded. Never edited or
    deleted; signing again adds a row.
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="sign_offs")
    kind = models.CharField(max_length=20, choices=SignOffKind.choices)
    subject_id = models.PositiveIntegerField(
        help_text="The decision or viewing signed off; the incident itself for a closure."
    )
    action = models.CharField(max_length=10, choices=SignOffAction.choices)
    statement = models.TextField(
        help_text="The headteacher's statement, or why the item is sent back."
    )
    canonical = models.TextField(editable=False)
    digest = models.CharField(max_length=64, editable=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "signed_at", "pk"]
        indexes = [models.Index(fields=["incident", "kind", "subject_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SignOffKind.values), name="sign_off_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(action__in=SignOffAction.values), name="sign_off_action_known"
            ),
            models.CheckConstraint(condition=~Q(statement=""), name="sign_off_has_statement"),
            models.CheckConstraint(
                condition=Q(digest__regex=r"^[0-9a-f]{64}$"), name="sign_off_digest_is_sha256"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.get_kind_display()} ({self.digest[:12]})"


class AccessAction(models.TextChoices):
    VIEWED = "viewed", "Viewed the incident page"
    VIEWED_AUDIT = "viewed_audit", "Viewed the audit trail"
    REVIEWED_SIGN_OFF = "reviewed_sign_off", "Reviewed for sign-off"
    EXPORTED = "exported", "Exported"
    DOWNLOADED = "downloaded", "Downloaded a document"


class AccessLogEntry(WriteOnce):
    """Who looked at or exported an incident's record, and when (issue 7 item 5).

    Written once by `incidents.access_log.access_record`; the application never changes
    or deletes an entry (`WriteOnce`, `safeguarding.no_delete`) and offers no form for it.
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    detail = models.CharField(
        max_length=300, blank=True, help_text="What was seen or exported, e.g. the options."
    )
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["incident", "-at", "-pk"]
        verbose_name_plural = "access log entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AccessAction.values), name="access_log_action_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


class ExportKind(models.TextChoices):
    INCIDENT = "incident", "Incident record"
    SCHOOL_PACK = "school_pack", "School caseload pack"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being generated"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"


class Export(models.Model):
    """One PDF export: who asked for which records, with which options (issue 8 item 4).

    Its `id` is printed on every page of the PDF, so a printed copy leads back to this
    row; each incident exported also gets an access log entry naming it. A school pack
    is generated in the background: `status`, `done` and `total` show its progress.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=ExportKind.choices)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="exports")
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="exports", null=True, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    redacted = models.BooleanField(
        default=False, help_text="Pupils' names as initials, staff names as roles."
    )
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ExportKind.values), name="export_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="export_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind=ExportKind.INCIDENT) | Q(incident__isnull=False),
                name="export_of_an_incident_names_it",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ExportKind.SCHOOL_PACK)
                | (Q(date_from__isnull=False) & Q(date_to__isnull=False)),
                name="export_pack_has_a_date_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.id}"

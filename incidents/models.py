"""Incidents of sharing nudes and semi-nudes, and what the school recorded about them.

The imagery itself is never stored, only described in words: possessing or
distributing it is an offence (002 §2.0, §5.1). Every model keeps its history, and no
row is ever deleted by the application.
"""

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
from safeguarding.models import Pupil, School, SocialCare

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

    history = HistoricalRecords()

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

    history = HistoricalRecords()

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
                    Q(date_of_birth__isnull=True, age__isnull=True, looked_after=False)
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

    history = HistoricalRecords()

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
    LETTER = "letter", "Letter"


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

    history = HistoricalRecords()

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
    `incidents.triage`, in the JSON shape `manage.py triage` reads and prints.
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

    history = HistoricalRecords()

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

    history = HistoricalRecords()

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

    Never a picture or video: `safeguarding.uploads` refuses those by content (002 §2.0,
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

    history = HistoricalRecords()

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

"""What the school decided and why: the triage of the facts, the risk assessment, the
decisions of the review and the contacts with parents (002 §3.3–§3.5)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from incidents.models.incident import Incident, Involvement
from safeguarding.history_chain import ChainedHistory


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
    """The triage of an incident's facts at one moment (docs/triage.md).

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

"""Referrals to police, children's social care and other agencies (002 §3.6–§3.7, §4.0).

Ofsted looks for "relevant referrals made in a timely manner" and "tenacity in following
up concerns with relevant agencies" (002 §7.0): the record keeps when, to whom, why, and
what came of it. Police outcomes such as Outcome 21 are the police's decision, recorded
here and never computed (002 §2.4).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from incidents.models import ContactMethod, Incident


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    SOCIAL_CARE = "social_care", "Children's social care / MASH"
    CEOP = "ceop", "CEOP"
    REPORT_REMOVE = "report_remove", "IWF and Childline Report Remove"
    CHILDLINE = "childline", "Childline"
    NSPCC = "nspcc", "NSPCC"
    CAMHS = "camhs", "CAMHS"
    OTHER_SCHOOL = "other_school", "Another school"
    OTHER = "other", "Other"


class ReferralStatus(models.TextChoices):
    MADE = "made", "Made"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    OUTCOME_RECEIVED = "outcome_received", "Outcome received"
    CLOSED = "closed", "Closed"


class ReferralOutcome(models.TextChoices):
    """What the agency decided, as it told the school."""

    POLICE_INVESTIGATION = "police_investigation", "Police: investigation"
    POLICE_NFA = "police_nfa", "Police: no further action"
    POLICE_OUTCOME_21 = "police_outcome_21", "Police: Outcome 21"
    SOCIAL_CARE_NFA = "social_care_nfa", "Social care: no further action"
    SOCIAL_CARE_EARLY_HELP = "social_care_early_help", "Social care: early help"
    SOCIAL_CARE_ASSESSMENT = "social_care_assessment", "Social care: assessment"
    SOCIAL_CARE_STRATEGY = "social_care_strategy", "Social care: strategy meeting"
    SOCIAL_CARE_S47 = "social_care_s47", "Social care: section 47 enquiry"
    REPORTED = "reported", "Reported"
    REMOVED = "removed", "Imagery removed"
    NOT_REMOVED = "not_removed", "Imagery not removed"
    OTHER = "other", "Other (see notes)"


class Referral(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="referrals")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    agency_name = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'Leeds MASH', 'PC Patel, safer schools'."
    )
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=20, choices=ContactMethod.choices)
    contact_name = models.CharField(max_length=150, blank=True)
    reference_number = models.CharField("agency's reference", max_length=100, blank=True)
    reasons = models.TextField(help_text="Why the referral was made (the criteria that fired).")
    information_shared = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.MADE
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=ReferralOutcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["incident", "made_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reasons=""), name="referral_has_reasons"),
            models.CheckConstraint(
                condition=Q(agency__in=Agency.values), name="referral_agency_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="referral_status_known"
            ),
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(outcome_at__isnull=True))
                | (~Q(outcome="") & Q(outcome_at__isnull=False)),
                name="referral_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.OUTCOME_RECEIVED) | ~Q(outcome=""),
                name="referral_outcome_received_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} referral, {self.incident}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.reasons.strip():
            errors["reasons"] = "Record why the referral was made."
        now = timezone.now()
        for field in ("made_at", "acknowledged_at", "outcome_at"):
            value = getattr(self, field)
            if value and value > now:
                errors[field] = "This date is in the future."
        if self.made_at:
            for field in ("acknowledged_at", "outcome_at"):
                value = getattr(self, field)
                if value and value < self.made_at and field not in errors:
                    errors[field] = "This is before the referral was made."
        if bool(self.outcome) != bool(self.outcome_at):
            errors["outcome_at" if self.outcome else "outcome"] = (
                "An outcome needs the date it was received, and a date needs the outcome."
            )
        if self.status == ReferralStatus.OUTCOME_RECEIVED and not self.outcome:
            errors["outcome"] = "Record the outcome the agency gave."
        if errors:
            raise ValidationError(errors)

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
from safeguarding.history_chain import ChainedHistory
from safeguarding.models import School, Trust


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


class AgencyContact(models.Model):
    """How to reach an agency: the safer schools officer, 101, the MASH duty line, …

    Kept by a school's DSLs, or by the trust as a default for all its schools (exactly
    one of `school` and `trust`). A contact that is no longer used is retired, never
    deleted, so old referrals still name whom they went to.
    """

    agency = models.CharField(max_length=20, choices=Agency.choices)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="agency_contacts", null=True, blank=True
    )
    trust = models.ForeignKey(
        Trust, on_delete=models.PROTECT, related_name="agency_contacts", null=True, blank=True
    )
    name = models.CharField(max_length=200, help_text="e.g. 'PC Patel, safer schools officer'.")
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    website = models.CharField(
        max_length=300, blank=True, help_text="An online form or reporting page, as text."
    )
    notes = models.TextField(blank=True, help_text="When to use it, hours, what to have ready.")
    retired_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["agency", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False, trust__isnull=True)
                | Q(school__isnull=True, trust__isnull=False),
                name="agency_contact_for_a_school_or_a_trust",
            ),
            models.CheckConstraint(
                condition=Q(agency__in=Agency.values), name="agency_contact_agency_known"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="agency_contact_has_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.name.strip():
            errors["name"] = "Give the contact a name."
        if (self.school_id is None) == (self.trust_id is None):
            errors["school"] = "A contact belongs to one school, or to the trust as a default."
        if not (self.phone.strip() or self.email.strip() or self.website.strip()):
            errors["phone"] = "Give a phone number, an email address or a website."
        if errors:
            raise ValidationError(errors)


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
    """A referral to an agency and what came of it. Completed over time (acknowledged,
    outcome received, closed), so it carries a `version`: a colleague's concurrent change
    is refused, never overwritten."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="referrals")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    contact = models.ForeignKey(
        AgencyContact,
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
        help_text="The contact used, from the school's list, if any.",
    )
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
    response_due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an acknowledgement or outcome is expected; chase it if none by then.",
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

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


class FollowUp(models.Model):
    """The school chasing an agency about a referral: who chased whom, how, what was said,
    and when to chase next (002 §7.0, "tenacity in following up concerns")."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="follow_ups")
    chased_at = models.DateTimeField()
    chased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    spoke_to = models.CharField(max_length=200, help_text="Who at the agency, and their role.")
    method = models.CharField(max_length=20, choices=ContactMethod.choices)
    said = models.TextField(help_text="What was asked and what the agency said.")
    escalation = models.BooleanField(
        default=False, help_text="The concern was escalated (e.g. to a manager, or the LADO)."
    )
    next_due_at = models.DateTimeField(
        null=True, blank=True, help_text="When to chase again if nothing has come."
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["referral", "chased_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(said=""), name="follow_up_says_what_was_said"),
            models.CheckConstraint(
                condition=Q(method__in=ContactMethod.values), name="follow_up_method_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Chased {self.spoke_to}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.said.strip():
            errors["said"] = "Record what was asked and what the agency said."
        if not self.spoke_to.strip():
            errors["spoke_to"] = "Say who at the agency was chased."
        if self.chased_at and self.chased_at > timezone.now():
            errors["chased_at"] = "This date is in the future."
        if self.chased_at and self.next_due_at and self.next_due_at <= self.chased_at:
            errors["next_due_at"] = "The next chase is due after this one."
        if (
            self.chased_at
            and self.referral_id
            and self.referral.made_at
            and self.chased_at < self.referral.made_at
        ):
            errors["chased_at"] = "This is before the referral was made."
        if errors:
            raise ValidationError(errors)


class MeetingKind(models.TextChoices):
    STRATEGY = "strategy", "Strategy meeting"
    CP_CONFERENCE = "cp_conference", "Child protection conference"
    TEAM_AROUND_FAMILY = "team_around_family", "Team around the family"
    OTHER = "other", "Other inter-agency meeting"


class Meeting(models.Model):
    """An inter-agency meeting about the incident, and the school's part in it
    (002 §7.0, "attendance at or contribution to inter-agency meetings")."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="meetings")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="meetings", null=True, blank=True
    )
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    held_at = models.DateTimeField()
    attendees = models.TextField(help_text="Who attended, with their roles.")
    agencies = models.CharField(max_length=300, help_text="The agencies represented.")
    school_attended = models.BooleanField(default=False)
    school_contributed = models.BooleanField(
        default=False, help_text="The school sent a report or information, attending or not."
    )
    actions_for_school = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["incident", "held_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="meeting_kind_known"
            ),
            models.CheckConstraint(condition=~Q(attendees=""), name="meeting_has_attendees"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.incident}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.attendees.strip():
            errors["attendees"] = "Say who attended."
        if not self.agencies.strip():
            errors["agencies"] = "Say which agencies were represented."
        referral = self.referral
        if referral is not None and self.incident_id and referral.incident_id != self.incident_id:
            errors["referral"] = "This referral is not part of this incident."
        if errors:
            raise ValidationError(errors)

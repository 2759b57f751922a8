"""Talking to the children involved and getting imagery taken down online
(002 §6.0, §8.0), and the documents the school adds to the record."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from incidents.models.incident import Incident, Involvement
from safeguarding.history_chain import ChainedHistory


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

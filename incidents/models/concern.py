"""A concern a member of staff reports to the DSL, and what the DSL did with it.

"The incident should be referred to the Designated Safeguarding Lead as soon as
possible" (002 §3.1–§3.2): any member of staff reports what they saw or heard, and the
DSL decides what it is. Every row here is written once (`WriteOnce`): a sent concern is
never edited or withdrawn, by anyone; the reporter adds later notes beside it, and each
step the DSL takes (acknowledging it, deciding what it is) is a row of its own, so the
record shows who knew what and when (docs/concerns.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from incidents.models.incident import Incident
from incidents.models.record import WriteOnce
from safeguarding.history_chain import ChainedHistory
from safeguarding.models import Pupil, School

#: Longest text a reporter may type in one field; a concern is a first account, and
#: the DSL asks for more.
CONCERN_TEXT_MAX = 5_000


class Concern(WriteOnce):
    """What a member of staff saw or heard, as they sent it to the DSL."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="concerns")
    reference = models.CharField(max_length=24, editable=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_reported"
    )
    reported_at = models.DateTimeField(default=timezone.now, editable=False)
    happened_at = models.DateTimeField(help_text="When the reporter saw or heard it.")
    location = models.CharField(max_length=200, blank=True)
    unnamed_pupils = models.TextField(
        blank=True, help_text="Pupils the reporter could not name, described."
    )
    account = models.TextField(help_text="What the reporter saw or heard.")
    child_words = models.TextField(blank=True, help_text="What the child said, in their words.")
    others_present = models.TextField(blank=True)
    action_taken = models.TextField(blank=True, help_text="What the reporter has already done.")
    acknowledge_by = models.DateTimeField(
        editable=False,
        help_text="When the DSL must have acknowledged it: the school's minutes, counted "
        "in its school day from when it was sent (safeguarding.school_day).",
    )

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["reported_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"], name="concern_reference_unique_per_school"
            ),
            models.CheckConstraint(condition=~Q(account=""), name="concern_has_an_account"),
            models.CheckConstraint(
                condition=Q(happened_at__lte=models.F("reported_at")),
                name="concern_happened_before_it_was_sent",
            ),
            models.CheckConstraint(
                condition=Q(acknowledge_by__gte=models.F("reported_at")),
                name="concern_due_after_it_was_sent",
            ),
        ]
        indexes = [models.Index(fields=["school", "reported_at"])]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        super().clean()
        if not self.account.strip():
            raise ValidationError({"account": "Say what you saw or heard."})
        if self.happened_at and self.happened_at > (self.reported_at or timezone.now()):
            raise ValidationError({"happened_at": "This time is in the future."})


class ConcernPupil(WriteOnce):
    """A pupil on the school's roll the concern is about."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="named_pupils")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="concerns")

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["concern", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "pupil"], name="concern_pupil_once"),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} in {self.concern}"

    def clean(self) -> None:
        super().clean()
        if self.pupil_id and self.concern_id and self.pupil.school_id != self.concern.school_id:
            raise ValidationError({"pupil": "This pupil is not on the school's roll."})


class ConcernNote(WriteOnce):
    """Something the reporter added after sending, kept in order beside the concern."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["concern", "written_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="concern_note_has_text")]

    def __str__(self) -> str:
        return f"Note on {self.concern}"

    def clean(self) -> None:
        super().clean()
        if not self.text.strip():
            raise ValidationError({"text": "Write the note."})


class ConcernAcknowledgement(WriteOnce):
    """The DSL has read the concern: the clock the school set stops here."""

    concern = models.OneToOneField(
        Concern, on_delete=models.PROTECT, related_name="acknowledgement"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    def __str__(self) -> str:
        return f"{self.concern} acknowledged"


class ConcernEscalation(WriteOnce):
    """The concern was not acknowledged in time and the headteacher was told."""

    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="escalation")
    escalated_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    def __str__(self) -> str:
        return f"{self.concern} escalated"


class ConcernOutcomeKind(models.TextChoices):
    INCIDENT_OPENED = "incident_opened", "Opened as a new incident"
    ADDED_TO_INCIDENT = "added_to_incident", "Added to an existing incident"
    WIDER_SAFEGUARDING = (
        "wider_safeguarding",
        "Not a nudes or semi-nudes matter: handled under the school's wider safeguarding "
        "procedures",
    )


INCIDENT_OUTCOMES = (ConcernOutcomeKind.INCIDENT_OPENED, ConcernOutcomeKind.ADDED_TO_INCIDENT)


class ConcernOutcome(WriteOnce):
    """What the DSL decided the concern is: an incident here, or a matter for the
    school's wider safeguarding procedures, with the reason."""

    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="outcome")
    kind = models.CharField(max_length=20, choices=ConcernOutcomeKind.choices)
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        related_name="concern_outcomes",
        null=True,
        blank=True,
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ConcernOutcomeKind.values), name="concern_outcome_known"
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=INCIDENT_OUTCOMES) & Q(incident__isnull=False))
                | (Q(kind=ConcernOutcomeKind.WIDER_SAFEGUARDING) & Q(incident__isnull=True)),
                name="concern_outcome_incident_iff_incident_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ConcernOutcomeKind.WIDER_SAFEGUARDING) | ~Q(reason=""),
                name="concern_outcome_wider_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concern}: {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if self.kind == ConcernOutcomeKind.WIDER_SAFEGUARDING and not self.reason.strip():
            raise ValidationError({"reason": "Say why this is not a nudes or semi-nudes matter."})
        if (
            self.incident is not None
            and self.concern_id
            and self.incident.school_id != self.concern.school_id
        ):
            raise ValidationError({"incident": "This incident is not in the same school."})

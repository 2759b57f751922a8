"""The school's own calendar: its terms and its closure days (docs/calendar.md).

Bank holidays are not stored: they come from the `holidays` library for the school's
nation (`safeguarding.calendar.days`). Nothing here is deleted: a term or a closure day
entered by mistake is removed (`removed_at`), kept with its history, and no longer
counted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from safeguarding.history_chain import ChainedHistory


class TermDate(models.Model):
    """One term (or half term): the school is open on its weekdays, bar holidays."""

    school = models.ForeignKey(
        "safeguarding.School", on_delete=models.PROTECT, related_name="terms"
    )
    name = models.CharField(max_length=60, help_text="For example, Autumn term 1.")
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="term_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day must be on or after the first day."})
        if self.starts_on and self.ends_on and self.removed_at is None and self.school_id:
            overlapping = TermDate.objects.filter(
                school_id=self.school_id,
                removed_at__isnull=True,
                starts_on__lte=self.ends_on,
                ends_on__gte=self.starts_on,
            ).exclude(pk=self.pk)
            other = overlapping.first()
            if other is not None:
                raise ValidationError({"starts_on": f"These dates overlap {other}."})


class ClosureDay(models.Model):
    """A weekday in term when the school is closed to pupils (an INSET day)."""

    school = models.ForeignKey(
        "safeguarding.School", on_delete=models.PROTECT, related_name="closure_days"
    )
    date = models.DateField()
    reason = models.CharField(max_length=100, help_text="For example, INSET day.")
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "date"],
                condition=Q(removed_at__isnull=True),
                name="one_closure_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%-d %B %Y}: {self.reason}"

    def clean(self) -> None:
        super().clean()
        if self.date and self.school_id and self.removed_at is None:
            taken = ClosureDay.objects.filter(
                school_id=self.school_id, date=self.date, removed_at__isnull=True
            ).exclude(pk=self.pk)
            if taken.exists():
                raise ValidationError({"date": "That day is already a closure day."})

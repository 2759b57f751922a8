"""The record of each pupil import: who brought which file in, when, and what it did.

An import is read and shown as a preview first (`PREVIEWED`); only the person's
confirmation writes the pupils (`APPLIED`). The checked rows are kept on the import so
that what is applied is exactly what was previewed, never a second reading of a file
that could have changed; the file itself is not kept, only its SHA-256, which names it
(docs/pupil-import.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.history_chain import ChainedHistory
from safeguarding.models import School


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    CTF = "ctf", "Common Transfer File"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed, not applied"
    APPLIED = "applied", "Applied"


class ImportSource(models.TextChoices):
    WEB = "web", "Uploaded"
    COMMAND = "command", "manage.py import_pupils"


class PupilImport(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupil_imports")
    reference = models.CharField(max_length=24, editable=False)
    source = models.CharField(max_length=10, choices=ImportSource.choices)
    format = models.CharField(max_length=3, choices=ImportFormat.choices)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256 of the file", max_length=64)
    full_roll = models.BooleanField(
        "the file is the whole roll",
        default=False,
        help_text="Pupils on roll who are not in the file are marked as left.",
    )
    leaving_on = models.DateField("leaving date for pupils not in the file", null=True, blank=True)
    # What the file said, as the reader checked it: the rows that passed, the problems of
    # those that did not, and the file's header (pupils.imports.reading).
    contents = models.JSONField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    # The "same child, UPN changed" answers, by row number: "same" or "different".
    decisions = models.JSONField(default=dict, blank=True)
    # What applying it did, as its preview listed it (pupils.imports.plan.plan_summary).
    outcome = models.JSONField(default=dict, blank=True, editable=False)
    new_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    leaving_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"], name="pupil_import_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(format__in=ImportFormat.values), name="pupil_import_format_known"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ImportSource.values), name="pupil_import_source_known"
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="pupil_import_sha256_hex"
            ),
            # Applied means someone applied it, at a time; a preview has neither.
            models.CheckConstraint(
                condition=(
                    Q(
                        status=ImportStatus.APPLIED,
                        applied_by__isnull=False,
                        applied_at__isnull=False,
                    )
                    | Q(
                        status=ImportStatus.PREVIEWED,
                        applied_by__isnull=True,
                        applied_at__isnull=True,
                    )
                ),
                name="pupil_import_applied_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(full_roll=False) | Q(leaving_on__isnull=False),
                name="pupil_import_full_roll_has_leaving_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Pupil import {self.reference}"

    @property
    def is_applied(self) -> bool:
        return self.status == ImportStatus.APPLIED

    @property
    def history_reason(self) -> str:
        """What each pupil's history row says changed it."""
        return f"Pupil import {self.reference}"  # the file's name is on the import

"""The record as a whole: who may see a restricted incident, the headteacher's sign-off,
reopening a closed case, who looked at the record and its exports. Rows written once
(`WriteOnce`) refuse any change (002 §7.0)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from incidents.models.incident import Incident
from safeguarding.history_chain import ChainedHistory
from safeguarding.models import School


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
    """What the headteacher signs off (002 §5.1, §7.0; docs/domain.md `SignOff`)."""

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
    sha256 = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="The SHA-256 of the PDF handed out: `manage.py verify_export` checks a file.",
    )

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
            models.CheckConstraint(
                condition=Q(sha256="") | Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="export_sha256_is_hex",
            ),
        ]
        indexes = [models.Index(fields=["sha256"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.id}"

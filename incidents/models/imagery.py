"""What was done about the imagery and the devices holding it: viewing, seizure and
deletion (002 §3.8, §5.1, §5.2). The imagery itself is never stored."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from incidents.models.incident import Incident, Involvement, PersonKind
from safeguarding.history_chain import ChainedHistory


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

"""Who was told what, when (`Notification`), and how each person wants to be told
(`NotificationPreference`). Both keep chained history like every record of the app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.history_chain import ChainedHistory
from safeguarding.notifications.events import NotificationEvent


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "An email at once"
    DIGEST = "digest", "A line in one email a day"


class NotificationStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


class Notification(models.Model):
    """One person told of one event: the record of what left the server, and when."""

    event = models.CharField(max_length=30, choices=NotificationEvent.choices)
    school = models.ForeignKey(
        "safeguarding.School", on_delete=models.PROTECT, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    reference = models.CharField(max_length=40, blank=True)
    link = models.CharField(max_length=300, help_text="The page's path on this site.")
    key = models.CharField(
        max_length=200, blank=True, help_text="What it is about, so it is not sent twice."
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.WAITING
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(blank=True)
    tries = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        app_label = "safeguarding"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "status", "delivery"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__in=NotificationEvent.values), name="notification_event_known"
            ),
            models.CheckConstraint(
                condition=Q(link__startswith="/"), name="notification_links_to_this_site"
            ),
            models.CheckConstraint(
                condition=~Q(status=NotificationStatus.SENT)
                | (Q(sent_at__isnull=False) & ~Q(sent_to="")),
                name="notification_sent_says_when_and_where",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """How one person wants to hear of one kind of event; none means at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notification_preferences"
    )
    event = models.CharField(max_length=30, choices=NotificationEvent.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        app_label = "safeguarding"
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_preference_per_event"),
            models.CheckConstraint(
                condition=Q(event__in=NotificationEvent.values),
                name="notification_preference_event_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.delivery}"

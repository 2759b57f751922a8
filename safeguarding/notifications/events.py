"""What each kind of notification says: the only words that leave the server.

Every field is fixed text but for `{school}` (the school's name) and `{reference}` (the
record's reference, such as RIV-2026-0003): no pupil's name, no account of a concern
(docs/notifications.md#what-a-message-says).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class NotificationEvent(models.TextChoices):
    PACK_READY = "pack_ready", "A caseload pack you asked for is ready"
    PACK_FAILED = "pack_failed", "A caseload pack you asked for could not be made"
    SIGNOFF_WAITING = "signoff_waiting", "Something is waiting for your sign-off"
    DECISION_RETURNED = "decision_returned", "The headteacher sent something back to you"
    CONCERN_REPORTED = "concern_reported", "A member of staff reported a concern"
    CONCERN_OVERDUE = "concern_overdue", "A concern was not acknowledged in time"
    CONCERN_NOTE_ADDED = "concern_note", "The reporter added a note to a concern"
    TRANSFER_ARRIVED = "transfer_arrived", "A pupil's file was sent to your school"
    TRANSFER_RECEIVED = "transfer_received", "The new school confirmed receipt of a file"
    TRANSFER_REMINDER = "transfer_reminder", "A file you sent is not yet confirmed"
    TRANSFER_FAILED = "transfer_failed", "A transfer package could not be made"


#: A concern cannot wait for tomorrow's summary: these are always emailed at once, and
#: the account page does not offer a choice (002 §3.1–§3.2).
ALWAYS_AT_ONCE = frozenset(
    {
        NotificationEvent.CONCERN_REPORTED,
        NotificationEvent.CONCERN_OVERDUE,
        NotificationEvent.CONCERN_NOTE_ADDED,
        # A child's file is due within 5 school days (KCSIE Annex C): no waiting a day.
        NotificationEvent.TRANSFER_ARRIVED,
        NotificationEvent.TRANSFER_REMINDER,
    }
)


@dataclass(frozen=True)
class EventText:
    subject: str
    sentence: str
    action: str

    def fill(self, *, school: str, reference: str) -> EventText:
        return EventText(
            subject=self.subject.format(school=school, reference=reference),
            sentence=self.sentence.format(school=school, reference=reference),
            action=self.action,
        )


EVENT_TEXT: dict[str, EventText] = {
    NotificationEvent.PACK_READY: EventText(
        subject="Caseload pack ready – {school}",
        sentence="A caseload pack you asked for at {school} is ready to download.",
        action="Download it",
    ),
    NotificationEvent.PACK_FAILED: EventText(
        subject="Caseload pack not made – {school}",
        sentence="A caseload pack you asked for at {school} could not be made.",
        action="See why",
    ),
    NotificationEvent.SIGNOFF_WAITING: EventText(
        subject="Waiting for your sign-off – {school}",
        sentence="An item of record {reference} at {school} is waiting for your sign-off.",
        action="Review it",
    ),
    NotificationEvent.DECISION_RETURNED: EventText(
        subject="Sent back by the headteacher – {school}",
        sentence="The headteacher sent back an item of record {reference} at {school}.",
        action="See what they said",
    ),
    NotificationEvent.CONCERN_REPORTED: EventText(
        subject="New concern reported – {school}",
        sentence="A member of staff at {school} reported concern {reference}. It is waiting "
        "for a DSL to acknowledge it.",
        action="Open the concern",
    ),
    NotificationEvent.CONCERN_OVERDUE: EventText(
        subject="Concern not yet acknowledged – {school}",
        sentence="Concern {reference} at {school} has not been acknowledged by a DSL within "
        "the time the school set.",
        action="Open the concern",
    ),
    NotificationEvent.CONCERN_NOTE_ADDED: EventText(
        subject="Note added to a concern – {school}",
        sentence="The member of staff who reported concern {reference} at {school} added a "
        "note to it.",
        action="Read the note",
    ),
    NotificationEvent.TRANSFER_ARRIVED: EventText(
        subject="Child protection file sent to you – {school}",
        sentence="Another school sent a pupil's child protection file ({reference}) to "
        "{school}. Confirm receipt and accept it.",
        action="Open the transfer",
    ),
    NotificationEvent.TRANSFER_RECEIVED: EventText(
        subject="Receipt confirmed – {school}",
        sentence="The new school confirmed receipt of transfer {reference} from {school}.",
        action="See the transfer",
    ),
    NotificationEvent.TRANSFER_REMINDER: EventText(
        subject="Transfer not yet confirmed – {school}",
        sentence="Receipt of transfer {reference} from {school} is not yet confirmed and it "
        "is due within two school days.",
        action="See the transfer",
    ),
    NotificationEvent.TRANSFER_FAILED: EventText(
        subject="Transfer package not made – {school}",
        sentence="The package of transfer {reference} at {school} could not be made.",
        action="See why",
    ),
}

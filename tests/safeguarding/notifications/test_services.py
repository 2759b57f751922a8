"""Notifications (`safeguarding.notifications.services`): recorded for each person, sent
at once or in the day's summary as they chose, saying nothing sensitive, retried after
a failure that may pass and recorded as sent (to whom, when) for the audit trail."""

from __future__ import annotations

import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command

from safeguarding.background.retry import MAX_TRIES
from safeguarding.history_chain import verify_audit_trail
from safeguarding.notifications.events import EVENT_TEXT, NotificationEvent
from safeguarding.notifications.models import Delivery, Notification, NotificationStatus
from safeguarding.notifications.services import notify, preferences_save
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINK = "/incidents/7/sign-off/decision/3/"


def tell(people: Any, *recipients: Any, event: str = NotificationEvent.SIGNOFF_WAITING) -> Any:
    return notify(
        event=NotificationEvent(event),
        school=people.school,
        recipients=recipients,
        link=LINK,
        actor=people.dsl,
        reference="RA-2026-0007",
    )


def test_an_immediate_email_says_what_and_where_links_to_the_page_and_no_more(
    people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = tell(people, people.head)
    [message] = mail.outbox
    assert message.to == [people.head.email]
    assert message.subject == f"Waiting for your sign-off – {people.school.name}"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert f"http://testserver{LINK}" in body
        assert "RA-2026-0007" in body and people.school.name in body
        assert "/account/notifications/" in body
        assert people.head.full_name not in body  # not even the recipient's own name
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.sent_to == people.head.email and notification.sent_at is not None
    assert verify_audit_trail().problems == []


def test_every_event_says_only_fixed_words_the_school_and_the_reference() -> None:
    for event in NotificationEvent:
        text = EVENT_TEXT[event].fill(school="{S}", reference="{R}")
        filled = text.subject + text.sentence
        assert filled.replace("{S}", "").replace("{R}", "").count("{") == 0


def test_nothing_is_queued_when_the_transaction_rolls_back(
    people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tell(people, people.head)
    assert len(callbacks) == 1  # sent only if the action that caused it commits
    assert mail.outbox == []


def test_inactive_people_and_people_without_an_address_are_not_told(people: Any) -> None:
    gone = UserFactory(is_active=False)
    assert tell(people, gone, people.head, people.head) != []
    assert list(Notification.objects.values_list("recipient", flat=True)) == [people.head.pk]


def test_a_daily_summary_is_one_email_of_every_waiting_line_and_sent_once(
    people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    preferences_save(
        user=people.head,
        deliveries=dict.fromkeys(NotificationEvent.values, Delivery.DIGEST),
    )
    with django_capture_on_commit_callbacks(execute=True):
        tell(people, people.head)
        tell(people, people.head, event=NotificationEvent.DECISION_RETURNED)
    assert mail.outbox == []  # waiting for the summary
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    [summary] = mail.outbox
    assert summary.subject == "Safeguarding records: 2 things for you today"
    assert "waiting for your sign-off" in summary.body
    assert "sent back" in summary.body
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_a_choice_for_one_event_leaves_the_others_immediate(
    people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    preferences_save(
        user=people.head, deliveries={NotificationEvent.DECISION_RETURNED: Delivery.DIGEST}
    )
    with django_capture_on_commit_callbacks(execute=True):
        [now] = tell(people, people.head)
        [later] = tell(people, people.head, event=NotificationEvent.DECISION_RETURNED)
    assert (now.delivery, later.delivery) == (Delivery.IMMEDIATE, Delivery.DIGEST)
    assert len(mail.outbox) == 1


class RefusingBackend(locmem.EmailBackend):
    """A mail server that refuses the next `failures` messages, then takes them."""

    failures = 0

    def send_messages(self, messages: Any) -> int:
        if RefusingBackend.failures:
            RefusingBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def _server(settings: Any, failures: int) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.failures = failures


def test_an_email_the_server_refused_once_is_sent_on_the_next_try(
    people: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    _server(settings, failures=1)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = tell(people, people.head)
    notification.refresh_from_db()
    assert (notification.status, notification.tries, len(mail.outbox)) == (
        NotificationStatus.SENT,
        2,
        1,
    )


def test_an_email_refused_on_every_try_is_marked_failed_with_why(
    people: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    _server(settings, failures=MAX_TRIES)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = tell(people, people.head)
    notification.refresh_from_db()
    assert (notification.status, notification.tries, mail.outbox) == (
        NotificationStatus.FAILED,
        MAX_TRIES,
        [],
    )
    assert notification.error == f"SMTPServerDisconnected on try {MAX_TRIES}"

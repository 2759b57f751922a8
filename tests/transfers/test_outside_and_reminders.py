"""A file sent to a school elsewhere (the emailed receipt link: single use, expiring,
naming no pupil), a receipt recorded by hand, and the reminders, on a fake clock."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguarding.models import Pupil
from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.models import Notification
from transfers.models import ReceiptLink, ReceiptMethod, Transfer
from transfers.sending.jobs import transfer_reminders_send
from transfers.sending.services import receipt_record_by_hand

from .conftest import start

pytestmark = pytest.mark.django_db

OUTSIDE = {
    "receiving_school": None,
    "receiving_name": "Elsewhere High School",
    "receiving_urn": "123456",
    "receiving_dsl_name": "Erin Elsewhere",
    "receiving_dsl_email": "dsl@elsewhere.example",
}


@pytest.fixture
def outside(people: Any, leaver: Pupil, django_capture_on_commit_callbacks: Any) -> Transfer:
    mail.outbox.clear()
    return start(people, leaver, django_capture_on_commit_callbacks, **OUTSIDE)


def link_email() -> Any:
    (message,) = [m for m in mail.outbox if m.to == ["dsl@elsewhere.example"]]
    return message


def link_path() -> str:
    message = link_email()
    match = re.search(r"https?://[^/\s]+(/transfers/receipt/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_email_names_the_schools_and_no_pupil(outside: Transfer, leaver: Pupil) -> None:
    message = link_email()
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        for name in leaver.names:
            assert name not in text
        assert leaver.upn not in text
    assert outside.school.name in message.body and outside.reference in message.body
    link = ReceiptLink.objects.get()
    token = link_path().rstrip("/").rsplit("/", 1)[1]
    assert link.token_sha256 != token and token not in str(link.__dict__)


def test_the_receipt_page_leaks_nothing_and_works_once(
    client: Any, outside: Transfer, leaver: Pupil
) -> None:
    path = link_path()
    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    for name in leaver.names:
        assert name not in text
    assert leaver.upn not in text and leaver.date_of_birth.isoformat() not in text
    assert outside.package.sha256 in text

    download = client.post(path, {"action": "download"})
    assert download.status_code == 200
    assert download.content == bytes(outside.package.data)
    assert "RA-T-2026-0001" in download["Content-Disposition"]

    refused = client.post(path, {"action": "confirm", "name": "Erin Elsewhere"})
    assert refused.status_code == 400
    assert "Enter your role." in refused.content.decode()
    assert "Confirm that you have the file" in refused.content.decode()

    done = client.post(
        path,
        {"action": "confirm", "name": "Erin Elsewhere", "role": "DSL", "digest_matches": "on"},
    )
    assert done.status_code == 200
    outside.refresh_from_db()
    assert outside.receipt_method == ReceiptMethod.LINK
    assert outside.received_by_name == "Erin Elsewhere, DSL"
    assert Notification.objects.filter(event=NotificationEvent.TRANSFER_RECEIVED).exists()
    assert client.get(path).status_code == 404
    assert client.post(path, {"action": "download"}).status_code == 404


def test_an_expired_or_wrong_link_answers_like_a_missing_one(
    client: Any, outside: Transfer
) -> None:
    path = link_path()
    wrong = client.get(reverse("transfers:receipt", args=["x" * 43]))
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        expired = client.get(path)
    assert wrong.status_code == expired.status_code == 404
    assert wrong.content == expired.content


def test_a_receipt_obtained_another_way(people: Any, outside: Transfer) -> None:
    with pytest.raises(ValidationError) as refused:
        receipt_record_by_hand(
            actor=people.dsl,
            transfer=outside,
            received_by_name="Erin",
            received_at=timezone.now() + dt.timedelta(hours=1),
        )
    assert "received_at" in refused.value.message_dict
    receipt_record_by_hand(
        actor=people.dsl,
        transfer=outside,
        received_by_name="Erin Elsewhere, DSL",
        received_at=timezone.now(),
        note="By phone",
    )
    outside.refresh_from_db()
    assert outside.receipt_method == ReceiptMethod.BY_HAND
    assert outside.receipt_note == "By phone"
    with pytest.raises(ValidationError):
        receipt_record_by_hand(
            actor=people.dsl,
            transfer=outside,
            received_by_name="Again",
            received_at=timezone.now(),
        )


def test_the_reminder_comes_two_school_days_before_due_and_once(
    people: Any, sent: Transfer
) -> None:
    # Due Wednesday 25 November 2026: reminded from Monday 23 November.
    assert sent.due_on == dt.date(2026, 11, 25)
    assert transfer_reminders_send(today=dt.date(2026, 11, 20)) == 0
    assert transfer_reminders_send(today=dt.date(2026, 11, 23)) == 1
    assert transfer_reminders_send(today=dt.date(2026, 11, 24)) == 0
    reminded = Notification.objects.filter(event=NotificationEvent.TRANSFER_REMINDER)
    assert {n.recipient for n in reminded} == {people.dsl, people.deputy, people.colleague_dsl}
    assert all(n.school == people.school for n in reminded)


def test_no_reminder_once_receipt_is_confirmed(people: Any, sent: Transfer) -> None:
    receipt_record_by_hand(
        actor=people.dsl, transfer=sent, received_by_name="Olly Other", received_at=timezone.now()
    )
    assert transfer_reminders_send(today=dt.date(2026, 11, 30)) == 0

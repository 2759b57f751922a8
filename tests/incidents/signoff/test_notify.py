"""Emails about the sign-off queue (`incidents.signoff.notify` and the service): the
headteacher hears once when an item comes to the queue, again only when it comes back
after a sign-off or return; the DSL hears when the headteacher sends an item back.
Nothing in them names a pupil."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from incidents.models import Decision, Incident, SignOffAction
from safeguarding.notifications.models import Notification
from tests.incidents.signoff.test_views import correct, decide, sign

pytestmark = pytest.mark.django_db


def waiting_emails() -> list[Any]:
    return [m for m in mail.outbox if m.subject.startswith("Waiting for your sign-off")]


def test_the_headteacher_hears_once_that_a_decision_waits_and_again_after_a_change_once_signed(
    people: Any, incident: Incident, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        decision: Decision = decide(people, incident)
    [email] = waiting_emails()
    assert email.to == [people.head.email]
    assert f"/incidents/{incident.pk}/sign-off/decision/{decision.pk}/" in email.body
    assert incident.reference in email.body
    for involvement in incident.involvements.select_related("pupil"):
        assert involvement.pupil.family_name not in email.body + email.subject

    with django_capture_on_commit_callbacks(execute=True):
        correct(people, decision, "Reworded before the headteacher looked.")
    assert len(waiting_emails()) == 1  # still the same wait: not told again

    with django_capture_on_commit_callbacks(execute=True):
        sign(people, decision)
        correct(people, decision, "Changed after the sign-off.")
    assert len(waiting_emails()) == 2  # back in the queue: told again


def test_the_lead_dsl_hears_that_an_item_was_sent_back(
    people: Any, incident: Incident, django_capture_on_commit_callbacks: Any
) -> None:
    incident.lead_dsl = people.deputy
    incident.save()
    decision = decide(people, incident)
    with django_capture_on_commit_callbacks(execute=True):
        sign(people, decision, action=SignOffAction.RETURNED)
    [returned] = [m for m in mail.outbox if m.subject.startswith("Sent back")]
    assert returned.to == [people.deputy.email]
    assert f"/incidents/{incident.pk}/" in returned.body
    assert "I have read the rationale" not in returned.body  # what was said stays inside
    assert Notification.objects.filter(event="decision_returned").count() == 1


def test_without_a_lead_every_dsl_and_deputy_hears(
    people: Any, incident: Incident, django_capture_on_commit_callbacks: Any
) -> None:
    decision = decide(people, incident)
    with django_capture_on_commit_callbacks(execute=True):
        sign(people, decision, action=SignOffAction.RETURNED)
    told = {m.to[0] for m in mail.outbox if m.subject.startswith("Sent back")}
    assert told == {people.dsl.email, people.deputy.email, people.colleague_dsl.email}

"""The account page of email choices: anyone signed in sets their own, nobody else's."""

from __future__ import annotations

from typing import Any

import pytest

from safeguarding.notifications.events import ALWAYS_AT_ONCE, NotificationEvent
from safeguarding.notifications.models import Delivery, NotificationPreference
from safeguarding.notifications.selectors import chosen_events, preferences_of

pytestmark = pytest.mark.django_db

URL = "/account/notifications/"


def test_signing_in_is_needed(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("who", ["dsl", "deputy", "head", "staff", "trust_lead", "nobody"])
def test_everyone_signed_in_sees_their_choices_at_once_by_default(
    client: Any, people: Any, who: str
) -> None:
    client.force_login(getattr(people, who))
    page = client.get(URL).content.decode()
    for event in NotificationEvent:
        assert (event.label in page) == (event not in ALWAYS_AT_ONCE)
    assert page.count("checked") == len(NotificationEvent) - len(ALWAYS_AT_ONCE)
    assert preferences_of(getattr(people, who)) == dict.fromkeys(
        chosen_events(), Delivery.IMMEDIATE
    )
    assert "are always emailed at once" in " ".join(page.split())


def test_choices_are_saved_for_the_signed_in_person_only(client: Any, people: Any) -> None:
    client.force_login(people.head)
    choices = dict.fromkeys(chosen_events(), Delivery.IMMEDIATE)
    choices[NotificationEvent.SIGNOFF_WAITING] = Delivery.DIGEST
    response = client.post(URL, choices)
    assert response.status_code == 302 and response["Location"] == URL
    assert preferences_of(people.head)[NotificationEvent.SIGNOFF_WAITING] == Delivery.DIGEST
    assert not NotificationPreference.objects.exclude(user=people.head).exists()
    assert people.head.notification_preferences.get(event="signoff_waiting").history.count() == 1


def test_a_missing_choice_is_named_and_nothing_is_saved(client: Any, people: Any) -> None:
    client.force_login(people.dsl)
    response = client.post(URL, {NotificationEvent.PACK_READY: "sometimes"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose an email at once or a line in one email a day." in page
    assert "Choose how to hear that something is waiting for your sign-off." in page
    assert not NotificationPreference.objects.exists()

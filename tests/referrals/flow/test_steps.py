"""The referral's own page, its steps (issue 6 items 3, 4, 9): the acknowledgement,
an outcome that fits the agency (Outcome 21 included), closing, follow-ups and
escalations, each refusal naming its field, and a colleague's change shown and
applied on saving again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from referrals.models import Agency, FollowUp
from tests.clock import ago
from tests.referrals.flow.builders import acknowledge, answer, detail_url, page, refer, step, when

pytestmark = pytest.mark.django_db

# --- The referral's page: its steps --------------------------------------------------------


def test_recording_the_acknowledgement(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.deputy)
    data = step("acknowledge", **{"reference_number": "CRN-5"})
    data.update(when("acknowledged", ago(hours=1), "acknowledge"))
    response = client.post(detail_url(referral), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(referral)
    referral.refresh_from_db()
    assert (referral.status, referral.reference_number, referral.version) == (
        "acknowledged",
        "CRN-5",
        2,
    )
    assert referral.history.first().history_user == people.deputy
    html = page(client.get(detail_url(referral)))
    assert "acknowledged the referral." in html
    assert "Record the acknowledgement" not in html
    assert "Record the outcome" in html


def test_the_police_outcome_choices_and_outcome_21(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.dsl)
    html = page(client.get(detail_url(referral)))
    assert 'value="police_outcome_21"' in html and "002 §2.4" in html
    assert 'value="social_care_s47"' not in html
    data = step("outcome", outcome="police_outcome_21", outcome_notes="PC Lee phoned.")
    data.update(when("outcome", ago(hours=1), "outcome"))
    assert client.post(detail_url(referral), data).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("outcome_received", "police_outcome_21")
    html = page(client.get(detail_url(referral)))
    assert "Police: Outcome 21" in html and "Close the referral" in html


def test_an_outcome_of_another_agency_is_refused_on_the_form(client, people, incident):
    referral = refer(people, incident, agency=Agency.SOCIAL_CARE)
    client.force_login(people.dsl)
    data = step("outcome", outcome="police_outcome_21")
    data.update(when("outcome", ago(hours=1), "outcome"))
    html = page(client.post(detail_url(referral), data))
    assert "Choose an outcome from the list." in html
    referral.refresh_from_db()
    assert referral.status == "made"


def test_closing_a_referral(client, people, incident):
    referral = answer(people, refer(people, incident))
    client.force_login(people.dsl)
    assert client.post(detail_url(referral), step("close", version=2)).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "closed"
    html = page(client.get(detail_url(referral)))
    assert "This referral is closed: nothing more is recorded on it." in html
    assert 'name="record"' not in html


def test_a_refused_step_names_the_field(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.dsl)
    html = page(client.post(detail_url(referral), step("close")))
    assert "Record the agency's outcome before closing the referral." in html
    answer(people, referral)
    data = step("acknowledge", version=2)
    data.update(when("acknowledged", ago(hours=1), "acknowledge"))
    html = page(client.post(detail_url(referral), data))
    assert "Acknowledged" in html and "never goes back" in html
    referral.refresh_from_db()
    assert (referral.status, referral.version) == ("outcome_received", 2)


def test_recording_a_follow_up_and_an_escalation(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.deputy)
    data = {
        "record": "follow_up",
        **when("chased", ago(minutes=30), "follow_up"),
        "follow_up-spoke_to": "Duty manager, MASH",
        "follow_up-method": "phone",
        "follow_up-said": "Escalated: no acknowledgement after a day.",
        "follow_up-escalation": "on",
        **when("next", timezone.now() + dt.timedelta(days=1), "follow_up"),
    }
    assert client.post(detail_url(referral), data).status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.chased_by, follow_up.escalation, follow_up.referral) == (
        people.deputy,
        True,
        referral,
    )
    assert follow_up.next_due_at is not None
    html = page(client.get(detail_url(referral)))
    assert "Escalated" in html and "Duty manager, MASH" in html


def test_a_follow_up_needs_what_was_said_keeping_the_rest(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.dsl)
    data = {
        "record": "follow_up",
        **when("chased", ago(minutes=30), "follow_up"),
        "follow_up-spoke_to": "Sgt Typed By Me",
        "follow_up-method": "phone",
        **when("next", ago(hours=1), "follow_up"),
    }
    html = page(client.post(detail_url(referral), data))
    assert "Enter what was asked and what the agency said." in html
    assert "The next chase is due after this one." in html
    assert 'value="Sgt Typed By Me"' in html
    assert not FollowUp.objects.exists()


def test_an_unknown_step_is_treated_as_a_follow_up_and_refused(client, people, incident):
    referral = refer(people, incident)
    client.force_login(people.dsl)
    response = client.post(detail_url(referral), {"record": "delete"})
    assert response.status_code == 200
    assert "Enter who at the agency was chased." in page(response)


def test_a_stale_step_shows_the_colleagues_change_and_applies_on_saving_again(
    client, people, incident
):
    referral = refer(people, incident, made_at=ago(hours=5))
    acknowledged_at = ago(hours=3)
    acknowledge(people, referral, actor=people.colleague_dsl, at=acknowledged_at, reference="C-1")
    client.force_login(people.dsl)
    data = step("outcome", version=1, outcome="police_nfa", outcome_notes="Typed by me")
    data.update(when("outcome", ago(hours=1), "outcome"))
    response = client.post(detail_url(referral), data)
    html = page(response)
    assert response.status_code == 200
    assert "Someone else changed this referral while you were editing" in html
    assert "Status: Made → Acknowledged" in html
    local = timezone.localtime(acknowledged_at)
    assert f"Acknowledged at: (blank) → {local:%-d %b %Y %H:%M}" in html
    assert "Agency's reference: (blank) → C-1" in html
    assert "Typed by me" in html
    assert re.search(r'name="outcome-version" value="2"', html)
    referral.refresh_from_db()
    assert (referral.version, referral.outcome) == (2, "")
    data["outcome-version"] = "2"
    assert client.post(detail_url(referral), data).status_code == 302
    referral.refresh_from_db()
    assert (referral.version, referral.outcome) == (3, "police_nfa")


def test_an_out_of_date_form_is_refused(client, people, incident):
    referral = answer(people, refer(people, incident))
    client.force_login(people.dsl)
    for version in ("", "0", "abc", str(2**40)):
        html = page(client.post(detail_url(referral), step("close", version=version)))
        assert "This form is out of date" in html
    referral.refresh_from_db()
    assert referral.status == "outcome_received"

"""The incident's referrals page: making a referral (the form started from the
triage's reasons, each refusal keeping what was typed), the list with status,
outcome, follow-ups and overdue, the prompt to tell the parents when the police are
told, and the links to it from the pages that offer to make a referral."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import ContactMethod
from incidents.templatetags.triage_labels import triage_label
from incidents.triage.services import triage_refresh
from referrals.due import default_response_due
from referrals.models import Agency, Referral, ReferralOutcome
from tests.clock import ago
from tests.factories import AgencyContactFactory
from tests.referrals.flow.builders import (
    REASONS,
    adult_incident,
    answer,
    chase,
    detail_url,
    list_url,
    page,
    refer,
    referral_data,
    tell_parents,
    when,
)

pytestmark = pytest.mark.django_db

# --- The list page: making a referral ------------------------------------------------------


def test_making_a_referral(client, people, incident, child):
    contact = AgencyContactFactory(school=people.school, agency=Agency.POLICE, name="PC Patel")
    client.force_login(people.deputy)
    response = client.post(list_url(incident), referral_data(contact=str(contact.pk)))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert response["Location"] == detail_url(referral)
    assert (referral.agency, referral.made_by, referral.contact) == (
        "police",
        people.deputy,
        contact,
    )
    assert (referral.contact_name, referral.reference_number) == ("PC Aaron Lindley", "Log 0412")
    assert referral.information_shared == "Names and dates of birth; no images."
    assert referral.response_due_at == default_response_due(Agency.POLICE, referral.made_at)
    assert referral.history.get().history_user == people.deputy
    html = page(client.get(response["Location"]))
    assert "Recorded the referral to West Yorkshire Police (101)." in html
    assert "The police are being informed" in html  # the parents prompt
    assert "Record the acknowledgement" in html


def test_a_response_due_moment_can_be_set(client, people, incident):
    due = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    client.force_login(people.dsl)
    response = client.post(list_url(incident), referral_data(**when("due", due)))
    assert response.status_code == 302
    assert Referral.objects.get().response_due_at == due


def test_an_empty_referral_names_each_missing_field(client, people, incident):
    client.force_login(people.dsl)
    html = page(client.post(list_url(incident), {}))
    for text in (
        "Choose the agency the referral was made to.",
        "Enter the date the referral was made.",
        "Choose how the referral was made.",
        "Enter why the referral was made.",
    ):
        assert text in html
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (when("made", timezone.now() + dt.timedelta(days=2)), "cannot be in the future"),
        ({**when("made", ago(hours=2)), **when("due", ago(hours=3))}, "A response is due after"),
        ({"agency": "fbi"}, "Choose the agency from the list."),
        ({"contact": "999999"}, "Choose a contact from the school's list."),
    ],
)
def test_a_bad_referral_is_refused_keeping_what_was_typed(
    client, people, incident, overrides, message
):
    client.force_login(people.dsl)
    response = client.post(list_url(incident), referral_data(**overrides))
    html = page(response)
    assert response.status_code == 200
    assert message in html
    assert "PC Aaron Lindley" in html and REASONS in html
    assert not Referral.objects.exists()


def test_a_contact_for_another_agency_or_school_is_refused(client, people, incident):
    mash = AgencyContactFactory(school=people.school, agency=Agency.SOCIAL_CARE, name="MASH")
    theirs = AgencyContactFactory(school=people.other_school, agency=Agency.POLICE)
    client.force_login(people.dsl)
    html = page(client.post(list_url(incident), referral_data(contact=str(mash.pk))))
    assert "MASH is a contact for Children's social care / MASH" in html
    html = page(client.post(list_url(incident), referral_data(contact=str(theirs.pk))))
    assert "Choose a contact from the school's list." in html
    assert theirs.name not in html
    assert not Referral.objects.exists()


def test_a_referral_may_be_made_through_an_online_form(client, people, incident):
    referral = refer(people, incident, method=ContactMethod.ONLINE_FORM)
    assert referral.get_method_display() == "Online form"
    client.force_login(people.dsl)
    assert 'value="online_form"' in page(client.get(list_url(incident)))


def test_the_list_shows_status_outcome_follow_ups_and_overdue(client, people, incident):
    late = refer(people, incident, made_at=ago(days=3), response_due_at=ago(days=2))
    chase(people, late, said="Voicemail left.", escalation=True)
    answered = refer(people, incident, agency=Agency.SOCIAL_CARE, made_at=ago(days=3))
    answer(people, answered, outcome=ReferralOutcome.SOCIAL_CARE_EARLY_HELP)
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    assert html.count('govuk-tag--red">Overdue') == 1
    assert "Voicemail left." in html and "Escalated" in html
    assert "Social care: early help" in html
    assert "Outcome received" in html
    assert detail_url(late) in html and detail_url(answered) in html
    html = page(client.get(detail_url(late)))
    assert 'govuk-tag--red">Overdue' in html
    assert f"{timezone.localtime(late.response_due_at):%-d %B %Y, %H:%M}: nothing has come" in html


# --- Parents told the police are informed (002 §3.5) ---------------------------------------


def test_the_prompt_shows_on_both_pages_and_clears(client, people, incident, child):
    referral = refer(people, incident)
    client.force_login(people.dsl)
    parents = reverse("parents:list", kwargs={"incident_id": incident.pk})
    link = f"{parents}?purpose=police_informed#informed"
    for url in (list_url(incident), detail_url(referral)):
        html = page(client.get(url))
        assert "The police are being informed: tell the parents of" in html
        assert child.pupil.full_name in html
        assert "002 §3.5" in html
        assert f'href="{link}"' in html
    tell_parents(people, incident, child)
    for url in (list_url(incident), detail_url(referral)):
        assert "The police are being informed" not in page(client.get(url))


# --- Reasons from the triage ---------------------------------------------------------------


def checked_agencies(html: str) -> list[str]:
    radios = re.findall(r'<input[^>]*name="agency"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', radio).group(1) for radio in radios if "checked" in radio]


def test_the_form_starts_with_the_reasons_and_the_agency_asked_for(client, people):
    incident = adult_incident(people)
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident), {"agency": "police"}))
    textarea = re.search(r'<textarea[^>]*name="reasons"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea is not None
    assert triage_label("adult_involved") in textarea.group(1)
    assert checked_agencies(html) == ["police"]
    html = page(client.get(list_url(incident), {"agency": "bogus"}))
    assert checked_agencies(html) == []


@pytest.mark.parametrize("page_name", ["log:details", "cases:detail"])
def test_an_immediate_referral_triage_offers_make_a_referral_to_its_managers(
    client, people, page_name
):
    incident = adult_incident(people)
    target = f"{list_url(incident)}#make-referral"
    step = reverse(page_name, kwargs={"incident_id": incident.pk})
    client.force_login(people.dsl)
    assert f'href="{target}"' in page(client.get(step))
    client.force_login(people.head)
    assert f'href="{target}"' not in page(client.get(step))


def test_no_make_a_referral_link_when_no_criterion_fired(client, people, incident, child):
    triage_refresh(actor=people.dsl, incident=incident)
    assert not incident.triage_assessments.first().immediate_referral
    client.force_login(people.dsl)
    step = reverse("log:details", kwargs={"incident_id": incident.pk})
    assert "#make-referral" not in page(client.get(step))

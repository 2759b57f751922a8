"""Parents informed, or a decision not to inform them (002 §3.5, Annex B): who may do
what, the Annex B advice stored as text, errors naming their field, nothing saved on refusal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident, ParentContact, ParentContactPurpose, PersonKind
from incidents.parents import advice as parent_advice
from tests.factories import IncidentFactory, InvolvementFactory

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")


def url(incident: Incident) -> str:
    return reverse("parents:list", kwargs={"incident_id": incident.pk})


@pytest.fixture
def incident(people):
    return IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, status="awaiting_review"
    )


@pytest.fixture
def child(incident):
    return InvolvementFactory(incident=incident)


def informed_data(child, **overrides):
    day = timezone.localdate() - dt.timedelta(days=1)
    return {
        "record": "informed",
        "informed-involvement": str(child.pk),
        "informed-purpose": "incident",
        "informed-contact_name": "Maria Hirst",
        "informed-relationship": "mother",
        "informed-method": "in_person",
        "informed-contacted_on_0": str(day.day),
        "informed-contacted_on_1": str(day.month),
        "informed-contacted_on_2": str(day.year),
        "informed-contacted_time": "16:15",
        "informed-advice": ["lost_law", "lost_removal", "all_parent_support"],
        "informed-advice_notes": "Invited to a meeting on Friday.",
        **overrides,
    }


def not_informed_data(child, **overrides):
    return {
        "record": "not_informed",
        "not_informed-involvement": str(child.pk),
        "not_informed-not_informed_reasons": "Disclosure of harm at home: informing would put "
        "the child at further risk.",
        "not_informed-agreed_with": "Hannah Head, headteacher; MASH duty social worker",
        **overrides,
    }


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, incident, child, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and saves nothing."""
    client.force_login(getattr(people, who))
    assert client.get(url(incident)).status_code == get_status
    assert client.post(url(incident), {}).status_code == post_status
    assert client.put(url(incident)).status_code == 405
    assert not ParentContact.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, incident):
    for response in (client.get(url(incident)), client.post(url(incident), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_other_schools_and_missing_incident_are_404_alike(client, people):
    theirs = IncidentFactory(school=people.other_school, status="awaiting_review")
    client.force_login(people.dsl)
    missing = reverse("parents:list", kwargs={"incident_id": 999_999})
    for target in (url(theirs), missing):
        assert client.get(target).status_code == 404
        assert client.post(target, {}).status_code == 404


@pytest.mark.parametrize("who", READERS)
def test_readers_see_what_is_recorded_without_forms(client, people, incident, child, who):
    ParentContact.objects.create(
        incident=incident,
        involvement=child,
        informed=False,
        not_informed_reasons="Risk at home.",
        agreed_with="Children's social care",
        recorded_by=people.dsl,
    )
    client.force_login(getattr(people, who))
    page = client.get(url(incident)).content.decode()
    assert "You can read this record but not change it." in page
    assert "Risk at home." in page
    assert 'action="/incidents' not in page


def test_the_page_lists_pupils_and_offers_annex_b_advice(client, people, incident, child):
    InvolvementFactory(incident=incident, kind=PersonKind.ADULT, pupil=None, description="A man")
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode().replace("&#x27;", "'")
    assert child.pupil.full_name in page
    assert "A man" not in page  # only pupils' parents are asked about here
    for scenario in parent_advice.SCENARIOS:
        assert scenario.title in page
    assert "002 §3.5" in page
    assert page.count('action="/incidents') == 2  # both forms, for a DSL


# --- parents informed ----------------------------------------------------------------------


def test_recording_parents_informed(client, people, incident, child):
    client.force_login(people.deputy)
    response = client.post(url(incident), informed_data(child))
    assert response.status_code == 302
    assert response["Location"] == url(incident)
    contact = ParentContact.objects.get()
    assert (contact.incident, contact.involvement, contact.informed) == (incident, child, True)
    assert (contact.contact_name, contact.relationship, contact.method) == (
        "Maria Hirst",
        "mother",
        "in_person",
    )
    local = timezone.localtime(contact.contacted_at)
    assert (local.date(), local.strftime("%H:%M")) == (
        timezone.localdate() - dt.timedelta(days=1),
        "16:15",
    )
    for key in ("lost_law", "lost_removal", "all_parent_support"):
        assert parent_advice.POINTS[key] in contact.advice_given
    assert parent_advice.POINTS["sent_ceop"] not in contact.advice_given
    assert "002 Annex B" in contact.advice_given
    assert contact.advice_given.endswith("Invited to a meeting on Friday.")
    assert contact.recorded_by == people.deputy
    assert contact.history.get().history_user == people.deputy
    page = client.get(url(incident)).content.decode()
    assert "Recorded that" in page and "Maria Hirst" in page


def test_the_law_point_is_recorded_once_whatever_the_scenarios(client, people, incident, child):
    client.force_login(people.dsl)
    data = informed_data(child, **{"informed-advice": ["lost_law", "sent_law", "shared_law"]})
    client.post(url(incident), data)
    assert ParentContact.objects.get().advice_given.count(parent_advice.LAW) == 1


def test_informed_needs_who_how_and_when_naming_the_fields(client, people, incident, child):
    client.force_login(people.dsl)
    data = informed_data(
        child,
        **{
            "informed-contact_name": " ",
            "informed-method": "",
            "informed-contacted_on_0": "",
            "informed-contacted_on_1": "",
            "informed-contacted_on_2": "",
        },
    )
    response = client.post(url(incident), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Who was informed: Enter the name of the parent or carer informed." in page
    assert "How were they informed?: Choose how they were informed." in page
    assert "Date informed: Enter the date they were informed." in page
    assert 'value="mother"' in page  # what was typed is kept
    assert re.search(r'value="lost_removal"\s+checked', page)  # ticked advice is kept
    assert not re.search(r'value="sent_ceop"\s+checked', page)
    assert not ParentContact.objects.exists()


def test_informed_in_the_future_is_refused(client, people, incident, child):
    client.force_login(people.dsl)
    later = timezone.localdate() + dt.timedelta(days=2)
    data = informed_data(
        child,
        **{
            "informed-contacted_on_0": str(later.day),
            "informed-contacted_on_1": str(later.month),
            "informed-contacted_on_2": str(later.year),
        },
    )
    page = client.post(url(incident), data).content.decode()
    assert "Date informed: The date they were informed cannot be in the future." in page
    assert not ParentContact.objects.exists()


def test_unknown_advice_is_refused(client, people, incident, child):
    client.force_login(people.dsl)
    data = informed_data(child, **{"informed-advice": ["made_up"]})
    page = client.post(url(incident), data).content.decode()
    assert "Advice given: Choose advice from the list." in page
    assert not ParentContact.objects.exists()


# --- decision not to inform ----------------------------------------------------------------


def test_recording_a_decision_not_to_inform(client, people, incident, child):
    client.force_login(people.dsl)
    response = client.post(url(incident), not_informed_data(child))
    assert response.status_code == 302
    contact = ParentContact.objects.get()
    assert contact.informed is False
    assert contact.agreed_with.startswith("Hannah Head")
    assert contact.history.get().history_user == people.dsl


def test_not_informing_needs_reasons_and_who_agreed(client, people, incident, child):
    client.force_login(people.dsl)
    data = not_informed_data(
        child,
        **{"not_informed-not_informed_reasons": "", "not_informed-agreed_with": "  "},
    )
    response = client.post(url(incident), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Why parents are not being informed: Enter why parents are not being informed." in page
    assert "Who this decision was agreed with: Enter who this decision was agreed with." in page
    assert not ParentContact.objects.exists()


# --- the pupil -----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [informed_data, not_informed_data])
def test_a_pupil_of_another_incident_is_refused(client, people, incident, child, data):
    elsewhere = InvolvementFactory(
        incident=IncidentFactory(school=people.school, status="awaiting_review")
    )
    client.force_login(people.dsl)
    response = client.post(url(incident), data(elsewhere))
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "Which pupil's parents or carers?: Choose a pupil involved in this incident." in page
    assert not ParentContact.objects.exists()


def test_a_closed_incident_refuses_new_records(client, people, incident, child):
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", closed_at=timezone.now(), outcome_summary="Managed in school."
    )
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert "This incident is closed" in page
    assert 'action="/incidents' not in page
    assert client.post(url(incident), informed_data(child)).status_code == 409
    assert not ParentContact.objects.exists()


def test_the_call_a_seizure_needs_is_recorded_here_with_its_purpose(
    client, people, incident, child
):
    """The devices page links here with ?purpose=device_removed; the call then clears its
    prompt (002 §3.5)."""
    client.force_login(people.dsl)
    page = client.get(url(incident) + "?purpose=device_removed").content.decode()
    assert re.search(r'<input[^>]*value="device_removed"[^>]*checked', page)
    response = client.post(
        url(incident), informed_data(child, **{"informed-purpose": "device_removed"})
    )
    assert response.status_code == 302
    contact = ParentContact.objects.get()
    assert contact.purpose == ParentContactPurpose.DEVICE_REMOVED
    assert "A device is being removed from the child" in client.get(url(incident)).content.decode()


@pytest.mark.parametrize("purpose", ["", "no_device_search", "device_refused", "stolen"])
def test_a_purpose_not_offered_here_is_refused_naming_the_field(
    client, people, incident, child, purpose
):
    client.force_login(people.dsl)
    response = client.post(url(incident), informed_data(child, **{"informed-purpose": purpose}))
    assert response.status_code == 200
    assert "Why were they contacted?: Choose why they were contacted" in response.content.decode()
    assert not ParentContact.objects.exists()


def test_parents_are_not_told_through_an_online_form(client, people, incident, child):
    client.force_login(people.dsl)
    assert 'value="online_form"' not in client.get(url(incident)).content.decode()
    response = client.post(
        url(incident), informed_data(child, **{"informed-method": "online_form"})
    )
    assert response.status_code == 200
    assert "How were they informed?" in response.content.decode()
    assert not ParentContact.objects.exists()

"""The agency directory (issue 6 item 1; 002 §3.6–§3.7, Annex C): who may read and keep
it, adding, changing and retiring contacts, the trust's defaults, and the refusals: a
form missing what it needs, a page read before a colleague's save, another school's
contact."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.agencies.selectors import keeps_trust_defaults, website_link
from referrals.agencies.services import (
    RETIRED,
    agency_contact_add,
    agency_contact_retire,
    agency_contact_update,
)
from referrals.models import Agency, AgencyContact
from safeguarding.audit import StaleEditError
from safeguarding.models import Membership, Role
from safeguarding.services import membership_grant, membership_revoke
from tests.factories import AgencyContactFactory, SchoolFactory, TrustFactory

pytestmark = pytest.mark.django_db

MANAGERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")
NO_WAY = "Give a phone number, an email address or a website."


def list_url(school) -> str:
    return reverse("agencies:list", kwargs={"school_id": school.pk})


def edit_url(school, contact) -> str:
    return reverse("agencies:edit", kwargs={"school_id": school.pk, "contact_id": contact.pk})


def retire_url(school, contact) -> str:
    return reverse("agencies:retire", kwargs={"school_id": school.pk, "contact_id": contact.pk})


def page(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def details(**overrides) -> dict[str, str]:
    return {
        "agency": Agency.POLICE,
        "name": "PC Patel, safer schools officer",
        "phone": "0113 000 0001",
        "email": "",
        "website": "",
        "notes": "Term time, 8am to 4pm.",
        **overrides,
    }


@pytest.fixture
def contact(people):
    return agency_contact_add(actor=people.dsl, school=people.school, **details())


@pytest.fixture
def default(people):
    return agency_contact_add(
        actor=people.trust_lead,
        trust=people.school.trust,
        agency=Agency.NSPCC,
        name="NSPCC adults helpline",
        phone="0808 800 5002",
    )


# --- Who may read and keep the directory ------------------------------------------------


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in (*MANAGERS, "trust_lead")]
    + [("head", 200, 403)]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_list_matrix(client, people, who, get_status, post_status):
    """An empty POST from someone who keeps contacts shows the form's errors (200)."""
    client.force_login(getattr(people, who))
    assert client.get(list_url(people.school)).status_code == get_status
    assert client.post(list_url(people.school), {}).status_code == post_status
    assert client.put(list_url(people.school)).status_code == 405
    assert not AgencyContact.objects.exists()


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in MANAGERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_school_contact_matrix(client, people, contact, who, get_status, post_status):
    client.force_login(getattr(people, who))
    assert client.get(edit_url(people.school, contact)).status_code == get_status
    assert client.post(edit_url(people.school, contact), {}).status_code == post_status
    assert client.get(retire_url(people.school, contact)).status_code == 405
    assert client.post(retire_url(people.school, contact), {}).status_code == post_status
    contact.refresh_from_db()
    assert (contact.version, contact.retired_at) == (1, None)


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [("trust_lead", 200, 200)]
    + [(who, 200, 403) for who in (*MANAGERS, "head")]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_trust_default_matrix(client, people, default, who, get_status, post_status):
    """Only the trust lead keeps the trust's defaults; to the school's DSLs they are read-only."""
    client.force_login(getattr(people, who))
    assert client.get(edit_url(people.school, default)).status_code == get_status
    assert client.post(edit_url(people.school, default), {}).status_code == post_status
    assert client.post(retire_url(people.school, default), {}).status_code == post_status
    default.refresh_from_db()
    assert (default.version, default.retired_at) == (1, None)


def test_anonymous_is_sent_to_sign_in(client, people, contact):
    for response in (
        client.get(list_url(people.school)),
        client.post(list_url(people.school), details()),
        client.get(edit_url(people.school, contact)),
        client.post(edit_url(people.school, contact), {}),
        client.post(retire_url(people.school, contact), {}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert AgencyContact.objects.count() == 1


def test_readers_see_the_directory_without_forms(client, people, contact, default):
    client.force_login(people.head)
    html = page(client.get(list_url(people.school)))
    assert "You can read these contacts but not change them." in html
    assert 'name="name"' not in html
    assert "PC Patel, safer schools officer" in html
    assert "NSPCC adults helpline" in html
    html = page(client.get(edit_url(people.school, contact)))
    assert "You can read this contact but not change it." in html
    assert '<form method="post"\n              action="/schools' not in html
    assert 'name="version"' not in html


def test_another_schools_contact_is_404_like_a_missing_one(client, people):
    theirs = AgencyContactFactory(school=people.other_school)
    elsewhere = AgencyContactFactory(school=None, trust=TrustFactory())
    unrelated = AgencyContactFactory(school=SchoolFactory())
    client.force_login(people.dsl)
    missing = client.get(
        reverse("agencies:edit", kwargs={"school_id": people.school.pk, "contact_id": 999_999})
    )
    assert missing.status_code == 404
    for other in (theirs, elsewhere, unrelated):
        response = client.get(edit_url(people.school, other))
        assert response.status_code == 404
        assert response.content == missing.content
        for url in (edit_url(people.school, other), retire_url(people.school, other)):
            assert client.post(url, {**details(), "version": "1"}).status_code == 404
        other.refresh_from_db()
        assert (other.version, other.retired_at) == (1, None)
    # Their school's page is not this DSL's either, even naming one of this school's contacts.
    assert client.get(list_url(people.other_school)).status_code == 404


# --- Adding contacts ----------------------------------------------------------------------


@pytest.mark.parametrize("who", MANAGERS)
def test_a_dsl_adds_a_school_contact(client, people, who):
    client.force_login(getattr(people, who))
    response = client.post(list_url(people.school), details(email="p.patel@police.example"))
    assert response.status_code == 302
    assert response["Location"] == list_url(people.school)
    contact = AgencyContact.objects.get()
    assert (contact.school, contact.trust, contact.agency) == (people.school, None, Agency.POLICE)
    assert contact.email == "p.patel@police.example"
    assert contact.history.get().history_user == getattr(people, who)
    html = page(client.get(response["Location"]))
    assert "Added PC Patel, safer schools officer to Riverside Academy's contacts." in html
    # The other school of the trust does not see it.
    client.force_login(people.other_dsl)
    assert "0113 000 0001" not in page(client.get(list_url(people.other_school)))


def test_a_dsl_cannot_add_a_trust_default(client, people):
    """No choice is offered; a posted one is not theirs to make, so the contact is the school's."""
    client.force_login(people.dsl)
    assert 'name="for_whom"' not in page(client.get(list_url(people.school)))
    response = client.post(list_url(people.school), details(for_whom="trust"))
    assert response.status_code == 302
    contact = AgencyContact.objects.get()
    assert (contact.school, contact.trust) == (people.school, None)


def test_the_trust_lead_adds_a_default_for_every_school(client, people):
    client.force_login(people.trust_lead)
    response = client.post(
        list_url(people.school),
        details(
            agency=Agency.CEOP, name="CEOP", phone="", website="www.ceop.police.uk/safety-centre"
        ),
    )
    assert response.status_code == 302
    contact = AgencyContact.objects.get()
    assert (contact.school, contact.trust) == (None, people.school.trust)
    assert contact.history.get().history_user == people.trust_lead
    client.force_login(people.other_dsl)
    html = page(client.get(list_url(people.other_school)))
    assert "CEOP" in html
    assert "Trust default" in html
    assert 'href="https://www.ceop.police.uk/safety-centre"' in html


def test_a_dsl_who_is_also_trust_lead_chooses_whom_it_is_for(client, people):
    membership_grant(
        user=people.dsl, school=people.school, role=Role.TRUST_LEAD, granted_by=people.operator
    )
    client.force_login(people.dsl)
    html = page(client.get(list_url(people.school)))
    assert "Riverside Academy only" in html
    assert "For every school of the trust" in html
    response = client.post(list_url(people.school), details(for_whom="teachers"))
    assert "Who is it for?: Choose whom the contact is for from the list." in page(response)
    assert not AgencyContact.objects.exists()
    assert client.post(list_url(people.school), details(for_whom="trust")).status_code == 302
    assert client.post(list_url(people.school), details(for_whom="school")).status_code == 302
    assert sorted(
        (c.school_id is None, c.trust_id is None) for c in AgencyContact.objects.all()
    ) == [(False, True), (True, False)]


def test_a_revoked_trust_lead_no_longer_keeps_the_defaults(people):
    assert keeps_trust_defaults(people.trust_lead, people.school)
    for membership in Membership.objects.filter(user=people.trust_lead):
        membership_revoke(membership=membership, revoked_by=people.operator)
    assert not keeps_trust_defaults(people.trust_lead, people.school)
    lone = SchoolFactory(trust=None)
    membership_grant(user=people.dsl, school=lone, role=Role.TRUST_LEAD, granted_by=people.operator)
    assert not keeps_trust_defaults(people.dsl, lone)


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"name": " "}, "Name: Enter the contact's name."),
        ({"phone": "", "email": "", "website": ""}, f"Phone (optional): {NO_WAY}"),
        ({"email": "not an address"}, "Email address (optional): Enter an email address like"),
        ({"agency": "mi5"}, "Agency: Choose an agency from the list."),
        ({"agency": ""}, "Agency: Choose the agency."),
        ({"name": "x" * 201}, "Name: Ensure this value has at most 200 characters"),
    ],
)
def test_refusals_name_the_field_and_keep_the_input(client, people, posted, message):
    client.force_login(people.dsl)
    data = details(notes="Ask for the duty sergeant.", **posted)
    response = client.post(list_url(people.school), data)
    html = page(response)
    assert response.status_code == 200
    assert message in html
    assert "Ask for the duty sergeant." in html
    assert "<title>\n  Error:" in html or "Error: Agencies" in html
    assert not AgencyContact.objects.exists()


def test_the_service_refuses_what_the_model_refuses(people):
    cases = [
        ({"school": people.school, "name": "  ", "phone": "101"}, "name"),
        ({"school": people.school, "name": "101"}, "phone"),
        ({"name": "101", "phone": "101"}, "school"),
        (
            {"school": people.school, "trust": people.school.trust, "name": "101", "phone": "101"},
            "school",
        ),
        ({"school": people.school, "name": "101", "phone": "101", "email": "nope"}, "email"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as error:
            agency_contact_add(actor=people.dsl, agency=Agency.POLICE, **fields)
        assert field in error.value.message_dict, fields
    with pytest.raises(ValidationError) as error:
        agency_contact_add(
            actor=people.dsl, agency="mi5", school=people.school, name="x", phone="1"
        )
    assert "agency" in error.value.message_dict
    assert not AgencyContact.objects.exists()


# --- Changing and retiring ----------------------------------------------------------------


def test_a_dsl_changes_a_contact(client, people, contact):
    client.force_login(people.deputy)
    response = client.post(
        edit_url(people.school, contact),
        details(name="PC Shah, safer schools officer", phone="0113 000 0002", version="1"),
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.phone, contact.version) == (
        "PC Shah, safer schools officer",
        "0113 000 0002",
        2,
    )
    latest = contact.history.latest()
    assert (latest.history_user, latest.history_type) == (people.deputy, "~")
    html = page(client.get(edit_url(people.school, contact)))
    assert "Changed" in html
    assert "Dev Deputy" in html
    assert "Dana Lead" in html  # who added it


def test_an_edit_is_refused_naming_the_field(client, people, contact):
    client.force_login(people.dsl)
    response = client.post(
        edit_url(people.school, contact), details(phone="", email="", website="", version="1")
    )
    assert response.status_code == 200
    assert f"Phone (optional): {NO_WAY}" in page(response)
    contact.refresh_from_db()
    assert contact.version == 1


@pytest.mark.parametrize("version", ["", "abc", "0", "99999999999999999999", "1e309"])
def test_a_missing_or_impossible_version_is_refused_above_the_form(
    client, people, contact, version
):
    client.force_login(people.dsl)
    for url in (edit_url(people.school, contact), retire_url(people.school, contact)):
        response = client.post(url, details(version=version))
        assert response.status_code == 200
        assert "This form is out of date: open the page again." in page(response)
    contact.refresh_from_db()
    assert (contact.version, contact.retired_at) == (1, None)


def test_a_stale_edit_is_refused_showing_the_colleagues_change(client, people, contact):
    client.force_login(people.dsl)
    agency_contact_update(
        actor=people.colleague_dsl,
        contact=contact,
        expected_version=1,
        **{**details(), "phone": "0113 000 0009", "agency": Agency.SOCIAL_CARE},
    )
    response = client.post(
        edit_url(people.school, contact), details(notes="Ask for PC Patel.", version="1")
    )
    html = page(response)
    assert response.status_code == 200
    assert "Someone else changed this contact while you were editing" in html
    assert "Phone: 0113 000 0001 → 0113 000 0009" in html
    assert "Agency: Police → Children's social care / MASH" in html
    assert "Ask for PC Patel." in html  # their answers are kept
    assert 'name="version" value="2"' in html
    contact.refresh_from_db()
    assert (contact.phone, contact.notes, contact.version) == (
        "0113 000 0009",
        "Term time, 8am to 4pm.",
        2,
    )
    # Saving again now applies this form, knowingly.
    assert (
        client.post(
            edit_url(people.school, contact), details(notes="Ask for PC Patel.", version="2")
        ).status_code
        == 302
    )
    contact.refresh_from_db()
    assert (contact.phone, contact.notes, contact.version) == (
        "0113 000 0001",
        "Ask for PC Patel.",
        3,
    )


def test_the_service_refuses_a_stale_update(people, contact):
    agency_contact_update(
        actor=people.dsl, contact=contact, expected_version=1, **details(phone="1")
    )
    with pytest.raises(StaleEditError):
        agency_contact_update(actor=people.deputy, contact=contact, expected_version=1, **details())
    with pytest.raises(StaleEditError):
        agency_contact_retire(actor=people.deputy, contact=contact, expected_version=1)


def test_a_dsl_retires_a_contact(client, people, contact):
    client.force_login(people.dsl)
    response = client.post(retire_url(people.school, contact), {"version": "1"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.retired_at is not None
    assert contact.version == 2
    assert contact.history.latest().history_user == people.dsl
    html = page(client.get(list_url(people.school)))
    assert "Retired PC Patel, safer schools officer." in html
    retired = html.split('id="retired"')[1]
    assert "PC Patel, safer schools officer" in retired
    assert "PC Patel" not in html.split('id="retired"')[0].split("Agencies and contacts</h1>")[1]
    edit = page(client.get(edit_url(people.school, contact)))
    assert "Retired on" in edit
    assert ">Retired<" in edit.replace("\n", "").replace(" ", "").replace(
        '<tdclass="govuk-table__cell">', ">"
    )
    assert 'name="name"' not in edit
    # A retired contact is kept as it was.
    for url in (edit_url(people.school, contact), retire_url(people.school, contact)):
        response = client.post(url, details(version="2"))
        assert response.status_code == 409
        assert RETIRED in page(response)
    contact.refresh_from_db()
    assert contact.version == 2


def test_a_stale_retirement_is_refused_showing_the_colleagues_change(client, people, contact):
    client.force_login(people.dsl)
    agency_contact_update(
        actor=people.colleague_dsl, contact=contact, expected_version=1, **details(name="PC Shah")
    )
    response = client.post(retire_url(people.school, contact), {"version": "1"})
    html = page(response)
    assert response.status_code == 200
    assert "Name: PC Patel, safer schools officer → PC Shah" in html
    contact.refresh_from_db()
    assert contact.retired_at is None
    assert client.post(retire_url(people.school, contact), {"version": "2"}).status_code == 302


def test_an_edit_after_a_colleague_retired_it_shows_the_retirement(client, people, contact):
    client.force_login(people.dsl)
    agency_contact_retire(actor=people.colleague_dsl, contact=contact, expected_version=1)
    contact.version = 1
    contact.retired_at = None  # the page was read before the retirement
    response = client.post(edit_url(people.school, contact), details(version="1"))
    # The view reads the contact afresh: retired, so refused as such.
    assert response.status_code == 409
    assert RETIRED in page(response)


def test_the_trust_lead_keeps_the_defaults(client, people, default):
    client.force_login(people.trust_lead)
    response = client.post(
        edit_url(people.other_school, default),
        {
            "agency": Agency.NSPCC,
            "name": "NSPCC helpline",
            "phone": "0808 800 5000",
            "version": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == list_url(people.other_school)
    default.refresh_from_db()
    assert (default.name, default.version) == ("NSPCC helpline", 2)
    assert default.history.latest().history_user == people.trust_lead
    assert client.post(retire_url(people.school, default), {"version": "2"}).status_code == 302
    default.refresh_from_db()
    assert default.retired_at is not None


def test_dsls_read_the_defaults_but_cannot_change_them(client, people, default, contact):
    client.force_login(people.dsl)
    html = page(client.get(edit_url(people.school, default)))
    assert "This is a trust default, kept by the trust safeguarding lead" in html
    assert 'name="version"' not in html
    data = {"agency": Agency.NSPCC, "name": "Changed", "phone": "1", "version": "1"}
    assert client.post(edit_url(people.school, default), data).status_code == 403
    assert client.post(retire_url(people.school, default), {"version": "1"}).status_code == 403
    # And the trust lead cannot change the school's own contacts.
    client.force_login(people.trust_lead)
    assert client.post(edit_url(people.school, contact), details(version="1")).status_code == 403
    assert client.post(retire_url(people.school, contact), {"version": "1"}).status_code == 403
    default.refresh_from_db()
    contact.refresh_from_db()
    assert (default.version, contact.version) == (1, 1)


# --- Display ------------------------------------------------------------------------------


def test_contacts_are_grouped_by_agency_in_the_listed_order(client, people, contact, default):
    AgencyContactFactory(school=people.school, agency=Agency.CAMHS, name="Leeds CAMHS")
    AgencyContactFactory(school=None, trust=people.school.trust, agency=Agency.POLICE, name="101")
    client.force_login(people.head)
    html = page(client.get(list_url(people.school)))
    positions = [
        html.index(text)
        for text in (">Police<", "PC Patel", ">101<", ">NSPCC<", "NSPCC adults", ">CAMHS<")
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("website", "link"),
    [
        ("https://report.iwf.org.uk/", "https://report.iwf.org.uk/"),
        ("www.iwf.org.uk", "https://www.iwf.org.uk"),
        ("javascript:alert(1)", ""),
        ("Ask the office for the form", ""),
    ],
)
def test_only_web_addresses_become_links(website, link):
    assert website_link(website) == link


def test_a_script_address_is_shown_as_text(client, people):
    AgencyContactFactory(school=people.school, website="javascript:alert(1)")
    client.force_login(people.dsl)
    html = page(client.get(list_url(people.school)))
    assert "javascript:alert(1)" in html
    assert 'href="javascript' not in html


def test_the_page_costs_the_same_for_1_or_10_contacts(client, people):
    from guardian.ctypes import get_content_type

    def queries(school) -> int:
        client.get(list_url(school))  # warm the caches (content types, session)
        if hasattr(get_content_type, "cache_clear"):
            get_content_type.cache_clear()
            client.get(list_url(school))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url(school)).status_code == 200
        return len(captured)

    small = people.school
    large = people.other_school
    AgencyContactFactory(school=small)
    for n in range(10):
        contact = AgencyContactFactory(school=large, name=f"Contact {n}")
        if n % 2:
            agency_contact_retire(actor=people.other_dsl, contact=contact, expected_version=1)
    membership_grant(user=people.dsl, school=large, role=Role.DSL, granted_by=people.operator)
    client.force_login(people.dsl)
    assert queries(small) == queries(large)
    assert page(client.get(list_url(large))).count("Contact ") == 10

"""`manage.py seed_demo`: the demo trust, schools, accounts, pupils and incidents."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import Settings

from demo.data import (
    DEMO_PASSWORD,
    DEMO_TOTP_KEY,
    DEMO_URL,
    OPERATOR,
    RIVERSIDE,
    SCHOOLS,
    TRUST_LEAD,
    demo_totp_key_bytes,
)
from incidents.models import (
    Decision,
    Incident,
    IncidentStatus,
    Involvement,
    ParentContact,
    PersonKind,
)
from referrals.models import Agency, Referral
from safeguarding.models import (
    Jurisdiction,
    Membership,
    Pupil,
    Role,
    School,
    SocialCare,
    TriagePreset,
    Trust,
    User,
)
from safeguarding.upn import is_temporary, upn_problem

DOMAIN_MODELS: list[type[models.Model]] = [
    Trust,
    School,
    User,
    Membership,
    Pupil,
    Incident,
    Involvement,
    Decision,
    ParentContact,
    Referral,
]
DEMO_EMAILS = [
    *(account.email for spec in SCHOOLS for account in spec.staff),
    TRUST_LEAD.email,
    OPERATOR.email,
]
TWO_FACTOR_EMAILS = [
    *(
        account.email
        for spec in SCHOOLS
        for account in spec.staff
        if account.role in (Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER)
    ),
    TRUST_LEAD.email,
    OPERATOR.email,
]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in DOMAIN_MODELS}


@pytest.fixture
def output(db: None, settings: Settings) -> str:
    """The seed's output, run once with DEBUG on (pytest-django restores it afterwards)."""
    settings.DEBUG = True
    return seed()


@pytest.mark.django_db
def test_refuses_to_run_without_debug(settings: Settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"published password.*DJANGO_DEBUG=true"):
        seed()
    assert set(counts().values()) == {0}


def test_creates_the_trust_and_its_two_schools(output: str) -> None:
    trust = Trust.objects.get(name="Riverside Learning Trust")
    riverside = School.objects.get(urn="140123")
    spain = School.objects.get(jurisdiction=Jurisdiction.SPAIN)
    assert riverside.trust == trust
    assert spain.trust == trust
    assert School.objects.count() == 2
    assert (riverside.name, riverside.reference_prefix) == ("Riverside Academy", "RA")
    assert riverside.jurisdiction == Jurisdiction.ENGLAND_WALES
    assert riverside.triage_preset == TriagePreset.ALL
    assert spain.reference_prefix == "CB"
    assert spain.triage_preset == TriagePreset.UKCCIS_2016
    assert len(spain.urn) == 8
    assert spain.urn.isdigit()


def test_each_school_has_the_four_roles_and_the_trust_lead(output: str) -> None:
    trust_lead = User.objects.get(email=TRUST_LEAD.email)
    for school in School.objects.all():
        active = Membership.objects.filter(school=school, revoked_at__isnull=True)
        roles = [Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER, Role.STAFF, Role.TRUST_LEAD]
        if school.urn == RIVERSIDE.urn:  # its data manager imports the example CTF
            roles.append(Role.DATA_MANAGER)
        assert sorted(active.values_list("role", flat=True)) == sorted(roles)
        assert active.get(role=Role.TRUST_LEAD).user == trust_lead
        dsl = active.get(role=Role.DSL).user
        staff = active.get(role=Role.STAFF).user
        # Granted through the service, so the guardian permissions came with the roles.
        assert dsl.has_perm("safeguarding.manage_incidents", school)
        assert not staff.has_perm("safeguarding.view_incidents", school)
        assert trust_lead.has_perm("safeguarding.view_incidents", school)
    operator = User.objects.get(email=OPERATOR.email)
    assert operator.is_superuser
    assert operator.is_staff
    assert not operator.memberships.exists()
    assert set(Membership.objects.values_list("granted_by", flat=True)) == {operator.pk}
    # Personal accounts: a real-looking name for every demo login, no shared mailbox.
    assert all(" " in user.full_name for user in User.objects.all())


def test_about_sixty_pupils_per_school_with_valid_upns_and_consistent_ages(output: str) -> None:
    today = timezone.localdate()
    start = today.year if today >= dt.date(today.year, 9, 1) else today.year - 1
    first_september = dt.date(start, 9, 1)
    for school in School.objects.all():
        pupils = list(school.pupils.all())
        assert 55 <= len(pupils) <= 65
        assert all(upn_problem(pupil.upn) is None for pupil in pupils)
        assert any(is_temporary(pupil.upn) for pupil in pupils)
        assert {pupil.sex for pupil in pupils} == {"F", "M"}
        assert {int(pupil.year_group) for pupil in pupils} == set(range(7, 14))
        for pupil in pupils:
            # Year 7 pupils are 11 on 1 September, Year 13 pupils 17.
            assert pupil.age_on(first_september) == int(pupil.year_group) + 4, pupil
        assert len({pupil.full_name for pupil in pupils}) == len(pupils)
    riverside_upns = Pupil.objects.filter(school__urn="140123").values_list("upn", flat=True)
    assert all(upn[1:4] in {"383", "380", "382", "384"} for upn in riverside_upns)
    assert Pupil.objects.filter(send=True).exists()
    assert Pupil.objects.filter(social_care=SocialCare.PREVIOUS).exists()
    assert Pupil.objects.filter(child_protection_history=True).exists()
    looked_after = Pupil.objects.filter(looked_after=True)
    assert looked_after.exists()
    assert all(pupil.social_care == SocialCare.CURRENT for pupil in looked_after)


def test_incidents_cover_the_statuses_and_the_workflow(output: str) -> None:
    now = timezone.now()
    statuses = set(Incident.objects.values_list("status", flat=True))
    assert len(statuses) >= 4
    for school in School.objects.all():
        incidents = school.incidents.all()
        assert 4 <= incidents.count() <= 5
        assert all(i.reference.startswith(f"{school.reference_prefix}-") for i in incidents)
    assert all(i.came_to_light_at < now for i in Incident.objects.all())
    assert all(d.decided_at < now for d in Decision.objects.all())
    for incident in Incident.objects.filter(status=IncidentStatus.CLOSED):
        assert incident.closed_at is not None
        assert incident.outcome_summary.strip()

    # Under 13 with sexual acts: referred to the police by phone.
    under_13 = Incident.objects.get(school__urn="140123", sexual_acts=True)
    assert under_13.status == IncidentStatus.REFERRED
    pictured = under_13.involvements.filter(is_pictured=True)
    assert all(i.pupil and i.pupil.age_on(under_13.incident_date) < 13 for i in pictured)
    police = under_13.referrals.get(agency=Agency.POLICE)
    assert police.method == "phone"
    assert "under 13" in police.reasons
    assert "002 §3.3" in police.reasons

    # Still being logged: an unknown online account demanding money.
    logging = Incident.objects.get(school__urn="140123", status=IncidentStatus.LOGGING)
    assert logging.financial_demand
    assert logging.involvements.filter(kind=PersonKind.UNKNOWN, is_requester=True).exists()

    # Parents not informed: reasons and who agreed it, with a social care referral.
    not_informed = ParentContact.objects.get(informed=False)
    assert not_informed.not_informed_reasons.strip()
    assert not_informed.agreed_with.strip()
    assert not_informed.incident.referrals.filter(agency=Agency.SOCIAL_CARE).exists()

    # Consensual exchange in a relationship: managed in school, both families informed.
    managed = Incident.objects.get(school__urn="140123", status=IncidentStatus.MANAGED_IN_SCHOOL)
    assert managed.relationship
    assert managed.decisions.get().outcome == "manage_in_school"
    assert managed.parent_contacts.filter(informed=True).count() == 2

    # Imagery is only ever described.
    assert all("not viewed" in i.imagery_description.lower() for i in Incident.objects.all())


def test_a_second_run_adds_nothing(output: str) -> None:
    before = counts()
    devices = list(TOTPDevice.objects.values_list("pk", "user_id", "key"))
    again = seed()
    assert counts() == before
    assert list(TOTPDevice.objects.values_list("pk", "user_id", "key")) == devices
    assert "nothing was added" in again


def test_accounts_that_must_use_two_factor_get_the_demo_authenticator(output: str) -> None:
    devices = TOTPDevice.objects.filter(confirmed=True).select_related("user")
    assert sorted(d.user.email for d in devices) == sorted(TWO_FACTOR_EMAILS)
    assert {d.key for d in devices} == {demo_totp_key_bytes().hex()}
    assert "two-factor devices 8" in output
    staff = User.objects.filter(memberships__role=Role.STAFF)
    assert staff.count() == 2
    assert not TOTPDevice.objects.filter(user__in=staff).exists()


def test_an_account_with_its_own_authenticator_keeps_it(output: str) -> None:
    dsl = User.objects.get(email="dsl@riverside.example")
    TOTPDevice.objects.filter(user=dsl).delete()
    own = TOTPDevice.objects.create(user=dsl, name="My phone", confirmed=True)
    seed()
    assert list(TOTPDevice.objects.filter(user=dsl)) == [own]
    TOTPDevice.objects.filter(user=dsl).delete()
    seed()
    assert TOTPDevice.objects.get(user=dsl).key == demo_totp_key_bytes().hex()


def test_output_says_how_to_get_two_factor_codes(output: str) -> None:
    assert "manage.py demo_code" in output
    assert DEMO_TOTP_KEY in output
    for email in DEMO_EMAILS:
        (line,) = [line for line in output.splitlines() if line.strip().startswith(email + " ")]
        assert (" yes " in line) == (email in TWO_FACTOR_EMAILS), line


def test_demo_code_prints_a_code_the_demo_accounts_accept(output: str) -> None:
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    code = out.getvalue().splitlines()[0]
    assert len(code) == 6
    assert code.isdigit()
    device = TOTPDevice.objects.get(user__email="head@costadelsol.example")
    assert device.verify_token(code)


def test_demo_code_refuses_to_run_without_debug(settings: Settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"published demo key.*DJANGO_DEBUG=true"):
        call_command("demo_code", stdout=io.StringIO())


def test_the_demo_dsl_signs_in_with_the_printed_code(output: str, client) -> None:
    client.post(reverse("login"), {"username": "dsl@riverside.example", "password": DEMO_PASSWORD})
    verify = client.get(reverse("home"))
    assert verify["Location"].startswith(reverse("account:two_factor_verify"))
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    response = client.post(verify["Location"], {"code": out.getvalue().splitlines()[0]})
    assert response["Location"] == reverse("home")
    assert "Riverside Academy" in client.get(reverse("home")).content.decode()


def test_the_sign_in_address_is_where_make_run_serves(db, settings) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", "--url", "http://127.0.0.1:8124/", stdout=out)
    assert "Sign in at http://127.0.0.1:8124/ with" in out.getvalue()


def test_output_lists_the_demo_logins_and_the_password(output: str) -> None:
    assert DEMO_URL in output
    assert DEMO_PASSWORD in output
    for email in DEMO_EMAILS:
        assert email in output


def test_the_demo_password_passes_the_validators(output: str) -> None:
    for email in DEMO_EMAILS:
        validate_password(DEMO_PASSWORD, User.objects.get(email=email))


def test_the_demo_dsl_can_log_in(output: str) -> None:
    dsl = User.objects.get(email="dsl@riverside.example")
    # django-axes needs the request to count failures against the account.
    request = RequestFactory().post("/login/")
    email = "dsl@riverside.example"
    assert authenticate(request, username=email, password=DEMO_PASSWORD) == dsl
    assert authenticate(request, email=email, password=DEMO_PASSWORD) == dsl
    assert authenticate(request, username=email, password="wrong password") is None


def test_history_rows_name_the_person_who_acted(output: str) -> None:
    for model in (Pupil, Membership, Incident, Involvement, Decision, ParentContact, Referral):
        history = model.history.all()
        assert history.exists(), model
        assert not history.filter(history_user__isnull=True).exists(), model
    for record in Incident.history.filter(history_type="+"):
        assert Membership.objects.filter(
            user=record.history_user, school_id=record.school_id, role=Role.DSL
        ).exists()
    operator = User.objects.get(email=OPERATOR.email)
    assert set(Pupil.history.values_list("history_user", flat=True)) == {operator.pk}

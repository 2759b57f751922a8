"""Login, the home page and the operators' admin, through HTTP."""

import pytest
from django.urls import reverse

from safeguarding.models import School
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_by_email_then_home_lists_schools_and_roles(client, people):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=people.dsl, name="Phone")
    response = client.post(
        reverse("login"), {"username": "DSL@riverside.example", "password": PASSWORD}
    )
    assert response.status_code == 302, response.content
    code = f"{TOTP(device.bin_key).token():06d}"
    assert client.post(reverse("account:two_factor_verify"), {"code": code}).status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert "Riverside Academy" in page
    assert "Designated safeguarding lead" in page
    assert "Hillside School" not in page


def test_wrong_password_says_so_without_revealing_the_account(client, people):
    response = client.post(reverse("login"), {"username": "dsl@riverside.example", "password": "x"})
    assert response.status_code == 200
    assert "Enter a correct email address and password." in response.content.decode()


def test_login_with_a_malformed_email_names_the_field(client, people):
    response = client.post(reverse("login"), {"username": "not an email", "password": "x"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()


def test_trust_lead_sees_both_schools(client, people):
    client.force_login(people.trust_lead)
    page = client.get(reverse("home")).content.decode()
    assert "Riverside Academy" in page and "Hillside School" in page
    assert page.count("Trust safeguarding lead") == 2


def test_user_without_roles_is_told_how_to_get_one(client, people):
    client.force_login(people.nobody)
    assert "no role in any school" in client.get(reverse("home")).content.decode()


def test_home_refuses_post(client, people):
    client.force_login(people.dsl)
    assert client.post(reverse("home")).status_code == 405


def test_logout_is_post_only(client, people):
    client.force_login(people.dsl)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_pages_have_skip_link_and_landmarks(client, people):
    client.force_login(people.dsl)
    page = client.get(reverse("home")).content.decode()
    assert 'href="#main-content"' in page
    assert '<main class="govuk-main-wrapper" id="main-content">' in page
    assert 'lang="en-GB"' in page


@pytest.mark.parametrize("who", ["dsl", "head", "trust_lead", "nobody"])
def test_admin_is_closed_to_everyone_but_superusers(client, people, who):
    client.force_login(getattr(people, who))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_superuser_admin_edit_is_audited_with_the_request_user(client, people):
    client.force_login(people.operator)
    school = people.school
    url = reverse("admin:safeguarding_school_change", args=[school.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(name="Riverside Academy (renamed)", trust=school.trust_id)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = School.history.filter(id=school.pk).first()
    assert row.name == "Riverside Academy (renamed)"
    assert row.history_user == people.operator


def test_admin_cannot_delete_domain_rows(client, people):
    client.force_login(people.operator)
    url = reverse("admin:safeguarding_school_delete", args=[people.school.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert School.objects.filter(pk=people.school.pk).exists()


def test_home_links_to_the_triage_policy_only_where_incidents_are_readable(client, people):
    from safeguarding.models import Role
    from tests.conftest import grant

    grant(people.staff, people.other_school, Role.DSL, people.operator)
    client.force_login(people.staff)
    page = client.get(reverse("home")).content.decode()
    assert reverse("incidents:triage_policy", args=[people.other_school.pk]) in page
    assert reverse("incidents:triage_policy", args=[people.school.pk]) not in page


def test_home_page_queries_do_not_grow_with_the_number_of_schools(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.models import Role
    from tests.conftest import grant
    from tests.factories import SchoolFactory

    client.force_login(people.trust_lead)
    client.get(reverse("home"))  # warm guardian's content-type cache
    with CaptureQueriesContext(connection) as two_schools:
        client.get(reverse("home"))
    for _ in range(5):
        grant(people.trust_lead, SchoolFactory(), Role.TRUST_LEAD, people.operator)
    with CaptureQueriesContext(connection) as seven_schools:
        page = client.get(reverse("home")).content.decode()
    assert page.count("Triage policy<span") == 7
    assert len(seven_schools.captured_queries) == len(two_schools.captured_queries)


def _admin_form_data(client, url):
    """What the browser would post back from the admin change form, unchanged."""
    import datetime as dt

    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, dt.datetime):  # the admin's split date and time inputs
            data[f"{name}_0"], data[f"{name}_1"] = f"{value:%Y-%m-%d}", f"{value:%H:%M:%S}"
        elif value is not None:
            data[name] = value
    return data


@pytest.mark.parametrize(
    ("model", "name_field"), [("school", "name"), ("pupil", "given_name"), ("user", "full_name")]
)
def test_a_stale_admin_edit_is_refused_naming_what_changed(client, people, model, name_field):
    from tests.factories import PupilFactory

    obj = {"school": people.school, "user": people.staff}.get(model) or PupilFactory(
        school=people.school
    )
    url = reverse(f"admin:safeguarding_{model}_change", args=[obj.pk])
    client.force_login(people.operator)
    first, second = _admin_form_data(client, url), _admin_form_data(client, url)
    first[name_field] = "First editor's value"
    second[name_field] = "Second editor's value"
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    import re

    assert re.search(rf"changed [^(]*\b{name_field}\b[^(]*\(by ", page)
    obj.refresh_from_db()
    assert getattr(obj, name_field) == "First editor's value"

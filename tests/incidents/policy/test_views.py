"""The school's triage policy page: everyone who reads incidents may look; headteachers
and trust leads may change it."""

import pytest
from django.urls import reverse

from safeguarding.models import School

pytestmark = pytest.mark.django_db

VALID = {
    "triage_preset": "ukccis-2016",
    "significant_age_gap_years": "4",
    "unknown_age_is_adult": "on",
    "version": "1",
}


def url(school):
    return reverse("incidents:triage_policy", kwargs={"school_id": school.pk})


@pytest.mark.parametrize(
    ("who", "status", "shows_form"),
    [
        ("dsl", 200, False),
        ("deputy", 200, False),
        ("head", 200, True),
        ("trust_lead", 200, True),
        ("staff", 404, False),
        ("other_dsl", 404, False),
        ("nobody", 404, False),
    ],
)
def test_get_matrix(client, people, who, status, shows_form):
    client.force_login(getattr(people, who))
    response = client.get(url(people.school))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "significant age difference" in page.lower()
        assert ("Change policy" in page) is shows_form


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("dsl", 403),
        ("deputy", 403),
        ("head", 302),
        ("trust_lead", 302),
        ("staff", 404),
        ("other_dsl", 404),
        ("nobody", 404),
    ],
)
def test_post_matrix(client, people, who, status):
    client.force_login(getattr(people, who))
    response = client.post(url(people.school), VALID)
    assert response.status_code == status
    school = School.objects.get(pk=people.school.pk)
    assert (school.triage_preset == "ukccis-2016") is (status == 302)


def test_anonymous_is_sent_to_sign_in(client, people):
    for response in (client.get(url(people.school)), client.post(url(people.school), VALID)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_missing_school_is_404_like_another_schools(client, people):
    client.force_login(people.head)
    missing = client.get(reverse("incidents:triage_policy", kwargs={"school_id": 999_999}))
    theirs = client.get(url(people.other_school))
    assert missing.status_code == theirs.status_code == 404


def test_wrong_method_is_405(client, people):
    client.force_login(people.head)
    assert client.put(url(people.school)).status_code == 405
    assert client.delete(url(people.school)).status_code == 405


def test_change_is_audited_and_shown(client, people):
    client.force_login(people.head)
    response = client.post(url(people.school), VALID, follow=True)
    page = response.content.decode()
    assert "Triage policy changed" in page
    assert "UKCCIS 2016 (002)" in page
    row = School.history.filter(id=people.school.pk).first()
    assert row.triage_preset == "ukccis-2016"
    assert row.significant_age_gap_years == 4
    assert row.history_user == people.head


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("triage_preset", "everything", "Select a valid choice"),
        ("significant_age_gap_years", "0", "greater than or equal to 1"),
        ("significant_age_gap_years", "11", "less than or equal to 10"),
        ("significant_age_gap_years", "three", "Enter a whole number"),
        ("significant_age_gap_years", "9" * 30, "less than or equal to 10"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(client, people, field, value, message):
    client.force_login(people.head)
    response = client.post(url(people.school), {**VALID, field: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'href="#id_{field}' in page  # the error summary links to the field
    assert School.objects.get(pk=people.school.pk).triage_preset == "all"


def test_a_stale_form_is_refused_showing_the_colleagues_change(client, people):
    client.force_login(people.trust_lead)
    client.post(url(people.school), {**VALID, "triage_preset": "ukcis"})
    client.force_login(people.head)
    response = client.post(url(people.school), VALID)  # still version 1
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed the policy" in page
    assert "ukcis" in page
    assert School.objects.get(pk=people.school.pk).triage_preset == "ukcis"
    assert 'name="version" value="2"' in page  # saving again applies the head's choice
    resubmitted = client.post(url(people.school), {**VALID, "version": "2"})
    assert resubmitted.status_code == 302
    assert School.objects.get(pk=people.school.pk).triage_preset == "ukccis-2016"

"""Your details: a member of staff records their own sex, which decides whose imagery
they may view (002 §5.1). Signed-in people only, errors naming the field, every change
audited, and an operator's change made meanwhile never written over."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.accounts.forms import DetailsForm
from safeguarding.audit import save_audited
from safeguarding.models import Sex, User

pytestmark = pytest.mark.django_db

URL = reverse("account:details")


def test_anonymous_is_sent_to_sign_in(client):
    for response in (client.get(URL), client.post(URL, {"sex": "F"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_dsl_proves_the_second_factor_first(client, people):
    client.force_login_without_two_factor(people.dsl)
    response = client.post(URL, {"sex": "F"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:two_factor_setup"))
    people.dsl.refresh_from_db()
    assert people.dsl.sex == ""


def test_wrong_method_is_405(client, people):
    client.force_login(people.staff)
    assert client.put(URL).status_code == 405


def test_every_page_links_to_your_details(client, people):
    client.force_login(people.staff)
    assert f'href="{URL}"' in client.get(reverse("home"), follow=True).content.decode()


@pytest.mark.parametrize("who", ["dsl", "head", "staff", "trust_lead", "nobody"])
def test_anyone_signed_in_records_their_own_sex(client, people, who):
    user = getattr(people, who)
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "Not recorded" in page and "002 §5.1" in page and user.email in page
    response = client.post(URL, {"sex": "M"})
    assert response.status_code == 302
    assert response["Location"] == URL
    user.refresh_from_db()
    assert user.sex == Sex.MALE
    newest = user.history.order_by("-history_id").first()
    assert (newest.sex, newest.history_user) == (Sex.MALE, user)
    page = client.get(URL).content.decode()
    assert "Your details are saved." in page
    assert '<dd class="govuk-summary-list__value">Male</dd>' in page
    assert 'value="M"\n                     checked' in page


def test_only_your_own_details_change(client, people):
    client.force_login(people.dsl)
    client.post(URL, {"sex": "F", "user": people.head.pk, "email": "x@example.com"})
    people.head.refresh_from_db()
    people.dsl.refresh_from_db()
    assert (people.head.sex, people.dsl.sex) == ("", Sex.FEMALE)
    assert people.dsl.email == "dsl@riverside.example"


@pytest.mark.parametrize(
    ("posted", "message"),
    [({}, "Your sex: Choose your sex."), ({"sex": "X"}, "Your sex: Choose female or male.")],
)
def test_a_missing_or_unknown_answer_is_refused_naming_the_field(client, people, posted, message):
    client.force_login(people.dsl)
    before = people.dsl.history.count()
    response = client.post(URL, posted)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert people.dsl.history.count() == before


def test_an_operators_change_made_meanwhile_is_kept(people):
    """The form saves on a fresh copy: the stale one in hand does not overwrite the name
    and deactivation an operator saved after it was read."""
    stale = User.objects.get(pk=people.staff.pk)
    current = User.objects.get(pk=people.staff.pk)
    current.full_name, current.is_active = "Samira Staff", False
    save_audited(current, actor=people.operator)
    form = DetailsForm({"sex": "F"})
    assert form.is_valid()
    form.save(stale)
    saved = User.objects.get(pk=people.staff.pk)
    assert (saved.sex, saved.full_name, saved.is_active) == (Sex.FEMALE, "Samira Staff", False)


def test_the_admin_user_form_has_the_sex(client, people):
    client.force_login(people.operator)
    page = client.get(reverse("admin:safeguarding_user_change", args=[people.dsl.pk]))
    assert 'name="sex"' in page.content.decode()
    add = client.get(reverse("admin:safeguarding_user_add"))
    assert 'name="sex"' in add.content.decode()

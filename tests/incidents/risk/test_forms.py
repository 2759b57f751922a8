"""The risk assessment form's rules, through the page: the summary required with
what was typed kept, bad input refused naming the field, flags only for the people
the form showed, no future assessment, and no form without its version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from incidents.models import RiskAssessment
from incidents.questions import answer_field
from incidents.risk.forms import flag_field
from incidents.risk.questions import WHY_SHARED
from tests.incidents.risk.builders import NOTE, checked, form_data, pictured, text, url

pytestmark = pytest.mark.django_db

# --- the form's rules --------------------------------------------------------------------


def test_the_summary_is_required_and_input_is_kept(client, people, managed):
    client.force_login(people.dsl)
    data = form_data(managed, summary="   ", posted_online="on")
    response = client.post(url(managed), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Summary of the risks and how they will be managed: "
        "Enter a summary of the risks and how they will be managed."
    ) in page
    assert NOTE in text(page)  # what was typed is kept
    assert checked(page, "id_posted_online")
    assert not RiskAssessment.objects.exists()
    managed.refresh_from_db()
    assert managed.posted_online is False  # nothing written on refusal


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {answer_field(WHY_SHARED): "maybe"},
            "Was a pupil put under pressure or coerced?: Answer yes, no or not known.",
        ),
        (
            {answer_field(WHY_SHARED): ""},
            "Was a pupil put under pressure or coerced?: Answer yes, no or not known.",
        ),
        ({"flag_coerced": ["999999"]}, "Coerced or pressured into it: Choose people involved"),
        ({"shown": ["999999"]}, "People involved: The people involved have changed"),
        ({"assessed_time": "25:00"}, "Time of the assessment: Enter a time like 14:30."),
        ({"consensual": "perhaps"}, "Was it shared with the consent of the child pictured?:"),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, people, managed, overrides, message):
    client.force_login(people.dsl)
    response = client.post(url(managed), form_data(managed, **overrides))
    assert response.status_code == 200
    assert message in text(response.content.decode())
    assert not RiskAssessment.objects.exists()


def test_a_flag_for_people_the_form_did_not_show_is_refused(client, people, managed):
    client.force_login(people.dsl)
    chloe = pictured(managed)
    data = form_data(managed, shown=[], **{flag_field("coerced"): [str(chloe.pk)]})
    page = client.post(url(managed), data).content.decode()
    assert "People involved: The people involved have changed" in text(page)
    assert 'href="#id_flag_coerced' not in page  # no link to boxes the page does not show
    assert not RiskAssessment.objects.exists()
    chloe.refresh_from_db()
    assert chloe.coerced is False


def test_a_future_assessment_is_refused(client, people, managed):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client.force_login(people.dsl)
    data = form_data(
        managed,
        assessed_on_0=str(tomorrow.day),
        assessed_on_1=str(tomorrow.month),
        assessed_on_2=str(tomorrow.year),
    )
    response = client.post(url(managed), data)
    assert "Date of the assessment: The date of the assessment cannot be in the future." in (
        response.content.decode()
    )
    assert not RiskAssessment.objects.exists()


def test_a_form_without_its_version_is_refused(client, people, managed):
    client.force_login(people.dsl)
    data = form_data(managed)
    del data["version"]
    response = client.post(url(managed), data)
    assert "This form is out of date" in response.content.decode()
    assert not RiskAssessment.objects.exists()

"""The demo DSL logs a new incident through all five steps in a real browser, and the
first two steps work with the keyboard alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from incidents.models import Incident, IncidentStatus
from safeguarding.models import Pupil, School

pytestmark = pytest.mark.browser


def two_sixteen_year_olds() -> list[Pupil]:
    """Two Riverside pupils aged 16 who are in no incident yet, so no earlier incident
    counts against them."""
    today = timezone.localdate()
    pupils = [
        pupil
        for pupil in Pupil.objects.filter(
            school__reference_prefix="RA", involvements__isnull=True
        ).order_by("pk")
        if pupil.age_on(today) == 16
    ]
    return pupils[:2]


def fill_start(page: Page) -> None:
    day = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Disclosure by the pupil involved").check()
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Time it came to light").fill("08:45")
    page.get_by_label("What happened").fill(
        "She told her tutor that a photo she sent is going round."
    )


def test_dsl_logs_an_incident_in_five_steps(page: Page, demo, sign_in, live_server, axe_violations):
    school = School.objects.get(reference_prefix="RA")
    first, second = two_sixteen_year_olds()
    sign_in("dsl@riverside.example")
    page.goto(live_server.url + reverse("log:start", kwargs={"school_id": school.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("How and when it came to light")
    assert axe_violations(page) == []

    # A mistake is named and what was typed is kept.
    fill_start(page)
    page.get_by_label("Year").fill("20")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Date it came to light: The year must have 4")
    expect(page.get_by_label("What happened")).to_have_value(
        "She told her tutor that a photo she sent is going round."
    )
    assert axe_violations(page) == []
    page.get_by_label("Year").fill(str((timezone.localdate() - dt.timedelta(days=1)).year))
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("People involved")
    expect(page.get_by_text("Add the people involved to see the triage.")).to_be_visible()
    assert axe_violations(page) == []
    for pupil in (first, second):
        page.get_by_label("Search the school's roll by name or UPN").fill(pupil.full_name)
        page.get_by_role("button", name="Search").click()
        page.get_by_label(f"{pupil.full_name},").check()
        for role in ("Pictured", "Sent it", "Received it"):
            page.get_by_role("group", name="How is this pupil involved?").get_by_label(
                role, exact=True
            ).check()
        assert axe_violations(page) == []
        page.get_by_role("button", name="Add pupil").click()
        expect(page.get_by_role("alert")).to_contain_text(f"{pupil.full_name} added")
        expect(page.get_by_role("rowheader", name=pupil.full_name)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Continue to what is known about the imagery").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What is known about the imagery")
    expect(page.get_by_text("Never view, copy or upload the imagery")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("What you have been told about the imagery").fill(
        "A photo of her, topless, described by her. No sexual acts."
    )
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("How it was shared")
    assert axe_violations(page) == []
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("It was shared within a relationship").check()
    page.get_by_label("Apps and sites involved").fill("Snapchat")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    triage = page.get_by_role("region", name="Triage")
    expect(triage).to_contain_text("the school may manage this incident")
    expect(triage).to_contain_text("experimental_romantic")
    expect(page.get_by_role("definition").filter(has_text="Snapchat")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Finish logging").click()
    expect(page.get_by_role("alert")).to_contain_text("awaits the initial review meeting")
    assert axe_violations(page) == []

    incident = Incident.objects.filter(school=school).latest("created_at")
    assert incident.status == IncidentStatus.AWAITING_REVIEW
    assert {p.pupil for p in incident.involvements.all()} == {first, second}
    assert incident.relationship and incident.consensual and incident.platforms == "Snapchat"
    assert incident.triage_assessments.first().recommendation == "school_may_manage"


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {target} with Tab")


def test_start_and_people_steps_with_the_keyboard_only(page: Page, demo, sign_in, live_server):
    school = School.objects.get(reference_prefix="RA")
    pupil = two_sixteen_year_olds()[0]
    sign_in("dsl@riverside.example")
    page.goto(live_server.url + reverse("log:start", kwargs={"school_id": school.pk}))
    day = timezone.localdate() - dt.timedelta(days=1)

    tab_to(page, page.get_by_label("Disclosure by the pupil involved"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Day"))
    page.keyboard.type(str(day.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.year))
    page.keyboard.press("Tab")
    page.keyboard.type("08:45")
    page.keyboard.press("Tab")
    page.keyboard.type("Told by a friend.")
    tab_to(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("People involved")
    tab_to(page, page.get_by_label("Search the school's roll by name or UPN"))
    page.keyboard.type(pupil.full_name)
    page.keyboard.press("Enter")
    radio = page.get_by_label(f"{pupil.full_name},")
    tab_to(page, radio)
    page.keyboard.press("Space")
    expect(radio).to_be_checked()
    pictured = page.get_by_role("group", name="How is this pupil involved?").get_by_label(
        "Pictured", exact=True
    )
    tab_to(page, pictured)
    page.keyboard.press("Space")
    expect(pictured).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Add pupil"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text(f"{pupil.full_name} added")
    incident = Incident.objects.filter(school=school).latest("created_at")
    person = incident.involvements.get()
    assert (person.pupil, person.roles) == (pupil, ["pictured"])
    assert incident.narrative == "Told by a friend."

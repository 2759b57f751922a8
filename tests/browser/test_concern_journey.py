"""At phone width (375 px), a teacher reports a concern in a few actions, the DSL is
emailed, sees it waiting, acknowledges it and opens the incident, whose chronology
starts with the concern; every concern page passes axe."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from incidents.models import Concern, Incident
from safeguarding.models import School

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def test_a_teacher_reports_and_the_dsl_opens_an_incident(
    page: Page, demo, sign_in, live_server, axe_violations
):
    school = School.objects.get(reference_prefix="RA")
    page.set_viewport_size(PHONE)
    sign_in("staff@riverside.example", lands_on="Report a concern")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.get_by_role("heading", name="Tell the DSL now")).to_be_visible()
    mail.outbox.clear()

    # The report, in five actions: search, tick, describe, send.
    page.get_by_label("Search for the pupil by name").fill("Chloe Hirst")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Chloe Hirst, Year 11").check()
    page.get_by_label("What did you see or hear?").fill(
        "Two pupils in Year 11 were showing each other something on a phone and laughing."
    )
    page.get_by_role("button", name="Send to the DSL").click()

    concern = Concern.objects.filter(school=school).latest("reported_at")
    assert concern.account.startswith("Two pupils in Year 11")
    expect(page.get_by_role("alert")).to_contain_text(f"Its reference is {concern.reference}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Concern {concern.reference}")
    assert axe_violations(page) == []
    told = {message.to[0] for message in mail.outbox}
    assert {"dsl@riverside.example", "deputy@riverside.example"} <= told
    assert all("Chloe" not in message.body for message in mail.outbox)

    page.goto(live_server.url + reverse("concerns:mine"))
    expect(page.get_by_role("cell", name=concern.reference)).to_be_visible()
    assert axe_violations(page) == []

    # The DSL sees it waiting on the home page, oldest first, and opens it.
    page.context.clear_cookies()
    sign_in("dsl@riverside.example")
    waiting = page.get_by_role("table", name="Concerns waiting for a DSL")
    expect(waiting.get_by_role("link", name=concern.reference)).to_be_visible()
    assert axe_violations(page) == []
    waiting.get_by_role("link", name=concern.reference).click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("alert")).to_contain_text("You acknowledged concern")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Open a new incident").click()
    assert axe_violations(page) == []
    roles = page.get_by_role("group", name="How is Chloe Hirst involved?")
    roles.get_by_label("Pictured").check()
    page.get_by_role("button", name="Open the incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People involved")

    incident = Incident.objects.get(concern_outcomes__concern=concern)
    page.goto(live_server.url + reverse("cases:detail", kwargs={"incident_id": incident.pk}))
    first_entry = page.locator("#chronology ~ ol > li").first
    expect(first_entry).to_contain_text(f"Concern {concern.reference} reported by James Pickering")


def test_the_dsls_concern_pages_pass_axe_at_phone_width(
    page: Page, demo, sign_in, live_server, axe_violations
):
    school = School.objects.get(reference_prefix="RA")
    page.set_viewport_size(PHONE)
    sign_in("dsl@riverside.example")
    for url in (
        reverse("concerns:list", kwargs={"school_id": school.pk}),
        reverse("concerns:settings", kwargs={"school_id": school.pk}),
        reverse("concerns:report", kwargs={"school_id": school.pk}),
    ):
        page.goto(live_server.url + url)
        assert axe_violations(page) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url

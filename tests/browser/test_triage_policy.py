"""A headteacher reads and changes the school's triage policy in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from safeguarding.models import School

pytestmark = pytest.mark.browser


def test_headteacher_changes_the_preset_and_open_incidents_are_re_triaged(
    page: Page, demo, sign_in, axe_violations
):
    sign_in("head@riverside.example")
    page.get_by_role("link", name="Triage policy of Riverside Academy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage policy")
    expect(page.get_by_role("row", name="Under 13")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("UKCCIS 2016 (002)").check()
    page.get_by_label("Significant age difference, in years").fill("4")
    page.get_by_role("button", name="Change policy").click()

    expect(page.get_by_role("alert")).to_contain_text("Triage policy changed")
    expect(page.get_by_role("definition").first).to_contain_text("UKCCIS 2016 (002)")
    assert axe_violations(page) == []
    school = School.objects.get(reference_prefix="RA")
    assert (school.triage_preset, school.significant_age_gap_years) == ("ukccis-2016", 4)
    open_incident = (
        school.incidents.exclude(status="closed").filter(triage_assessments__isnull=False).first()
    )
    assert open_incident.triage_assessments.first().policy == "ukccis-2016"


def test_bad_age_gap_is_shown_next_to_the_field(page: Page, demo, sign_in, axe_violations):
    sign_in("trustlead@riverside-trust.example")
    page.get_by_role("link", name="Triage policy of Riverside Academy").click()
    page.get_by_label("Significant age difference, in years").fill("0")
    page.get_by_role("button", name="Change policy").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Significant age difference, in years: Ensure this value is greater than or equal to 1"
    )
    expect(page.get_by_label("Significant age difference, in years")).to_have_value("0")
    assert axe_violations(page) == []


def test_dsl_reads_the_policy_without_a_form(page: Page, demo, sign_in, axe_violations):
    sign_in("dsl@riverside.example")
    page.get_by_role("link", name="Triage policy of Riverside Academy").click()
    expect(page.get_by_role("button", name="Change policy")).to_have_count(0)
    assert axe_violations(page) == []

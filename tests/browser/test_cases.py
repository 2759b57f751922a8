"""The demo DSL opens the caseload, finds a pupil, reads their chronology and an
incident's record, and pages through a long access log, in a real browser; axe-core
finds nothing on any of the pages."""

import pytest
from playwright.sync_api import Page, expect

from incidents.models import Incident

pytestmark = pytest.mark.browser


def test_dsl_reads_the_caseload_a_chronology_and_an_incident(
    page: Page, demo, sign_in, axe_violations
):
    sign_in("dsl@riverside.example")
    page.get_by_role("link", name="Incidents of Riverside Academy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Incidents")
    open_table = page.get_by_role("table", name="Open incidents")
    open_references = (
        Incident.objects.filter(school__reference_prefix="RA")
        .exclude(status="closed")
        .values_list("reference", flat=True)
    )
    assert len(open_references) == 4
    for reference in open_references:
        expect(open_table.get_by_role("link", name=reference)).to_be_visible()
    expect(open_table).to_contain_text("Immediate referral")
    expect(open_table).to_contain_text("School may manage")
    expect(open_table).to_contain_text("Headteacher sign-off awaited")
    closed_table = page.get_by_role("table", name="Closed incidents, newest first")
    expect(closed_table.get_by_role("row")).to_have_count(2)
    assert axe_violations(page) == []

    page.get_by_label("Find a pupil").fill("Hirst")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Chloe Hirst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chloe Hirst")
    chronology = page.get_by_role("table", name="Chronology, oldest first")
    expect(chronology.get_by_role("row")).to_have_count(2)
    expect(chronology).to_contain_text("Pictured")
    assert axe_violations(page) == []

    relationship = Incident.objects.get(involvements__pupil__family_name="Hirst")
    chronology.get_by_role("link", name=relationship.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(relationship.reference)
    expect(page.get_by_role("heading", name="Triage", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="People involved")).to_contain_text("Reece Ackroyd")
    timeline = page.locator("ol").filter(has_text="Incident logged")
    expect(timeline).to_contain_text("Decision: Initial review meeting")
    expect(timeline).to_contain_text("Parents informed: Chloe Hirst")
    expect(timeline).to_contain_text("recorded")
    expect(timeline).to_contain_text("by Sarah Whitaker")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Documents").click()
    expect(page).to_have_url(
        f"{page.url.split('/incidents/')[0]}/incidents/{relationship.pk}/documents/"
    )


def test_dsl_pages_through_a_long_access_log(page: Page, demo, sign_in, axe_violations):
    from incidents.access_log import access_record
    from incidents.models import AccessAction
    from safeguarding.models import User

    incident = Incident.objects.filter(school__reference_prefix="RA").order_by("pk").first()
    head = User.objects.get(email="head@riverside.example")
    for n in range(104):
        access_record(user=head, incident=incident, action=AccessAction.VIEWED, detail=f"#{n}")
    sign_in("dsl@riverside.example")
    page.goto(f"{page.url.rstrip('/')}/incidents/{incident.pk}/")
    page.get_by_role("link", name="Who has looked at this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Who has looked at {incident.reference}"
    )
    log = page.get_by_role("table", name="Access log")
    expect(log.get_by_role("row")).to_have_count(101)  # the header and a hundred entries
    expect(page.get_by_text("Entries 1 to 100 of 105, page 1 of 2.")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Older entries").click()
    expect(log.get_by_role("row")).to_have_count(6)
    expect(log).to_contain_text("#0")
    expect(log).to_contain_text("Viewed the incident page")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Newer entries").click()
    expect(log).to_contain_text("#103")

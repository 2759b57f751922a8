"""End-to-end: a decision not to refer, signed off by the headteacher, corrected by the
DSL, seen as superseded and signed again (issue 7; 002 §7.0).

The DSL records the initial review deciding to manage the incident in school. The
headteacher finds it in the sign-off queue, reads the decision and the audit trail, and
signs with a statement and the password again (a wrong password first: nothing is
signed). The DSL then corrects the rationale; the item is back in the headteacher's
queue, the review page shows the earlier sign-off as superseded with what changed, and the
headteacher signs again. axe-core checks every page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from demo.data import DEMO_PASSWORD
from incidents.models import SignOff, SignOffAction
from tests.browser.journey_steps import (
    Journey,
    Logged,
    dashboard_row,
    days_ago,
    form_with_button,
    latest_incident,
    log_incident,
    open_incident,
    open_step,
    pupils_aged,
    record_initial_review,
)

pytestmark = pytest.mark.browser

SCHOOL = "Riverside Academy"
HEAD = "head@riverside.example"
DSL = "dsl@riverside.example"
FIRST_RATIONALE = "Consensual exchange between two 16-year-olds; no aggravating factors."
CORRECTED = "Consensual exchange between two 16-year-olds in a relationship; both families told."


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def open_queue(j: Journey) -> None:
    """From the home page, the headteacher's sign-off queue for the school."""
    j.page.get_by_role("link", name=f"Sign-off queue of {SCHOOL}").click()
    j.visit("Awaiting your sign-off")


def queue_row(j: Journey, reference: str):
    queue = j.page.get_by_role("table", name="awaiting sign-off")
    return queue.get_by_role("row").filter(has_text=reference)


def sign(j: Journey, statement: str, password: str = DEMO_PASSWORD) -> None:
    form = form_with_button(j.page, "Submit")
    form.get_by_label("Sign off", exact=True).check()
    form.get_by_label("Your statement or comment").fill(statement)
    form.get_by_label("Your password").fill(password)
    form.get_by_role("button", name="Submit").click()


def test_decision_not_to_refer_signed_superseded_by_a_correction_and_signed_again(
    page: Page, demo, sign_in, axe_violations
):
    j = Journey(page, axe_violations)
    day = days_ago(2)
    girl, boy = pupils_aged(16, day, sexes=("F", "M"))
    exchanged = ["Pictured", "Sent it", "Received it"]

    # The DSL logs the incident and decides, at the initial review, not to refer.
    sign_in(DSL)
    j.visit("Your schools")
    log_incident(
        j,
        SCHOOL,
        Logged(
            how="Disclosure by the pupil involved",
            on=day,
            at="08:45",
            narrative=f"{girl.full_name} told her tutor she and her boyfriend swapped photos.",
            people=[(girl, exchanged), (boy, exchanged)],
            imagery="A topless photo of each of them, as she describes it. No sexual acts.",
            consensual="Yes",
            sharing_facts=("It was shared within a relationship",),
            platforms="Snapchat",
        ),
    )
    reference = latest_incident("RA").reference
    open_incident(j, dashboard_row(j, reference), reference)
    record_initial_review(
        j,
        reference,
        on=day,
        at="11:00",
        outcome="Manage within school, without referral",
        rationale=FIRST_RATIONALE,
    )
    sign_out(page)

    # The headteacher reviews the decision and its trail, and signs.
    sign_in(HEAD)
    j.visit("Your schools")
    open_queue(j)
    row = queue_row(j, reference)
    expect(row).to_contain_text("Decision not to refer")
    expect(row).to_contain_text("New")
    row.get_by_role("link", name="Review").click()
    j.visit("Review for sign-off: decision not to refer")
    expect(page.get_by_role("region", name="Triage")).to_be_visible()
    expect(page.locator("main")).to_contain_text(FIRST_RATIONALE)
    expect(page.locator("main")).to_contain_text("Decision added by Sarah Whitaker")

    sign(j, "Agreed: proportionate to manage in school.", password="not the password")
    j.error("Your password")
    assert not SignOff.objects.filter(incident__reference=reference).exists()
    sign(j, "Agreed: proportionate to manage in school.")
    j.done("signed off")
    j.visit("Awaiting your sign-off")
    expect(queue_row(j, reference)).to_have_count(0)
    sign_out(page)

    # The DSL corrects the rationale.
    sign_in(DSL)
    open_incident(j, dashboard_row(j, reference), reference)
    open_step(j, "Initial review meeting", "Initial review meeting")
    page.get_by_role("link", name="Correct the reasons").click()
    j.visit("Correct the reasons for a decision")
    page.get_by_label("Why", exact=True).fill(CORRECTED)
    page.get_by_role("button", name="Save the correction").click()
    j.done("Decision corrected")
    j.visit(reference)
    sign_out(page)

    # The headteacher sees the sign-off superseded, with what changed, and signs again.
    sign_in(HEAD)
    open_queue(j)
    row = queue_row(j, reference)
    expect(row).to_contain_text("Changed since it was signed off")
    row.get_by_role("link", name="Review").click()
    j.visit("Review for sign-off: decision not to refer")
    main = page.locator("main")
    expect(main).to_contain_text("Superseded")
    expect(main).to_contain_text("Decision: Rationale changed")
    expect(main).to_contain_text(f"'{FIRST_RATIONALE}' → '{CORRECTED}'")
    sign(j, "Agreed with the corrected rationale.")
    j.done("signed off")
    expect(queue_row(j, reference)).to_have_count(0)

    signed = list(SignOff.objects.filter(incident__reference=reference).order_by("pk"))
    assert [sign_off.action for sign_off in signed] == [SignOffAction.SIGNED] * 2
    assert signed[0].digest != signed[1].digest

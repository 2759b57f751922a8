"""End-to-end: an immediate referral made from the triage, chased, answered and closed
(issue 6; 002 §3.3, §3.5, §3.7, §7.0).

The DSL follows the triage's "Make a referral" to a form whose reasons start from the
criteria that fired, records the referral to the police with a response already overdue
(the dashboard flags it), chases and escalates it, and records the acknowledgement, the
Outcome 21 and the closing. The incident's chronology then tells the story in order, and
the referral page prompts the DSL to tell the parents the police are informed. axe-core
checks every page, including the referral form showing an error.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey_steps import (
    Journey,
    Logged,
    ParentCall,
    answer,
    assert_chronology,
    back_to_incident,
    chronology_time,
    dashboard_row,
    days_ago,
    fill_date,
    form_with_button,
    latest_incident,
    log_incident,
    open_incident,
    open_step,
    pupils_aged,
    record_parents_informed,
    summary_value,
)

pytestmark = pytest.mark.browser

SCHOOL = "Riverside Academy"
FLAG_FOLLOW_UP = "Referral follow-up due"
CRITERION = "Sexual acts and a child under 13"
CRITERION_REASON = "the imagery shows sexual acts (000, 002 §3.3, 003)"
OFFICER = "PC Jordan Hale, safer schools officer (example)"
POLICE_INFORMED = "The police are being informed (002 §3.5)"
#: The team referred to, which the success messages name.
TEAM = "West Yorkshire Police, Leeds district"
PARENTS_PROMPT = "The police are being informed: tell the parents of"


def open_referral(j: Journey, agency: str = "Police") -> None:
    """From the incident page, the referrals page, then the referral to `agency`."""
    open_step(j, "Referrals", "Referrals")
    j.page.get_by_role("link", name=f"Referral to {agency}", exact=True).click()
    j.visit(f"Referral to {agency}")


def make_police_referral(
    j: Journey, *, on: dt.date, at: str, spoke_to: str, due_on: dt.date, due_at: str
) -> None:
    """On the referrals page: the referral to the police through the school's safer
    schools officer. Sent first with the reasons cleared: the error names the field and
    keeps what was typed."""
    page = j.page
    form = form_with_button(page, "Record the referral")
    answer(form, "Which agency?", "Police")
    contact = form.get_by_label("Contact used (optional)")
    officer = contact.locator("option").filter(has_text=OFFICER)
    expect(officer).to_have_count(1)
    contact.select_option(label=officer.inner_text().strip())
    form.get_by_label("Agency or team (optional)").fill(TEAM)
    fill_date(form, "Date the referral was made", on)
    form.get_by_label("Time the referral was made").fill(at)
    answer(form, "How was it made?", "Phone")
    form.get_by_label("Who you spoke to (optional)").fill(spoke_to)
    form.get_by_label("The agency's reference (optional)").fill("Log 0412")
    form.get_by_label("Why the referral was made").fill("")
    form.get_by_label("What was shared (optional)").fill(
        "The children's names, ages and what the friend described. The imagery was not "
        "viewed, shown or sent."
    )
    fill_date(form, "Response due date (optional)", due_on)
    form.get_by_label("Response due time (optional)").fill(due_at)
    form.get_by_role("button", name="Record the referral").click()

    j.error("Why the referral was made: Enter why the referral was made.")
    form = form_with_button(page, "Record the referral")
    expect(form.get_by_label("Who you spoke to (optional)")).to_have_value(spoke_to)
    expect(form.get_by_role("group", name="Which agency?").get_by_label("Police")).to_be_checked()
    expect(form.get_by_label("Contact used (optional)").locator("option:checked")).to_contain_text(
        OFFICER
    )
    form.get_by_label("Why the referral was made").fill(
        f"{CRITERION}: {CRITERION_REASON}. A friend reports a video of a 12-year-old "
        "showing a sexual act on another 12-year-old's phone."
    )
    form.get_by_role("button", name="Record the referral").click()
    j.done(f"Recorded the referral to {TEAM}.")
    j.visit("Referral to Police")


def test_immediate_referral_made_from_the_triage_chased_answered_and_closed(
    page: Page, demo, sign_in, axe_violations
):
    j = Journey(page, axe_violations)
    day, next_day = days_ago(2), days_ago(1)
    in_two_days = days_ago(-2)
    girl, boy = pupils_aged(12, day, sexes=("F", "M"))
    officer = "PC 4512 Sam Ellis"
    chased = "Sergeant Amy Price, Leeds safeguarding hub"
    sign_in("dsl@riverside.example")
    j.visit("Your schools")

    log_incident(
        j,
        SCHOOL,
        Logged(
            how="Disclosure by a friend or another pupil",
            on=day,
            at="09:05",
            narrative=f"A friend of {girl.full_name} says a video of her is on "
            f"{boy.full_name}'s phone.",
            people=[
                (girl, ["Pictured", "Made the imagery", "Sent it"]),
                (boy, ["Received it", "Has it"]),
            ],
            imagery="A video of her, described by her friend as showing a sexual act.",
            imagery_facts=("It shows sexual acts",),
            platforms="Snapchat",
        ),
    )
    reference = latest_incident("RA").reference
    open_incident(j, dashboard_row(j, reference), reference)

    # The triage offers the referral, and the form starts from the criteria that fired.
    triage = page.get_by_role("region", name="Triage")
    expect(triage).to_contain_text("Immediate referral to the police or children's social care")
    triage.get_by_role("link", name="Make a referral").click()
    j.visit("Referrals")
    expect(page.get_by_text("No referral has been recorded yet.")).to_be_visible()
    reasons = form_with_button(page, "Record the referral").get_by_label(
        "Why the referral was made"
    )
    expect(reasons).to_have_value(
        re.compile(
            rf"^{re.escape(CRITERION)}: {re.escape(girl.full_name)} was 12 .*"
            + re.escape(CRITERION_REASON)
        )
    )

    # The answer was due yesterday morning and nothing came: the referral is overdue.
    make_police_referral(j, on=day, at="09:30", spoke_to=officer, due_on=next_day, due_at="09:00")
    expect(summary_value(page, "Status")).to_contain_text("Overdue")
    expect(summary_value(page, "Agency")).to_contain_text(f"Police: {TEAM}")
    expect(summary_value(page, "Agency")).to_contain_text(f"Contact used: {OFFICER}")
    expect(summary_value(page, "Spoke to")).to_have_text(officer)
    expect(summary_value(page, "Answer due")).to_contain_text("nothing has come")
    prompt = page.locator("#parents-to-tell")
    expect(prompt).to_contain_text(PARENTS_PROMPT)
    expect(prompt).to_contain_text(girl.full_name)
    expect(prompt).to_contain_text(boy.full_name)

    row = dashboard_row(j, reference)
    expect(row).to_contain_text(FLAG_FOLLOW_UP)
    open_incident(j, row, reference)
    open_referral(j)

    # Chased and escalated, with the next chase in two days: no longer overdue.
    follow_up = form_with_button(page, "Record the follow-up")
    fill_date(follow_up, "Date the agency was chased", next_day)
    follow_up.get_by_label("Time the agency was chased").fill("10:00")
    follow_up.get_by_label("Who at the agency").fill(chased)
    answer(follow_up, "How were they chased?", "Phone")
    follow_up.get_by_label("What was said").fill(
        "No acknowledgement from the safer schools officer, who is on leave. Escalated to "
        "the hub sergeant, who will allocate an officer today."
    )
    follow_up.get_by_label("This was an escalation").check()
    fill_date(follow_up, "Chase again on (optional)", in_two_days)
    follow_up.get_by_label("Chase again at (optional)").fill("10:00")
    follow_up.get_by_role("button", name="Record the follow-up").click()
    j.done(f"Recorded chasing {TEAM}.")
    j.visit("Referral to Police")
    follow_ups = summary_value(page, "Follow-ups")
    expect(follow_ups).to_contain_text(chased)
    expect(follow_ups).to_contain_text("Escalated")
    expect(summary_value(page, "Status")).not_to_contain_text("Overdue")
    row = dashboard_row(j, reference)
    expect(row).not_to_contain_text(FLAG_FOLLOW_UP)
    open_incident(j, row, reference)
    open_referral(j)

    acknowledge = form_with_button(page, "Record the acknowledgement")
    fill_date(acknowledge, "Date the agency acknowledged it", next_day)
    acknowledge.get_by_label("Time the agency acknowledged it").fill("11:00")
    acknowledge.get_by_role("button", name="Record the acknowledgement").click()
    j.done(f"Recorded that {TEAM} acknowledged the referral.")
    j.visit("Referral to Police")
    expect(summary_value(page, "Status")).to_contain_text("Acknowledged")
    expect(summary_value(page, "Agency's reference")).to_have_text("Log 0412")

    outcome = form_with_button(page, "Record the outcome")
    answer(outcome, "What did the agency decide?", "Police: Outcome 21")
    fill_date(outcome, "Date the outcome came", next_day)
    outcome.get_by_label("Time the outcome came").fill("15:00")
    outcome.get_by_label("Notes (optional)").fill(
        "Not in the public interest to investigate further; the school to support both pupils."
    )
    outcome.get_by_role("button", name="Record the outcome").click()
    j.done(f"Recorded the outcome from {TEAM}.")
    j.visit("Referral to Police")
    expect(summary_value(page, "Outcome")).to_contain_text("Police: Outcome 21")

    page.get_by_role("button", name="Close the referral").click()
    j.done(f"Closed the referral to {TEAM}.")
    j.visit("Referral to Police")
    expect(summary_value(page, "Status")).to_have_text("Closed")
    expect(
        page.get_by_text("This referral is closed: nothing more is recorded on it.")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Record the"))).to_have_count(0)

    # The prompt opens the parents page with the reason already chosen.
    expect(page.locator("#parents-to-tell")).to_contain_text(PARENTS_PROMPT)
    page.get_by_role("link", name="Record it on the parents and carers page").click()
    j.visit("Parents and carers")
    informed = form_with_button(page, "Record parents informed")
    expect(informed.get_by_label(POLICE_INFORMED)).to_be_checked()
    for pupil, name, at in (
        (girl, f"Michael {girl.family_name}", "16:00"),
        (boy, f"Grace {boy.family_name}", "16:30"),
    ):
        record_parents_informed(
            j, ParentCall(pupil, POLICE_INFORMED, name, "parent", on=next_day, at=at)
        )
    back_to_incident(j, reference)
    open_referral(j)
    expect(page.locator("#parents-to-tell")).to_have_count(0)
    page.get_by_role("link", name="Back to the referrals").click()
    j.visit("Referrals")
    back_to_incident(j, reference)

    assert_chronology(
        page,
        [
            (chronology_time(day, "09:05"), "Incident logged"),
            (chronology_time(day, "09:30"), "Referral to Police"),
            (chronology_time(next_day, "10:00"), "Referral to Police chased and escalated"),
            (chronology_time(next_day, "11:00"), "Police acknowledged the referral"),
            (
                chronology_time(next_day, "15:00"),
                "Outcome of the referral to Police: Police: Outcome 21",
            ),
            (chronology_time(next_day, "16:00"), f"Parents informed: {girl.full_name}"),
        ],
    )
    entries = page.locator("#chronology ~ ol > li")
    chase = entries.filter(has_text="Referral to Police chased and escalated")
    expect(chase.get_by_role("heading")).to_contain_text("Escalated")
    expect(chase).to_contain_text(chased)
    made = entries.filter(
        has=page.get_by_role("heading", name=re.compile(r": Referral to Police$"))
    )
    expect(made).to_have_count(1)
    expect(made).to_contain_text(CRITERION)
    expect(made).to_contain_text("Closed")

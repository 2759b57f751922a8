"""Three whole cases in a real browser, from logging to the chronology (issue 5):
a consensual exchange managed in school (logged with the keyboard alone), an under-13
case referred to the police at once, and a reasoned decision not to inform parents.

axe-core checks every page each journey visits, after an error too; the incident page's
chronology must then show what was recorded, in the order it happened. The steps are
in journey_steps.py."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey_steps import (
    Journey,
    Logged,
    ParentCall,
    answer,
    ask_to_delete,
    assert_chronology,
    back_to_incident,
    chronology_time,
    close_case,
    confirm_deletion,
    dashboard_row,
    days_ago,
    form_with_button,
    keyboard_log,
    latest_incident,
    log_incident,
    open_incident,
    open_step,
    pupils_aged,
    record_conversation,
    record_handover,
    record_initial_review,
    record_parents_informed,
    record_risk_assessment,
    record_seizure,
    record_takedown_outcome,
    record_viewing,
    report_for_takedown,
    summary_value,
)

pytestmark = pytest.mark.browser

SCHOOL = "Riverside Academy"
DSL = "Sarah Whitaker"
INCIDENT = "To tell them about the incident (002 §3.5)"
POLICE_INFORMED = "The police are being informed (002 §3.5)"
DEVICE_REMOVED = "A device is being removed from the child (002 §3.5, §3.8)"
FLAG_PARENTS = "Parent contact not recorded"
FLAG_SIGN_OFF = "Headteacher sign-off awaited"
#: The chronology's tag on a decision that goes to the headteacher (002 §7.0).
TAG_SIGN_OFF = "For headteacher sign-off"
FLAG_DELETION = "Deletion deadline passed"


def test_consensual_exchange_between_sixteen_year_olds_managed_in_school(
    page: Page, demo, sign_in, axe_violations
):
    j = Journey(page, axe_violations)
    # Two days ago, so parent contact is overdue (after a day) whatever the hour now.
    first_day, second_day = days_ago(2), days_ago(1)
    girl, boy = pupils_aged(16, first_day, sexes=("F", "M"))
    exchanged = ["Pictured", "Sent it", "Received it"]
    sign_in("dsl@riverside.example")
    j.visit("Your schools")

    keyboard_log(
        j,
        SCHOOL,
        Logged(
            how="Disclosure by the pupil involved",
            on=first_day,
            at="08:45",
            narrative=f"{girl.full_name} told her tutor she and her boyfriend swapped photos.",
            people=[(girl, exchanged), (boy, exchanged)],
            imagery="A topless photo of each of them, as she describes it. No sexual acts.",
            consensual="Yes",
            sharing_facts=("It was shared within a relationship",),
            platforms="Snapchat",
        ),
    )
    expect(page.get_by_role("region", name="Triage")).to_contain_text(
        "the school may manage this incident"
    )
    reference = latest_incident("RA").reference

    row = dashboard_row(j, reference)
    expect(row).to_contain_text("Awaiting initial review")
    expect(row).to_contain_text("School may manage")
    expect(row).to_contain_text(FLAG_PARENTS)
    expect(row).not_to_contain_text(FLAG_SIGN_OFF)
    open_incident(j, row, reference)

    record_initial_review(
        j,
        reference,
        on=first_day,
        at="11:00",
        outcome="Manage within school, without referral",
        rationale="Consensual exchange between two 16-year-olds in a relationship; no "
        "aggravating factors. Both families to be told; images to be deleted.",
    )
    j.done("headteacher sign-off awaited")
    expect(summary_value(page, "Status")).to_have_text("Managed in school")
    row = dashboard_row(j, reference)
    expect(row).to_contain_text(FLAG_SIGN_OFF)
    open_incident(j, row, reference)

    # She had shown the DSL the photo before anyone could stop her (002 §5.1).
    record_viewing(j, reference, pictured=girl, viewer=DSL, on=first_day, at="08:50")

    record_risk_assessment(
        j,
        reference,
        on=first_day,
        at="14:00",
        summary="Low risk: both understand what happened and have support at home.",
    )

    open_step(j, "Parents and carers", "Parents and carers")
    for pupil, name, relationship, at in (
        (girl, f"Karen {girl.family_name}", "mother", "16:00"),
        (boy, f"Paul {boy.family_name}", "father", "16:30"),
    ):
        record_parents_informed(
            j, ParentCall(pupil, INCIDENT, name, relationship, on=first_day, at=at)
        )
    row = dashboard_row(j, reference)
    expect(row).not_to_contain_text(FLAG_PARENTS)
    expect(row).to_contain_text(FLAG_SIGN_OFF)
    open_incident(j, row, reference)

    open_step(j, "Devices and deletion", "Devices and deletion")
    tomorrow = dt.datetime.combine(days_ago(-1), dt.time(16, 0))
    ask_to_delete(
        j, girl, on=second_day, at="09:00", deadline=dt.datetime.combine(second_day, dt.time(12))
    )
    ask_to_delete(j, boy, on=second_day, at="09:10", deadline=tomorrow)
    expect(page.get_by_role("heading", name=girl.full_name)).to_contain_text("Overdue")
    expect(page.get_by_role("heading", name=boy.full_name)).to_contain_text("Awaiting confirmation")
    row = dashboard_row(j, reference)
    expect(row).to_contain_text(FLAG_DELETION)
    open_incident(j, row, reference)
    open_step(j, "Devices and deletion", "Devices and deletion")
    confirm_deletion(j, girl, on=second_day, at="13:00")
    expect(page.get_by_role("heading", name=girl.full_name)).to_contain_text("Deletion confirmed")
    row = dashboard_row(j, reference)
    expect(row).not_to_contain_text(FLAG_DELETION)
    open_incident(j, row, reference)

    record_conversation(j, reference, girl, by=DSL, on=second_day, at="10:00")
    close_case(
        j,
        reference,
        "Managed in school: parents informed, both pupils supported, imagery deleted.",
    )
    expect(summary_value(page, "Status")).to_have_text("Closed")
    expect(summary_value(page, "Closed")).to_contain_text("imagery deleted")
    assert_chronology(
        page,
        [
            (chronology_time(first_day, "08:45"), "Incident logged"),
            (chronology_time(first_day, "08:50"), f"Imagery viewed by {DSL}"),
            (chronology_time(first_day, "11:00"), "Decision: Initial review meeting"),
            (chronology_time(first_day, "14:00"), "Risk assessment (002 §3.4, Annex A)"),
            (chronology_time(first_day, "16:00"), f"Parents informed: {girl.full_name}"),
            (chronology_time(first_day, "16:30"), f"Parents informed: {boy.full_name}"),
            (chronology_time(second_day, "09:00"), f"{girl.full_name} asked to delete"),
            (chronology_time(second_day, "09:10"), f"{boy.full_name} asked to delete"),
            (chronology_time(second_day, "10:00"), f"Conversation with {girl.full_name}"),
            (chronology_time(second_day, "13:00"), f"{girl.full_name} confirmed deleting"),
            ("", f"{girl.full_name} added"),
            ("", "Case closed"),
        ],
    )

    decision = page.locator("#chronology ~ ol > li").filter(has_text="Decision: Initial review")
    expect(decision).to_contain_text(TAG_SIGN_OFF)

    page.get_by_role("link", name=f"All incidents of {SCHOOL}").click()
    j.visit("Incidents")
    expect(
        page.get_by_role("table", name="Open incidents").get_by_role("link", name=reference)
    ).to_have_count(0)
    expect(
        page.get_by_role("table", name="Closed incidents, newest first").get_by_role(
            "link", name=reference
        )
    ).to_be_visible()


def test_under_13_case_is_referred_to_the_police_at_once(page: Page, demo, sign_in, axe_violations):
    j = Journey(page, axe_violations)
    day = days_ago(2)
    girl, boy = pupils_aged(12, day, sexes=("F", "M"))
    device = "A black iPhone 13 in a red case"
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
    triage = page.get_by_role("region", name="Triage")
    expect(triage).to_contain_text("Immediate referral to the police or children's social care")
    expect(triage).to_contain_text("Sexual acts and a child under 13")
    expect(triage).to_contain_text("the imagery shows sexual acts (000, 002 §3.3, 003)")
    reference = latest_incident("RA").reference

    row = dashboard_row(j, reference)
    expect(row).to_contain_text("Immediate referral")
    open_incident(j, row, reference)
    record_initial_review(
        j,
        reference,
        on=day,
        at="10:00",
        outcome="Refer to the police",
        rationale="Sexual imagery of a 12-year-old: an immediate referral (002 §3.3).",
        answers={"Should a referral be made to the police or social care?": "Yes"},
    )
    j.done("is referred (refer to the police)")
    expect(summary_value(page, "Status")).to_have_text("Referred")

    open_step(j, "Devices and deletion", "Devices and deletion")
    record_seizure(j, boy, device=device, on=day, at="10:30")
    expect(
        page.get_by_text(f"No call is recorded telling {boy.full_name}'s parents")
    ).to_be_visible()
    record_handover(
        j, boy, device=device, police_told="11:15", handed="15:00", on=day, to="PC 4512 Sam Ellis"
    )
    deletion = page.get_by_role("heading", name="Deleting the imagery")
    expect(deletion).to_be_visible()
    expect(
        page.get_by_text("The police are involved, so the school does not ask pupils to delete")
    ).to_be_visible()
    expect(page.get_by_text("was to refer to the police")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Record a pupil asked to delete the imagery")
    ).to_have_count(0)

    # The devices page's prompt opens the parents page with the reason already chosen.
    page.get_by_role("link", name="Record it on the parents and carers page").click()
    j.visit("Parents and carers")
    informed = form_with_button(page, "Record parents informed")
    expect(informed.get_by_label(DEVICE_REMOVED)).to_be_checked()
    record_parents_informed(
        j, ParentCall(boy, DEVICE_REMOVED, f"Grace {boy.family_name}", "mother", on=day, at="11:30")
    )
    record_parents_informed(
        j,
        ParentCall(
            girl, POLICE_INFORMED, f"Michael {girl.family_name}", "father", on=day, at="11:00"
        ),
    )
    back_to_incident(j, reference)
    open_step(j, "Devices and deletion", "Devices and deletion")
    expect(
        page.get_by_text(f"No call is recorded telling {boy.full_name}'s parents")
    ).to_have_count(0)
    back_to_incident(j, reference)

    expect(summary_value(page, "Status")).to_have_text("Referred")
    assert_chronology(
        page,
        [
            (chronology_time(day, "09:05"), "Incident logged"),
            (chronology_time(day, "10:00"), "Decision: Initial review meeting"),
            (chronology_time(day, "10:30"), f"Device taken from {boy.full_name}"),
            (chronology_time(day, "11:00"), f"Parents informed: {girl.full_name}"),
            (chronology_time(day, "11:15"), f"Police told about {boy.full_name}'s device"),
            (chronology_time(day, "11:30"), f"Parents informed: {boy.full_name}"),
            (chronology_time(day, "15:00"), f"{boy.full_name}'s device handed to the police"),
        ],
    )
    police_call = page.locator("#chronology ~ ol > li").filter(
        has_text=f"Parents informed: {girl.full_name}"
    )
    expect(police_call).to_contain_text(POLICE_INFORMED)


def test_decision_not_to_inform_parents_and_a_take_down(page: Page, demo, sign_in, axe_violations):
    j = Journey(page, axe_violations)
    day, next_day = days_ago(2), days_ago(1)
    girl, boy = pupils_aged(15, day, sexes=("F", "M"))
    agreed_with = "Mark Dobson, social worker, Leeds Children's Social Work Service"
    reasons = (
        f"{girl.given_name} says her father has hit her when she was in trouble; "
        "social care advise that telling him now would put her at risk."
    )
    sign_in("dsl@riverside.example")
    j.visit("Your schools")

    log_incident(
        j,
        SCHOOL,
        Logged(
            how="Noticed or reported by a member of staff",
            on=day,
            at="13:20",
            narrative=f"A teacher overheard pupils saying a photo of {girl.full_name} is "
            "going round a Snapchat group.",
            people=[(girl, ["Pictured", "Sent it"]), (boy, ["Received it", "Shared it on"])],
            imagery="A photo of her in her underwear, as pupils who saw it describe it.",
            sharing_facts=("It has been shared widely",),
            platforms="Snapchat",
        ),
    )
    reference = latest_incident("RA").reference
    open_incident(j, dashboard_row(j, reference), reference)
    record_initial_review(
        j,
        reference,
        on=day,
        at="15:00",
        outcome="Refer to children's social care",
        rationale="Shared around a group chat without her consent, and a concern at home.",
        answers={"Should a referral be made to the police or social care?": "Yes"},
    )

    open_step(j, "Parents and carers", "Parents and carers")
    not_informed = form_with_button(page, "Record decision not to inform")
    answer(not_informed, "Which pupil's parents or carers?", girl.full_name)
    not_informed.get_by_label("Who this decision was agreed with").fill(agreed_with)
    not_informed.get_by_role("button", name="Record decision not to inform").click()
    j.error("Why parents are not being informed: Enter why parents are not being informed.")
    not_informed = form_with_button(page, "Record decision not to inform")
    expect(not_informed.get_by_label("Who this decision was agreed with")).to_have_value(
        agreed_with
    )
    expect(not_informed.get_by_label(girl.full_name)).to_be_checked()
    not_informed.get_by_label("Why parents are not being informed").fill(reasons)
    not_informed.get_by_role("button", name="Record decision not to inform").click()
    j.done(f"Recorded the decision not to inform {girl.full_name}'s parents.")
    j.visit("Parents and carers")
    expect(page.get_by_role("definition").filter(has_text=agreed_with)).to_be_visible()
    record_parents_informed(
        j, ParentCall(boy, INCIDENT, f"Aisha {boy.family_name}", "mother", on=day, at="17:00")
    )
    back_to_incident(j, reference)

    open_step(j, "Reporting imagery online", "Reporting imagery online")
    report_for_takedown(j, platform="Snapchat", on=day, at="16:00")
    record_takedown_outcome(j, platform="Snapchat", on=next_day, at="09:30")
    back_to_incident(j, reference)

    assert_chronology(
        page,
        [
            (chronology_time(day, "13:20"), "Incident logged"),
            (chronology_time(day, "15:00"), "Decision: Initial review meeting"),
            (chronology_time(day, "16:00"), "Reported for take-down: Snapchat"),
            (chronology_time(day, "17:00"), f"Parents informed: {boy.full_name}"),
            (chronology_time(next_day, "09:30"), "Snapchat: removed"),
            ("", f"Decision not to inform parents: {girl.full_name}"),
        ],
    )
    decision = page.locator("#chronology ~ ol > li").filter(
        has_text="Decision not to inform parents"
    )
    expect(decision).to_contain_text(reasons)
    expect(decision).to_contain_text(agreed_with)

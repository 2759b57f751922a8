"""The steps of the end-to-end journeys in test_journeys.py, one small function each.

Every step goes through the pages as the DSL would, from the incident page's links,
and checks each page it lands on with axe-core (`Journey.visit`), including a page
that shows an error. Dates are counted back from today and times are in the past, so
a journey never depends on the day or the hour it runs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from incidents.models import Incident
from safeguarding.models import Pupil, SocialCare

# --- The journey and its pages ---------------------------------------------------------


@dataclass(frozen=True)
class Journey:
    """The browser page a journey drives, and the axe-core check every page must pass."""

    page: Page
    axe_violations: Callable[[Page], list[dict]]

    def visit(self, heading: str) -> None:
        """The page titled `heading` has loaded, and axe-core finds nothing on it."""
        expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)
        assert self.axe_violations(self.page) == [], f"axe-core on {self.page.url}"

    def done(self, message: str) -> None:
        """The success banner says `message`."""
        expect(self.page.get_by_role("alert").filter(has_text=message)).to_be_visible()

    def error(self, message: str) -> None:
        """The error summary says `message`, the title says there is an error, and the
        page is still accessible."""
        expect(self.page.locator(".govuk-error-summary")).to_contain_text(message)
        expect(self.page).to_have_title(re.compile(r"^Error: "))
        assert self.axe_violations(self.page) == [], f"axe-core on {self.page.url} (error)"


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def chronology_time(day: dt.date, time: str) -> str:
    """A moment as the incident page's chronology shows it ("j M Y H:i")."""
    return f"{day.day} {day:%b %Y} {time}"


def latest_incident(prefix: str) -> Incident:
    return Incident.objects.filter(school__reference_prefix=prefix).latest("created_at")


def pupils_aged(age: int, on: dt.date, *, sexes: Iterable[str], prefix: str = "RA") -> list[Pupil]:
    """One pupil of each of `sexes` ("F", "M"), aged `age` on `on`, in no incident yet
    and with no vulnerability on record, so the triage turns on the journey's facts alone."""
    free = Pupil.objects.filter(
        school__reference_prefix=prefix,
        involvements__isnull=True,
        send=False,
        looked_after=False,
        social_care=SocialCare.NONE,
        child_protection_history=False,
    )
    chosen: list[Pupil] = []
    for sex in sexes:
        pupil = next(
            pupil
            for pupil in free.filter(sex=sex).exclude(pk__in=[p.pk for p in chosen]).order_by("pk")
            if pupil.age_on(on) == age
        )
        chosen.append(pupil)
    return chosen


def fill_date(scope: Page | Locator, legend: str, day: dt.date) -> None:
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def form_with_button(page: Page, button: str) -> Locator:
    """The form a submit button belongs to, where a page has several with alike labels."""
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def answer(scope: Page | Locator, question: str, choice: str) -> None:
    scope.get_by_role("group", name=question, exact=True).get_by_label(choice, exact=True).check()


def back_to_incident(j: Journey, reference: str) -> None:
    j.page.get_by_role("link", name="Back to the incident").click()
    j.visit(reference)


def open_step(j: Journey, link: str, heading: str) -> None:
    """From the incident page, follow the link to one part of the record."""
    j.page.get_by_role("link", name=link, exact=True).click()
    j.visit(heading)


def dashboard_row(j: Journey, reference: str) -> Locator:
    """The incident's row among the open incidents on the home page (the dashboard)."""
    j.page.get_by_role("link", name="Safeguarding records").click()
    j.visit("Your schools")
    table = j.page.get_by_role("table", name="Open incidents in your schools")
    row = table.get_by_role("row").filter(has=j.page.get_by_role("link", name=reference))
    expect(row).to_be_visible()
    return row


def open_incident(j: Journey, row: Locator, reference: str) -> None:
    """From its row on the dashboard, the incident page."""
    row.get_by_role("link", name=reference).click()
    j.visit(reference)


def summary_value(page: Page, key: str) -> Locator:
    """The value beside `key` in the page's first summary list, such as the incident's
    status (the chronology's entries have summary lists of their own)."""
    term = page.get_by_role("term").filter(has_text=re.compile(f"^{re.escape(key)}$"))
    rows = page.locator(".govuk-summary-list").first.locator(".govuk-summary-list__row")
    return rows.filter(has=term).get_by_role("definition")


def assert_chronology(page: Page, expected: list[tuple[str, str]]) -> None:
    """Each (when, title) appears in the incident page's chronology, in this order;
    `when` is as the page shows it ("" where it is the moment of recording)."""
    entries = page.locator("#chronology ~ ol > li > h3").all_inner_texts()
    position = -1
    for when, title in expected:
        later = [
            index
            for index, text in enumerate(entries)
            if index > position and title in text and text.startswith(when)
        ]
        assert later, f"{when} {title!r} not found after entry {position} of {entries}"
        position = later[0]


# --- Logging with the keyboard only ----------------------------------------------------


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, target: Locator, limit: int = 150) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if is_focused(target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {target} with Tab")


def key_type(page: Page, field: Locator, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


def key_press(page: Page, control: Locator) -> None:
    """Tab to a link or button and press Enter."""
    tab_to(page, control)
    page.keyboard.press("Enter")


def key_tick(page: Page, box: Locator) -> None:
    tab_to(page, box)
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def key_choose(page: Page, radio: Locator, limit: int = 150) -> None:
    """Tab into the radio's group (one tab stop), arrow to the radio and select it."""
    in_group = "name => document.activeElement.name === name"
    name = radio.get_attribute("name")
    for _ in range(limit):
        if page.evaluate(in_group, name):
            break
        page.keyboard.press("Tab")
    for _ in range(20):
        if is_focused(radio):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(radio).to_be_checked()


def key_date(page: Page, day: dt.date) -> None:
    """The step's only date: Day, Month and Year in turn."""
    key_type(page, page.get_by_label("Day"), str(day.day))
    key_type(page, page.get_by_label("Month"), str(day.month))
    key_type(page, page.get_by_label("Year"), str(day.year))


@dataclass(frozen=True)
class Logged:
    """What to log: the five steps' answers."""

    how: str
    on: dt.date
    at: str
    narrative: str
    people: list[tuple[Pupil, list[str]]]
    imagery: str
    imagery_facts: tuple[str, ...] = ()
    consensual: str = "No, or not known"
    sharing_facts: tuple[str, ...] = ()
    platforms: str = ""


def keyboard_log(j: Journey, school: str, log: Logged) -> None:
    """All five logging steps from the home page with Tab, arrows, Space, Enter and typing."""
    page = j.page
    key_press(page, page.get_by_role("link", name=f"Incidents of {school}"))
    j.visit("Incidents")
    key_press(page, page.get_by_role("link", name="Log an incident"))
    j.visit("How and when it came to light")
    key_choose(page, page.get_by_label(log.how, exact=True))
    key_date(page, log.on)
    key_type(page, page.get_by_label("Time it came to light"), log.at)
    key_type(page, page.get_by_label("What happened"), log.narrative)
    key_press(page, page.get_by_role("button", name="Save and continue"))

    j.visit("People involved")
    for pupil, roles in log.people:
        key_type(
            page, page.get_by_label("Search the school's roll by name or UPN"), pupil.full_name
        )
        page.keyboard.press("Enter")
        radio = page.get_by_label(f"{pupil.full_name},")
        key_choose(page, radio)
        group = page.get_by_role("group", name="How is this pupil involved?")
        for role in roles:
            key_tick(page, group.get_by_label(role, exact=True))
        assert j.axe_violations(page) == []
        key_press(page, page.get_by_role("button", name="Add pupil"))
        j.done(f"{pupil.full_name} added")
        j.visit("People involved")
    key_press(page, page.get_by_role("link", name="Continue to what is known about the imagery"))

    j.visit("What is known about the imagery")
    key_type(page, page.get_by_label("What you have been told about the imagery"), log.imagery)
    for fact in log.imagery_facts:
        key_tick(page, page.get_by_label(fact, exact=True))
    key_press(page, page.get_by_role("button", name="Save and continue"))

    j.visit("How it was shared")
    key_choose(page, page.get_by_label(log.consensual, exact=True))
    for fact in log.sharing_facts:
        key_tick(page, page.get_by_label(fact, exact=True))
    key_type(page, page.get_by_label("Apps and sites involved"), log.platforms)
    key_press(page, page.get_by_role("button", name="Save and continue"))

    j.visit("Check your answers")
    key_press(page, page.get_by_role("button", name="Finish logging"))
    j.done("awaits the initial review meeting")
    j.visit("Check your answers")


# --- Logging with the mouse ------------------------------------------------------------


def log_incident(j: Journey, school: str, log: Logged) -> None:
    """All five logging steps, from the home page."""
    page = j.page
    page.get_by_role("link", name=f"Incidents of {school}").click()
    j.visit("Incidents")
    page.get_by_role("link", name="Log an incident").click()
    j.visit("How and when it came to light")
    page.get_by_label(log.how, exact=True).check()
    fill_date(page, "Date it came to light", log.on)
    page.get_by_label("Time it came to light").fill(log.at)
    page.get_by_label("What happened").fill(log.narrative)
    page.get_by_role("button", name="Save and continue").click()

    j.visit("People involved")
    for pupil, roles in log.people:
        page.get_by_label("Search the school's roll by name or UPN").fill(pupil.full_name)
        page.get_by_role("button", name="Search").click()
        page.get_by_label(f"{pupil.full_name},").check()
        group = page.get_by_role("group", name="How is this pupil involved?")
        for role in roles:
            group.get_by_label(role, exact=True).check()
        assert j.axe_violations(page) == []
        page.get_by_role("button", name="Add pupil").click()
        j.done(f"{pupil.full_name} added")
        j.visit("People involved")
    page.get_by_role("link", name="Continue to what is known about the imagery").click()

    j.visit("What is known about the imagery")
    page.get_by_label("What you have been told about the imagery").fill(log.imagery)
    for fact in log.imagery_facts:
        page.get_by_label(fact, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    j.visit("How it was shared")
    page.get_by_label(log.consensual, exact=True).check()
    for fact in log.sharing_facts:
        page.get_by_label(fact, exact=True).check()
    page.get_by_label("Apps and sites involved").fill(log.platforms)
    page.get_by_role("button", name="Save and continue").click()

    j.visit("Check your answers")
    page.get_by_role("button", name="Finish logging").click()
    j.done("awaits the initial review meeting")
    j.visit("Check your answers")


# --- After logging ---------------------------------------------------------------------

#: The initial review's questions (002 §3.3), answered as most such meetings would.
REVIEW_QUESTIONS = {
    "Is there an immediate risk to a pupil or pupils?": "No",
    "Should a referral be made to the police or social care?": "No",
    "Is there a need to view the imagery in order to safeguard the child? "
    "In most cases, you should not view imagery.": "No",
    "Is further information required to decide on the best response?": "No",
    "Has the imagery been shared widely? Say on what platforms in the note.": "No",
    "Is there a need to contact another school, setting or individual?": "No",
    "Should the parents or carers of the pupils involved be contacted? In most cases, yes.": "Yes",
}


def record_initial_review(
    j: Journey,
    reference: str,
    *,
    on: dt.date,
    at: str,
    outcome: str,
    rationale: str,
    answers: dict[str, str] | None = None,
) -> None:
    """From the incident page: the meeting, its answers and its decision."""
    page = j.page
    open_step(j, "Initial review meeting", "Initial review meeting")
    fill_date(page, "Date of the meeting", on)
    page.get_by_label("Time of the meeting").fill(at)
    page.get_by_label("Who took part").fill(
        "Sarah Whitaker (DSL), Daniel Okafor (deputy DSL), Helen Marsh (headteacher)"
    )
    for question, choice in {**REVIEW_QUESTIONS, **(answers or {})}.items():
        answer(page, question, choice)
    page.get_by_label(outcome, exact=True).check()
    page.get_by_label("Why", exact=True).fill(rationale)
    page.get_by_role("button", name="Record the decision").click()
    j.done("Initial review recorded")
    j.visit(reference)


#: The risk assessment's questions (002 Annex A), as the recorded answer asks them.
RISK_QUESTIONS = {
    "Was a pupil put under pressure or coerced?": "No",
    "Was it shared beyond its intended recipient, or without the consent of the pupil "
    "who produced it?": "No",
    "Has it been shared on social media or anywhere else online?": "No",
    "Is anyone involved under 13, or is there a significant age difference between them?": "No",
    "Did the child send the image to more than one person?": "No",
    "Does the pupil understand the possible implications of sharing the image?": "Yes",
    "Do you have any concerns about a pupil's vulnerability?": "No",
    "Are there additional concerns if the parents or carers are informed?": "No",
}


def record_risk_assessment(
    j: Journey, reference: str, *, on: dt.date, at: str, summary: str
) -> None:
    page = j.page
    open_step(j, "Risk assessment", "Risk assessment")
    fill_date(page, "Date of the assessment", on)
    page.get_by_label("Time of the assessment").fill(at)
    for question, choice in RISK_QUESTIONS.items():
        answer(page, question, choice)
    page.get_by_label("Summary of the risks and how they will be managed").fill(summary)
    page.get_by_role("button", name="Record the risk assessment").click()
    j.done("Risk assessment recorded.")
    j.visit("Risk assessment")
    expect(page.get_by_role("heading", name="Assessments recorded")).to_be_visible()
    back_to_incident(j, reference)


@dataclass(frozen=True)
class ParentCall:
    pupil: Pupil
    purpose: str
    contact_name: str
    relationship: str
    on: dt.date
    at: str


def record_parents_informed(j: Journey, call: ParentCall) -> None:
    """On the parents and carers page: who was told, how, when, why and the advice given."""
    page = j.page
    form = form_with_button(page, "Record parents informed")
    answer(form, "Which pupil's parents or carers?", call.pupil.full_name)
    answer(form, "Why were they contacted?", call.purpose)
    form.get_by_label("Who was informed").fill(call.contact_name)
    form.get_by_label("Relationship to the pupil").fill(call.relationship)
    answer(form, "How were they informed?", "Phone")
    fill_date(form, "Date informed", call.on)
    form.get_by_label("Time informed").fill(call.at)
    form.get_by_role("group", name="Advice given").get_by_role("checkbox").first.check()
    form.get_by_role("button", name="Record parents informed").click()
    j.done(f"Recorded that {call.pupil.full_name}'s parents were informed.")
    j.visit("Parents and carers")


def record_viewing(
    j: Journey, reference: str, *, pictured: Pupil, viewer: str, on: dt.date, at: str
) -> None:
    """A viewing of the imagery that could not be avoided (002 §5.1)."""
    page = j.page
    open_step(j, "Viewing the imagery", "Viewing the imagery")
    expect(page.get_by_text("No viewing of the imagery has been recorded.")).to_be_visible()
    answer(
        page, "Who is pictured in the imagery that was viewed?", f"{pictured.full_name} (female)"
    )
    answer(page, "Who viewed it?", f"{viewer} (female)")
    page.get_by_label(re.compile(r"^It was unavoidable")).check()
    page.get_by_label("Why viewing was necessary in this case").fill(
        "She held her phone up to show me before I could stop her."
    )
    fill_date(page, "Date viewed", on)
    page.get_by_label("Time viewed").fill(at)
    page.get_by_label("Who else was present").fill("No one else")
    fill_date(page, "Date the headteacher was informed", on)
    page.get_by_label("Time the headteacher was informed").fill("09:15")
    page.get_by_label("What followed").fill("Phone handed back; initial review meeting arranged.")
    page.get_by_role("button", name="Record the viewing").click()
    j.done(f"Recorded that {viewer} viewed the imagery.")
    j.visit("Viewing the imagery")
    expect(page.get_by_text("For headteacher sign-off")).to_be_visible()
    back_to_incident(j, reference)


def ask_to_delete(j: Journey, pupil: Pupil, *, on: dt.date, at: str, deadline: dt.datetime) -> None:
    """On the devices page: the pupil asked to delete the imagery by a deadline (002 §5.2)."""
    page = j.page
    form = form_with_button(page, "Record the request")
    answer(form, "Which pupil was asked?", pupil.full_name)
    fill_date(form, "Date the pupil was asked", on)
    form.get_by_label("Time the pupil was asked").fill(at)
    fill_date(form, "Deadline date", deadline.date())
    form.get_by_label("Deadline time").fill(f"{deadline:%H:%M}")
    form.get_by_label("Where it must be deleted from").fill(
        "Phone camera roll, Snapchat memories and iCloud Photos"
    )
    form.get_by_label(re.compile(r"^The pupil was told that refusing")).check()
    form.get_by_role("button", name="Record the request").click()
    j.done(f"Recorded that {pupil.full_name} was asked to delete the imagery.")
    j.visit("Devices and deletion")


def confirm_deletion(j: Journey, pupil: Pupil, *, on: dt.date, at: str) -> None:
    page = j.page
    summary = f"Record that {pupil.full_name} confirmed deleting it"
    details = page.locator("details").filter(has_text=summary)
    details.get_by_text(summary).click()
    fill_date(details, "Date the pupil confirmed", on)
    details.get_by_label("Time the pupil confirmed").fill(at)
    details.get_by_label("How the pupil confirmed").fill(
        "Showed the DSL each place listed with a parent present, and signed a statement."
    )
    details.get_by_role("button", name="Record the confirmation").click()
    j.done(f"Recorded that {pupil.full_name} confirmed deleting it.")
    j.visit("Devices and deletion")


def record_conversation(
    j: Journey, reference: str, pupil: Pupil, *, by: str, on: dt.date, at: str
) -> None:
    """A conversation with a child, who is told a record is kept (002 §6.0)."""
    page = j.page
    open_step(j, "Conversations with the children", "Conversations with the children")
    answer(page, "Which child was the conversation with?", pupil.full_name)
    fill_date(page, "Date of the conversation", on)
    page.get_by_label("Time of the conversation").fill(at)
    page.get_by_label("Who had the conversation").select_option(label=by)
    page.get_by_label("Anyone else present").fill("Her form tutor")
    page.get_by_label("The child was told that a record of this conversation is kept").check()
    page.get_by_label("Record of the conversation").fill(
        "She said the photo was sent only to her boyfriend and that both have deleted it. "
        "We talked about consent and trust; she knows she can come back to us."
    )
    page.get_by_role("button", name="Record the conversation").click()
    j.done(f"Recorded the conversation with {pupil.full_name}.")
    j.visit("Conversations with the children")
    back_to_incident(j, reference)


def record_seizure(j: Journey, pupil: Pupil, *, device: str, on: dt.date, at: str) -> None:
    """A device taken for the police. Sent first without saying it was switched off:
    the error names the field and keeps what was typed."""
    page = j.page
    page.get_by_text("Record a device taken").click()
    form = form_with_button(page, "Record the device taken")
    answer(form, "Whose device?", pupil.full_name)
    form.get_by_label("The device", exact=True).fill(device)
    fill_date(form, "Date it was taken", on)
    form.get_by_label("Time it was taken").fill(at)
    form.get_by_label("Where it is locked away").fill("The safe in the DSL's office")
    form.get_by_role("button", name="Record the device taken").click()

    j.error("The device was switched off: Switch the device off before locking it away")
    form = form_with_button(page, "Record the device taken")
    expect(form.get_by_label("The device", exact=True)).to_have_value(device)
    form.get_by_label("The device was switched off").check()
    form.get_by_role("button", name="Record the device taken").click()
    j.done(f"Recorded the device taken from {pupil.full_name}.")
    j.visit("Devices and deletion")


def record_handover(
    j: Journey, pupil: Pupil, *, device: str, police_told: str, handed: str, on: dt.date, to: str
) -> None:
    """The police told about the device, then the device handed to a named officer."""
    page = j.page
    details = page.locator("details").filter(
        has_text="Record the police being told or the handover"
    )
    details.locator("summary").click()
    fill_date(details, "Date the police were told", on)
    details.get_by_label("Time the police were told").fill(police_told)
    fill_date(details, "Date it was handed to the police", on)
    details.get_by_label("Time it was handed to the police").fill(handed)
    details.get_by_label("Officer it was handed to").fill(to)
    details.get_by_role("button", name="Save").click()
    j.done(f"Recorded the police's part for {pupil.full_name}'s device.")
    j.visit("Devices and deletion")
    expect(
        page.get_by_role("heading", name=f"{device}, taken from {pupil.full_name}")
    ).to_contain_text("Handed to the police")


def report_for_takedown(j: Journey, *, platform: str, on: dt.date, at: str) -> None:
    page = j.page
    page.get_by_label("Site or app").fill(platform)
    page.get_by_label("The platform's own reporting function").check()
    fill_date(page, "Date of the report", on)
    page.get_by_label("Time of the report").fill(at)
    page.get_by_label("Who made the report").fill("The pupil with the DSL's help")
    page.get_by_label("Reference (optional)").fill("SC-55120")
    page.get_by_role("button", name="Record the report").click()
    j.done(f"Recorded the report to {platform}.")
    j.visit("Reporting imagery online")


def record_takedown_outcome(j: Journey, *, platform: str, on: dt.date, at: str) -> None:
    page = j.page
    page.get_by_role("link", name=f"Record the outcome of the report to {platform}").click()
    j.visit(f"Outcome of the report to {platform}")
    page.get_by_label("Removed", exact=True).check()
    fill_date(page, "Date of the answer", on)
    page.get_by_label("Time of the answer").fill(at)
    page.get_by_role("button", name="Record the outcome").click()
    j.done(f"Recorded the outcome of the report to {platform}.")
    j.visit("Reporting imagery online")


def close_case(j: Journey, reference: str, summary: str) -> None:
    page = j.page
    open_step(j, "Close the case", "Close the case")
    page.get_by_label("Outcome summary").fill(summary)
    page.get_by_role("button", name="Close the case").click()
    j.done(f"Incident {reference} closed.")
    j.visit(reference)

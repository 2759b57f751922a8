"""Reporting imagery online for take-down (issue 5 item 8; 002 §8.0, Annex C): who may
record reports and outcomes, Annex C shown as guidance, no report "to the platform" on
a site with no reporting function, errors naming their field, nothing saved on refusal,
an outcome from a stale page refused showing the colleague's, and the timeline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident, OnlineReport, ReportChannel, ReportOutcome
from incidents.takedown import guidance
from incidents.takedown.selectors import timeline_entries
from incidents.takedown.services import online_report_outcome_record, online_report_record
from safeguarding.audit import StaleEditError
from tests.clock import ago
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")
BY = "Chloe, with Dana Lead (DSL)"


def list_url(incident: Incident) -> str:
    return reverse("takedown:list", kwargs={"incident_id": incident.pk})


def outcome_url(report: OnlineReport, incident: Incident | None = None) -> str:
    return reverse(
        "takedown:outcome",
        kwargs={"incident_id": (incident or report.incident).pk, "report_id": report.pk},
    )


def close(incident: Incident) -> None:
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", closed_at=timezone.now(), outcome_summary="Managed in school."
    )


@pytest.fixture
def incident(people):
    return IncidentFactory(
        school=people.school,
        created_by=people.dsl,
        lead_dsl=people.dsl,
        status="awaiting_review",
        platforms="Snapchat, WhatsApp and a gaming site",
    )


def report_to(people, incident, **overrides) -> OnlineReport:
    values = {
        "actor": people.dsl,
        "incident": incident,
        "platform": "Instagram",
        "channel": ReportChannel.PLATFORM,
        "reported_at": ago(days=1),
        "reported_by": BY,
        **overrides,
    }
    return online_report_record(**values)


@pytest.fixture
def report(people, incident):
    return report_to(people, incident)


def day_fields(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def report_data(**overrides):
    return {
        "platform": "Snapchat",
        "channel": "platform",
        **day_fields("reported_on", timezone.localdate() - dt.timedelta(days=1)),
        "reported_time": "15:30",
        "reported_by": BY,
        "reference": "SC-55123",
        "notes": "The story was reported, not the account.",
        **overrides,
    }


def outcome_data(version: int = 1, **overrides):
    return {
        "outcome": "removed",
        **day_fields("outcome_on", timezone.localdate()),
        "outcome_time": "00:00",
        "notes": "Snapchat removed the story.",
        "version": str(version),
        **overrides,
    }


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, incident, report, who, get_status, post_status):
    """Empty POSTs from a DSL show the forms' errors (200) and change nothing."""
    client.force_login(getattr(people, who))
    for target in (list_url(incident), outcome_url(report)):
        assert client.get(target).status_code == get_status
        assert client.post(target, {}).status_code == post_status
        assert client.put(target).status_code == 405
    assert OnlineReport.objects.get() == report
    assert report.history.count() == 1


def test_anonymous_is_sent_to_sign_in(client, incident, report):
    for target in (list_url(incident), outcome_url(report)):
        for response in (client.get(target), client.post(target, {})):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))


def test_other_schools_and_missing_records_are_404_alike(client, people, incident, report):
    theirs = IncidentFactory(school=people.other_school, status="awaiting_review")
    their_report = report_to(people, theirs, actor=people.other_dsl)
    client.force_login(people.dsl)
    targets = [
        list_url(theirs),
        reverse("takedown:list", kwargs={"incident_id": 999_999}),
        outcome_url(their_report),
        # Their report named under our incident: not our incident's report.
        outcome_url(their_report, incident),
        reverse("takedown:outcome", kwargs={"incident_id": incident.pk, "report_id": 999_999}),
    ]
    for target in targets:
        assert client.get(target).status_code == 404, target
        assert client.post(target, outcome_data()).status_code == 404, target
    their_report.refresh_from_db()
    assert (their_report.outcome, their_report.version) == (ReportOutcome.AWAITED, 1)


@pytest.mark.parametrize("who", READERS)
def test_readers_see_reports_and_guidance_without_forms(client, people, incident, report, who):
    client.force_login(getattr(people, who))
    for target in (list_url(incident), outcome_url(report)):
        page = client.get(target).content.decode()
        assert "You can read this record but not change it." in page
        assert BY.split(",")[0] in page
        assert 'action="/incidents' not in page


# --- the list page and Annex C -------------------------------------------------------------


def test_the_page_shows_annex_c_and_the_points_to_act_quickly_on(client, people, incident):
    client.force_login(people.dsl)
    page = client.get(list_url(incident)).content.decode().replace("&#x27;", "'")
    for guide in guidance.PLATFORMS:
        assert f'<th scope="row" class="govuk-table__header">{guide.name}</th>' in page
        for link in guide.links:
            assert f'href="{link.url}"' in page
    assert "No: use the IWF" in page
    assert page.count("No: use the IWF") == 1  # WhatsApp only
    assert "You need a YouTube account to report." in page
    assert "right to be forgotten" in page
    for rule in guidance.RULES:
        assert rule.when in page
    for text in ("Internet Watch Foundation", "CEOP", "Childline", "Professionals Online Safety"):
        assert text in page
    assert "Act especially quickly" in page
    for point in guidance.ACT_QUICKLY:
        assert point in page
    assert "002 §8.0" in page and "002 Annex C" in page


def test_the_incidents_platforms_are_suggested(client, people, incident):
    client.force_login(people.dsl)
    page = client.get(list_url(incident)).content.decode()
    assert "Named on this incident: Snapchat, WhatsApp, a gaming site." in page
    assert 'list="platform-suggestions"' in page
    options = page[page.index('<datalist id="platform-suggestions">') :]
    options = options[: options.index("</datalist>")]
    assert options.index('value="Snapchat"') < options.index('value="a gaming site"')
    assert options.count('value="Snapchat"') == 1  # named once, though Annex C names it too
    assert 'value="YouTube"' in options
    # WhatsApp is named on the incident: the page says where to report instead.
    assert "This incident names WhatsApp, which has no reporting function" in page


# --- recording a report --------------------------------------------------------------------


def test_recording_a_report(client, people, incident):
    client.force_login(people.deputy)
    response = client.post(list_url(incident), report_data())
    assert response.status_code == 302
    assert response["Location"] == list_url(incident)
    report = OnlineReport.objects.get()
    assert (report.incident, report.platform, report.channel) == (incident, "Snapchat", "platform")
    assert (report.reported_by, report.reference) == (BY, "SC-55123")
    assert report.notes == "The story was reported, not the account."
    assert (report.outcome, report.outcome_at, report.version) == ("awaited", None, 1)
    local = timezone.localtime(report.reported_at)
    assert (local.date(), f"{local:%H:%M}") == (
        timezone.localdate() - dt.timedelta(days=1),
        "15:30",
    )
    assert report.recorded_by == people.deputy
    assert report.history.get().history_user == people.deputy
    page = client.get(list_url(incident)).content.decode()
    assert "Recorded the report to Snapchat." in page
    assert "SC-55123" in page and "Awaited" in page
    assert outcome_url(report) in page and "Record the outcome" in page


def test_a_report_needs_where_how_when_and_who_naming_the_fields(client, people, incident):
    client.force_login(people.dsl)
    data = report_data(
        platform=" ",
        channel="",
        reported_by="",
        reported_time="",
        **day_fields("reported_on", timezone.localdate()) | {"reported_on_2": ""},
    )
    response = client.post(list_url(incident), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Site or app: Enter the site or app the imagery is on." in page
    assert "How was it reported?: Choose how it was reported." in page
    assert "Date of the report: The date must include a year." in page
    assert "Time of the report: Enter the time of the report." in page
    assert "Who made the report: Enter who made the report." in page
    assert 'value="SC-55123"' in page  # what was typed is kept
    assert not OnlineReport.objects.exists()


def test_an_unknown_channel_and_a_future_report_are_refused(client, people, incident):
    client.force_login(people.dsl)
    later = timezone.localdate() + dt.timedelta(days=1)
    data = report_data(channel="fax", **day_fields("reported_on", later))
    page = client.post(list_url(incident), data).content.decode()
    assert "How was it reported?: Choose how it was reported from the list." in page
    assert "Date of the report: The date of the report cannot be in the future." in page
    assert not OnlineReport.objects.exists()


@pytest.mark.parametrize("platform", ["WhatsApp", "whats app group chat", "WHATSAPP"])
def test_a_site_with_no_reporting_function_is_sent_to_the_iwf(client, people, incident, platform):
    client.force_login(people.dsl)
    response = client.post(list_url(incident), report_data(platform=platform))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "How was it reported?: WhatsApp has no reporting function: report a sexual image of a "
        "child to the Internet Watch Foundation (IWF) instead (002 Annex C)." in page
    )
    assert f'value="{platform}"' in page
    assert not OnlineReport.objects.exists()
    # Reported to the IWF instead, it is recorded.
    assert (
        client.post(list_url(incident), report_data(platform=platform, channel="iwf")).status_code
        == 302
    )
    assert OnlineReport.objects.get().channel == ReportChannel.IWF


def test_a_closed_incident_refuses_reports_and_outcomes(client, people, incident, report):
    close(incident)
    client.force_login(people.dsl)
    for target, data in (
        (list_url(incident), report_data()),
        (outcome_url(report), outcome_data()),
    ):
        page = client.get(target).content.decode()
        assert "This incident is closed" in page
        assert 'action="/incidents' not in page
        response = client.post(target, data)
        assert response.status_code == 409
        assert "This incident is closed" in response.content.decode()
    report.refresh_from_db()
    assert (OnlineReport.objects.count(), report.outcome, report.version) == (1, "awaited", 1)


# --- the report service ------------------------------------------------------------------


def test_the_service_refuses_blank_and_future_values_naming_the_fields(people, incident):
    with pytest.raises(ValidationError) as refused:
        report_to(
            people,
            incident,
            platform="  ",
            reported_by=" ",
            reported_at=timezone.now() + dt.timedelta(hours=1),
        )
    assert set(refused.value.message_dict) == {"platform", "reported_by", "reported_at"}
    assert not OnlineReport.objects.exists()


def test_the_service_refuses_platform_channel_without_reporting_function(people, incident):
    with pytest.raises(ValidationError) as refused:
        report_to(people, incident, platform="WhatsApp")
    assert list(refused.value.message_dict) == ["channel"]
    assert "Internet Watch Foundation" in refused.value.message_dict["channel"][0]
    assert report_to(people, incident, platform="WhatsApp", channel=ReportChannel.IWF).pk


def test_the_service_refuses_a_closed_incident(people, incident):
    close(incident)
    with pytest.raises(ValidationError, match="closed"):
        report_to(people, incident)
    assert not OnlineReport.objects.exists()


def test_the_service_strips_and_records_the_actor(people, incident):
    report = report_to(
        people, incident, actor=people.deputy, platform=" YouTube ", reference=" R1 "
    )
    assert (report.platform, report.reference, report.recorded_by) == (
        "YouTube",
        "R1",
        people.deputy,
    )
    assert report.history.get().history_user == people.deputy


# --- the outcome ---------------------------------------------------------------------------


def test_recording_the_outcome(client, people, incident, report):
    client.force_login(people.colleague_dsl)
    page = client.get(outcome_url(report)).content.decode()
    assert 'name="version" value="1"' in page
    response = client.post(outcome_url(report), outcome_data(notes="Gone by midnight."))
    assert response.status_code == 302
    assert response["Location"] == list_url(incident)
    report.refresh_from_db()
    assert (report.outcome, report.notes, report.version) == ("removed", "Gone by midnight.", 2)
    assert timezone.localtime(report.outcome_at).date() == timezone.localdate()
    latest = report.history.first()
    assert (latest.outcome, latest.history_user) == ("removed", people.colleague_dsl)
    assert report.recorded_by == people.dsl  # who made the report is unchanged
    page = client.get(list_url(incident)).content.decode()
    assert "Recorded the outcome of the report to Instagram." in page


def test_not_removed_points_to_childline_or_posh(client, people, incident, report):
    client.force_login(people.dsl)
    client.post(outcome_url(report), outcome_data(outcome="not_removed"))
    report.refresh_from_db()
    assert report.outcome == ReportOutcome.NOT_REMOVED
    for target in (list_url(incident), outcome_url(report)):
        page = client.get(target).content.decode()
        assert guidance.NOT_REMOVED_NEXT in page


def test_the_outcome_form_starts_from_what_is_recorded(client, people, incident, report):
    online_report_outcome_record(
        actor=people.dsl,
        report=report,
        expected_version=1,
        outcome=ReportOutcome.NOT_REMOVED,
        outcome_at=ago(hours=2),
        notes="Asked again.",
    )
    client.force_login(people.dsl)
    page = client.get(outcome_url(report)).content.decode()
    assert 'name="version" value="2"' in page
    assert re.search(r'value="not_removed"\s+checked', page)
    assert not re.search(r'value="removed"\s+checked', page)
    assert "Asked again." in page


def test_an_outcome_needs_its_answer_and_date_naming_the_fields(client, people, incident, report):
    client.force_login(people.dsl)
    data = outcome_data(
        outcome="", outcome_time="25:00", **day_fields("outcome_on", timezone.localdate())
    )
    page = client.post(outcome_url(report), data).content.decode()
    assert "Was it removed?: Choose removed or not removed." in page
    assert "Time of the answer: Enter a time like 14:30." in page
    assert "Snapchat removed the story." in page  # what was typed is kept
    report.refresh_from_db()
    assert (report.outcome, report.version) == ("awaited", 1)


def test_an_answer_before_the_report_is_refused(client, people, incident, report):
    client.force_login(people.dsl)
    before = timezone.localdate() - dt.timedelta(days=3)
    page = client.post(outcome_url(report), outcome_data(**day_fields("outcome_on", before)))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Date of the answer: The answer cannot come before the report." in text
    report.refresh_from_db()
    assert report.outcome == "awaited"


@pytest.mark.parametrize("version", ["", "abc", "0", "1e309", "99999999999999999999"])
def test_an_outcome_form_without_a_sound_version_is_refused(
    client, people, incident, report, version
):
    client.force_login(people.dsl)
    data = outcome_data()
    data["version"] = version
    page = client.post(outcome_url(report), data).content.decode()
    assert "This form is out of date: open the page again." in page
    report.refresh_from_db()
    assert (report.outcome, report.version) == ("awaited", 1)


def test_a_stale_outcome_is_refused_showing_the_colleagues(client, people, incident, report):
    client.force_login(people.dsl)
    client.get(outcome_url(report))  # the DSL opens the form at version 1 ...
    answered = ago(hours=1)
    online_report_outcome_record(  # ... and a colleague records the answer meanwhile
        actor=people.colleague_dsl,
        report=report,
        expected_version=1,
        outcome=ReportOutcome.NOT_REMOVED,
        outcome_at=answered,
        notes="Instagram refused.",
    )
    response = client.post(outcome_url(report), outcome_data(notes="My note."))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this report while you were editing" in page
    assert "Outcome: Awaited → Not removed" in page
    assert (
        f"When the answer came: (blank) → {timezone.localtime(answered):%-d %B %Y, %H:%M}" in page
    )
    assert "Notes: (blank) → Instagram refused." in page
    assert "My note." in page  # what was typed is kept
    assert 'name="version" value="2"' in page  # saving again applies it
    report.refresh_from_db()
    assert (report.outcome, report.notes, report.version) == (
        "not_removed",
        "Instagram refused.",
        2,
    )
    again = client.post(outcome_url(report), outcome_data(version=2, notes="My note."))
    assert again.status_code == 302
    report.refresh_from_db()
    assert (report.outcome, report.notes, report.version) == ("removed", "My note.", 3)


def test_the_outcome_service_refuses_awaited_stale_and_closed(people, incident, report):
    kwargs = {"actor": people.dsl, "report": report, "outcome_at": ago(hours=1), "notes": ""}
    with pytest.raises(ValidationError) as refused:
        online_report_outcome_record(expected_version=1, outcome=ReportOutcome.AWAITED, **kwargs)
    assert list(refused.value.message_dict) == ["outcome"]
    with pytest.raises(ValidationError) as refused:
        online_report_outcome_record(
            expected_version=1,
            outcome=ReportOutcome.REMOVED,
            **{**kwargs, "outcome_at": timezone.now() + dt.timedelta(hours=1)},
        )
    assert list(refused.value.message_dict) == ["outcome_at"]
    with pytest.raises(StaleEditError):
        online_report_outcome_record(expected_version=7, outcome=ReportOutcome.REMOVED, **kwargs)
    close(incident)
    with pytest.raises(ValidationError, match="closed"):
        online_report_outcome_record(expected_version=1, outcome=ReportOutcome.REMOVED, **kwargs)
    report.refresh_from_db()
    assert (report.outcome, report.version, report.history.count()) == ("awaited", 1, 1)


# --- the guidance module -------------------------------------------------------------------


def test_guides_are_matched_by_name_in_what_was_typed():
    assert [g.name for g in guidance.guides_named("Whats-App group")] == ["WhatsApp"]
    assert [g.name for g in guidance.guides_named("instagram story")] == ["Instagram"]
    assert guidance.guides_named("a gaming site") == []
    assert [g.name for g in guidance.without_reporting_function("Instagram, WhatsApp")] == [
        "WhatsApp"
    ]
    assert guidance.without_reporting_function("YouTube") == []


def test_the_incidents_platforms_are_read_one_by_one():
    assert guidance.platforms_of(
        "Snapchat, WhatsApp and Instagram; snapchat / TikTok & Roblox"
    ) == [
        "Snapchat",
        "WhatsApp",
        "Instagram",
        "TikTok",
        "Roblox",
    ]
    assert guidance.platforms_of("") == []


# --- the timeline and query counts ---------------------------------------------------------


def test_timeline_has_the_report_and_separately_its_outcome(people, incident):
    report = report_to(people, incident, reported_at=ago(days=3), reference="IG-1")
    answered = ago(days=2)
    online_report_outcome_record(
        actor=people.colleague_dsl,
        report=report,
        expected_version=1,
        outcome=ReportOutcome.NOT_REMOVED,
        outcome_at=answered,
        notes="",
    )
    made, outcome = sorted(timeline_entries(incident), key=lambda entry: entry.when)
    assert (made.when, made.recorded_by) == (report.reported_at, str(people.dsl))
    assert made.title == "Reported for take-down: Instagram"
    assert ("Reference", "IG-1") in made.details
    assert made.link == outcome_url(report)
    assert outcome.when == answered  # when the answer came, not when it was written down
    assert outcome.recorded_by == str(people.colleague_dsl)
    assert outcome.recorded_at > answered
    assert outcome.title == "Instagram: not removed"
    assert ("Next", guidance.NOT_REMOVED_NEXT) in outcome.details


def test_an_unanswered_report_has_one_entry_marked_awaited(people, incident, report):
    (entry,) = timeline_entries(incident)
    assert entry.tag == "Outcome awaited"


def busy(people, incident, n: int) -> None:
    for index in range(n):
        report = report_to(people, incident, platform=f"Site {index}", reference=f"R{index}")
        online_report_outcome_record(
            actor=people.deputy,
            report=report,
            expected_version=1,
            outcome=ReportOutcome.REMOVED,
            outcome_at=ago(hours=1),
            notes="",
        )


def test_timeline_entries_cost_the_same_for_1_or_10(people, django_assert_num_queries):
    small = IncidentFactory(school=people.school)
    large = IncidentFactory(school=people.school)
    busy(people, small, 1)
    busy(people, large, 10)
    with CaptureQueriesContext(connection) as one:
        assert len(timeline_entries(small)) == 2
    with django_assert_num_queries(len(one)):
        entries = timeline_entries(large)
    assert len(entries) == 20
    assert {entry.recorded_by for entry in entries if entry.title.endswith("removed")} == {
        str(people.deputy)
    }


def test_the_page_costs_the_same_for_1_or_10_reports(client, people):
    small = IncidentFactory(school=people.school, status="awaiting_review")
    large = IncidentFactory(school=people.school, status="awaiting_review")
    busy(people, small, 1)
    busy(people, large, 10)
    client.force_login(people.dsl)
    client.get(list_url(small))  # warm the caches (content types, session)
    with CaptureQueriesContext(connection) as one:
        assert client.get(list_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as ten:
        page = client.get(list_url(large))
    assert page.status_code == 200
    assert page.content.decode().count("Change the outcome") == 10
    assert len(one) == len(ten), [q["sql"] for q in ten]

"""Timeliness (issue 6 item 8; 002 §3.1, §7.0): the time from an incident coming to light to
the DSL's review, the first decision and the first referral, per incident and summarised
per school over a date range; who may read the summary; dates refused by name; and a
page whose query count does not grow with the number of referrals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import DecisionKind, DecisionOutcome, Incident
from incidents.restricted.services import restricted_access_grant
from incidents.services import decision_record
from referrals.flow.services import referral_record
from referrals.models import Agency, Referral, ReferralOutcome
from referrals.timeliness import (
    academic_year,
    duration_text,
    elapsed,
    incident_timeliness,
    median_duration,
    school_summary,
)
from safeguarding.models import School
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
READERS = ("dsl", "deputy", "head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A moment on the school's clock (Europe/London)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def url(school: School, **query: str) -> str:
    path = reverse("referral_summary:school", kwargs={"school_id": school.pk})
    if not query:
        return path
    return path + "?" + "&".join(f"{name}={value}" for name, value in query.items())


def dates(start: dt.date, end: dt.date) -> dict[str, str]:
    return {
        "start_0": str(start.day),
        "start_1": str(start.month),
        "start_2": str(start.year),
        "end_0": str(end.day),
        "end_1": str(end.month),
        "end_2": str(end.year),
    }


def incident_at(people, when: dt.datetime, **extra) -> Incident:
    extra.setdefault("school", people.school)
    extra.setdefault("lead_dsl", people.dsl)
    return IncidentFactory(
        created_by=people.dsl, status="awaiting_review", came_to_light_at=when, **extra
    )


def decide(people, incident, when, kind=DecisionKind.INITIAL_REVIEW):
    return decision_record(
        actor=people.dsl,
        incident=incident,
        kind=kind,
        outcome=DecisionOutcome.REFER_POLICE,
        rationale="A pupil pictured is 12 and the imagery shows sexual acts (002 §3.3).",
        decided_at=when,
    )


def refer(people, incident, when, agency=Agency.POLICE, **extra) -> Referral:
    return referral_record(
        actor=people.dsl,
        incident=incident,
        agency=agency,
        made_at=when,
        method="phone",
        reasons="Under 13 and sexual acts (002 §3.3, criterion 5).",
        **extra,
    )


# --- Durations, medians, words ---------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (dt.timedelta(0), "under 1 min"),
        (dt.timedelta(seconds=59), "under 1 min"),
        (25 * MINUTE, "25 min"),
        (3 * HOUR, "3 h"),
        (3 * HOUR + 20 * MINUTE, "3 h 20 min"),
        (23 * HOUR + 59 * MINUTE, "23 h 59 min"),  # cut down, never "1 day"
        (24 * HOUR, "1 day"),
        (dt.timedelta(days=2, hours=4, minutes=59), "2 days 4 h"),
        (dt.timedelta(days=1, hours=1), "1 day 1 h"),
        (dt.timedelta(days=12), "12 days"),
        (-2 * HOUR, "2 h before"),
    ],
)
def test_duration_text(delta, text):
    assert duration_text(delta) == text


def test_elapsed_is_none_until_the_step_happens():
    assert elapsed(at(2025, 10, 6, 9), None) is None
    assert elapsed(at(2025, 10, 6, 9), at(2025, 10, 6, 12, 20)) == 3 * HOUR + 20 * MINUTE


def test_elapsed_across_a_clock_change_is_the_real_time():
    """Noon to noon across the clocks going forward is 23 hours, going back 25, not 24."""
    assert elapsed(at(2025, 3, 29, 12), at(2025, 3, 30, 12)) == 23 * HOUR
    assert elapsed(at(2025, 10, 25, 12), at(2025, 10, 26, 12)) == 25 * HOUR


@pytest.mark.parametrize(
    ("durations", "median"),
    [
        ([3 * HOUR, HOUR, 2 * HOUR], 2 * HOUR),  # odd: the middle one
        ([10 * HOUR, HOUR, 4 * HOUR, 2 * HOUR], 3 * HOUR),  # even: mean of the middle two
        ([HOUR, 2 * HOUR], 90 * MINUTE),
        ([5 * MINUTE], 5 * MINUTE),
        ([], None),  # no figure, not zero
    ],
)
def test_median_duration(durations, median):
    assert median_duration(iter(durations)) == median


@pytest.mark.parametrize(
    ("on", "year"),
    [
        (dt.date(2026, 1, 15), (dt.date(2025, 9, 1), dt.date(2026, 8, 31))),
        (dt.date(2026, 8, 31), (dt.date(2025, 9, 1), dt.date(2026, 8, 31))),
        (dt.date(2026, 9, 1), (dt.date(2026, 9, 1), dt.date(2027, 8, 31))),
        (dt.date(2026, 12, 31), (dt.date(2026, 9, 1), dt.date(2027, 8, 31))),
    ],
)
def test_academic_year_starts_on_1_september(on, year):
    assert academic_year(on) == year


# --- One incident -----------------------------------------------------------------------


def texts(timeliness) -> dict[str, str]:
    return {step.label: step.since_report_text for step in timeliness.milestones}


def test_an_incident_with_nothing_yet_has_no_times(people):
    incident = incident_at(people, at(2025, 10, 6, 9))
    timeliness = incident_timeliness(incident)
    assert [step.at for step in timeliness.milestones] == [None, None, None]
    assert set(texts(timeliness).values()) == {""}


def test_incident_times_count_from_the_first_of_each_step(people):
    """The DSL review is the first initial review; the decision is the first decision of
    any kind (here a later-kind decision came first); the referral is the first made,
    whatever order they were recorded in."""
    incident = incident_at(people, at(2025, 10, 6, 9))
    decide(people, incident, at(2025, 10, 6, 15), DecisionKind.INITIAL_REVIEW)
    decide(people, incident, at(2025, 10, 6, 12, 20), DecisionKind.INITIAL_REVIEW)
    decide(people, incident, at(2025, 10, 6, 10), DecisionKind.REVIEW)
    refer(people, incident, at(2025, 10, 9, 8), Agency.SOCIAL_CARE)
    refer(people, incident, at(2025, 10, 8, 13, 30))
    incident_at(people, at(2025, 10, 6, 8))  # another incident's records are not counted

    timeliness = incident_timeliness(incident)

    assert [step.at for step in timeliness.milestones] == [
        at(2025, 10, 6, 12, 20),
        at(2025, 10, 6, 10),
        at(2025, 10, 8, 13, 30),
    ]
    assert texts(timeliness) == {
        "DSL review (initial review meeting)": "3 h 20 min",
        "First decision": "1 h",
        "First referral": "2 days 4 h",
    }


def test_incident_times_take_one_query(people, django_assert_num_queries):
    incident = incident_at(people, at(2025, 10, 6, 9))
    for hour in range(10, 15):
        decide(people, incident, at(2025, 10, 6, hour))
        refer(people, incident, at(2025, 10, 7, hour))
    with django_assert_num_queries(1):
        incident_timeliness(incident)


def test_incident_partial_shows_each_step_or_not_yet(people):
    incident = incident_at(people, at(2025, 10, 6, 9))
    decide(people, incident, at(2025, 10, 6, 12, 20))
    html = render_to_string(
        "referrals/timeliness/incident.html", {"timeliness": incident_timeliness(incident)}
    )
    assert "6 Oct 2025 09:00" in html  # when it came to light
    assert "6 Oct 2025 12:20" in html
    assert "3 h 20 min" in html
    assert html.count("Not yet") == 1  # reviewed and decided together; no referral yet
    assert url(people.school) in html


# --- A school's summary -----------------------------------------------------------------

START, END = dt.date(2025, 9, 1), dt.date(2025, 10, 31)


@pytest.fixture
def term(people):
    """Three incidents inside 1 Sep–31 Oct 2025 (two on its edges), two just outside,
    and one of another school inside."""
    first = incident_at(people, at(2025, 9, 1, 0, 0))
    middle = incident_at(people, at(2025, 9, 15, 9))
    last = incident_at(people, at(2025, 10, 31, 23, 59))
    before = incident_at(people, at(2025, 8, 31, 23, 59))
    after = incident_at(people, at(2025, 11, 1, 0, 0))
    theirs = incident_at(people, at(2025, 9, 15, 9), school=people.other_school, lead_dsl=None)
    # Reviews 1 h, 2 h, 4 h after the report: median 2 h.
    decide(people, first, at(2025, 9, 1, 1))
    decide(people, middle, at(2025, 9, 15, 11))
    decide(people, last, at(2025, 11, 1, 3, 59))
    # Referrals: first after 1 h and again later, middle after 3 h, last none yet. The
    # median over incidents uses each one's first referral: 1 h and 3 h, so 2 h.
    refer(
        people,
        first,
        at(2025, 9, 1, 1),
        outcome=ReferralOutcome.POLICE_NFA,
        outcome_at=at(2025, 9, 3, 10),
    )
    refer(people, first, at(2025, 9, 2, 9), Agency.SOCIAL_CARE)
    refer(
        people,
        middle,
        at(2025, 9, 15, 12),
        outcome=ReferralOutcome.POLICE_NFA,
        outcome_at=at(2025, 9, 20, 10),
    )
    for outside in (before, after, theirs):
        decide(people, outside, outside.came_to_light_at + 30 * MINUTE)
        refer(people, outside, outside.came_to_light_at + 10 * MINUTE, Agency.CEOP)
    return first, middle, last


def test_summary_counts_incidents_that_came_to_light_in_the_range_edges_included(people, term):
    first, middle, _last = term
    summary = school_summary(people.dsl, people.school, START, END)
    assert summary.incidents == 3
    assert [row.referral.incident for row in summary.referrals] == [first, first, middle]
    assert [(tally.label, tally.count) for tally in summary.by_agency] == [
        ("Police", 2),
        ("Children's social care / MASH", 1),
    ]
    assert [(tally.label, tally.count) for tally in summary.by_outcome] == [
        ("Police: no further action", 2),
        ("Outcome awaited", 1),
    ]


def test_summary_medians_over_the_incidents_that_reached_each_step(people, term):
    summary = school_summary(people.dsl, people.school, START, END)
    review, decision, referral = summary.medians
    assert (review.median, review.reached, review.incidents) == (2 * HOUR, 3, 3)
    assert (decision.median, decision.reached) == (2 * HOUR, 3)
    assert (referral.median, referral.reached, referral.incidents) == (2 * HOUR, 2, 3)
    assert referral.median_text == "2 h"


def test_summary_rows_time_each_referral_from_its_incident(people, term):
    first, _middle, _last = term
    pupil = PupilFactory(school=people.school, given_name="Amy", family_name="Khan")
    InvolvementFactory(incident=first, pupil=pupil)
    InvolvementFactory(
        incident=first,
        pupil=PupilFactory(school=people.school, given_name="Ben", family_name="Jones"),
    )
    rows = school_summary(people.dsl, people.school, START, END).referrals
    assert rows[0].pupils == "AK, BJ"
    assert [row.since_report_text for row in rows] == ["1 h", "1 day 9 h", "3 h"]
    assert [row.outcome for row in rows] == [
        "Police: no further action",
        "Outcome awaited",
        "Police: no further action",
    ]


def test_an_empty_range_has_no_figures(people, term):
    summary = school_summary(people.dsl, people.school, dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    assert (summary.incidents, summary.referrals, summary.by_agency, summary.by_outcome) == (
        0,
        [],
        [],
        [],
    )
    assert [median.median for median in summary.medians] == [None, None, None]


def test_a_restricted_incident_counts_only_for_those_who_may_see_it(people, term):
    """Not for a DSL who is not its lead nor granted; for the headteacher, and for the DSL
    once granted (docs/roles.md#restricted-incidents)."""
    hidden = incident_at(people, at(2025, 9, 20, 9), restricted=True, lead_dsl=people.colleague_dsl)
    refer(people, hidden, at(2025, 9, 20, 10), Agency.CAMHS)

    def seen_by(user):
        summary = school_summary(user, people.school, START, END)
        return summary.incidents, len(summary.referrals), [t.label for t in summary.by_agency]

    assert seen_by(people.dsl) == (3, 3, ["Police", "Children's social care / MASH"])
    assert seen_by(people.trust_lead)[:2] == (3, 3)
    assert seen_by(people.head) == (4, 4, ["Police", "Children's social care / MASH", "CAMHS"])
    restricted_access_grant(
        actor=people.colleague_dsl, incident=hidden, user=people.dsl, reason="Covering"
    )
    assert seen_by(people.dsl)[:2] == (4, 4)


# --- The page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [(who, 200) for who in READERS] + [(who, 404) for who in STRANGERS]
)
def test_matrix(client, people, who, status):
    """Readers see it; anyone else is told there is no such school. It changes nothing:
    every other method is refused."""
    client.force_login(getattr(people, who))
    assert client.get(url(people.school)).status_code == status
    assert client.post(url(people.school), {}).status_code == 405
    assert client.put(url(people.school)).status_code == 405


def test_other_school_and_missing_school_are_404_alike(client, people):
    client.force_login(people.dsl)
    assert client.get(url(people.other_school)).status_code == 404
    missing = reverse("referral_summary:school", kwargs={"school_id": 999_999})
    assert client.get(missing).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, people):
    response = client.get(url(people.school))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_page_defaults_to_the_current_school_year(client, people):
    start, end = academic_year(timezone.localdate())
    incident = incident_at(people, timezone.make_aware(dt.datetime.combine(start, dt.time())))
    refer(people, incident, incident.came_to_light_at)  # the first moment: never in the future
    client.force_login(people.head)
    html = client.get(url(people.school)).content.decode()
    assert f"from {start:%-d %B %Y} to {end:%-d %B %Y}" in html
    assert f'value="{start.year}"' in html and f'value="{end.year}"' in html
    assert incident.reference in html
    assert "under 1 min" in html


def test_page_shows_the_range_asked_for(client, people, term):
    first, middle, _last = term
    client.force_login(people.dsl)
    response = client.get(url(people.school, **dates(START, END)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "from 1 September 2025 to 31 October 2025" in html
    assert first.reference in html and middle.reference in html
    for outside in Incident.objects.exclude(pk__in=[t.pk for t in term]):
        assert outside.reference not in html
    assert "Police: no further action" in html
    assert "Outcome awaited" in html
    assert "2 of 3" in html  # incidents referred


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start_0": "31", "start_1": "2"}, "Start date", "The date must be a real date."),
        ({"start_0": "3", "start_1": "2", "start_2": ""}, "Start date", "must include a year"),
        ({"start_0": "ab", "start_1": "2", "start_2": "2026"}, "Start date", "in numbers"),
        ({"end_0": "1", "end_1": "9", "end_2": "20250"}, "End date", "4 numbers"),
        ({"end_0": "", "end_1": "", "end_2": ""}, "End date", "Enter the end date."),
        ({"end_0": "31", "end_1": "8", "end_2": "2025"}, "End date", "same as or after"),
        ({"end_0": "1", "end_1": "9" * 5000, "end_2": "2025"}, "End date", "a real date"),
    ],
)
def test_bad_dates_are_named_and_kept(client, people, query, field, message):
    sent = {**dates(START, END), **query}
    client.force_login(people.dsl)
    response = client.get(url(people.school), sent)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f"{field}: " in html
    assert message in html
    assert "Referrals, oldest first" not in html  # no summary for a wrong range
    for value in query.values():
        if value and len(value) < 10:
            assert f'value="{value}"' in html  # what was typed is kept


@pytest.mark.parametrize("typed", ['"><script>alert(1)</script>', "\x00", "1e3", "-1", "٢٠٢٥x"])
def test_hostile_dates_are_refused_and_escaped(client, people, typed):
    client.force_login(people.dsl)
    response = client.get(url(people.school), {**dates(START, END), "start_2": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Start date: " in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize(("start_year", "end_year"), [("0001", "9999"), ("9999", "9999")])
def test_the_widest_dates_are_answered(client, people, term, start_year, end_year):
    client.force_login(people.dsl)
    sent = {**dates(START, END), "start_2": start_year, "end_0": "31", "end_1": "12"}
    response = client.get(url(people.school), {**sent, "end_2": end_year})
    assert response.status_code == 200
    # All five of the school's incidents, or none.
    assert ("5 of 5" in response.content.decode()) == (start_year == "0001")


# --- Query counts -----------------------------------------------------------------------


def busy_school(people, first_day: dt.date, referrals: int) -> None:
    """`referrals` referrals, three per incident, each incident with two pupils, reviewed
    and decided, coming to light on consecutive days from `first_day`."""
    incident = None
    for number in range(referrals):
        if number % 3 == 0:
            came = timezone.make_aware(dt.datetime.combine(first_day, dt.time(9)))
            incident = incident_at(people, came + dt.timedelta(days=number // 3))
            InvolvementFactory(incident=incident)
            InvolvementFactory(incident=incident)
            decide(people, incident, incident.came_to_light_at + HOUR)
            decide(people, incident, incident.came_to_light_at + 2 * HOUR, DecisionKind.REVIEW)
        refer(
            people,
            incident,
            incident.came_to_light_at + (number % 3 + 1) * HOUR,
            outcome=ReferralOutcome.POLICE_NFA,
            outcome_at=incident.came_to_light_at + 40 * HOUR,
        )


def page_queries(client, people, start: dt.date, end: dt.date) -> tuple[int, str]:
    from guardian.ctypes import get_content_type

    page = url(people.school, **dates(start, end))
    client.get(page)  # warm the caches
    if hasattr(get_content_type, "cache_clear"):
        get_content_type.cache_clear()
        client.get(page)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(page).content.decode()
    return len(captured), html


def test_page_queries_are_the_same_for_2_or_30_referrals(client, people):
    """Two referrals in autumn 2024, thirty in autumn 2025: the same page, the same queries."""
    busy_school(people, dt.date(2024, 9, 2), 2)
    busy_school(people, dt.date(2025, 9, 2), 30)
    client.force_login(people.dsl)
    few, html = page_queries(client, people, dt.date(2024, 9, 1), dt.date(2024, 12, 31))
    assert html.count("Police: no further action") == 3  # two rows and the tally
    many, html = page_queries(client, people, dt.date(2025, 9, 1), dt.date(2025, 12, 31))
    assert html.count("Police: no further action") == 31
    assert few == many


def test_summary_takes_three_queries(people, term, django_assert_num_queries):
    """Incidents, pupils and referrals, once the permission lookups are cached."""
    school_summary(people.dsl, people.school, START, END)
    with django_assert_num_queries(3):
        school_summary(people.dsl, people.school, START, END)

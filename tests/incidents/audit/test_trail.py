"""The incident's readable audit trail (issue 7 items 2 and 6): every part of the record
is found from the models; additions and changes of the incident, people, decisions,
parent contacts and referrals read as sentences with readable values; the filters by
person and date; the audit page's permission matrix, bad filter input named on its field,
viewing it logged; and the queries do not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.audit.trail import (
    ADDED,
    CHANGED,
    AuditEntry,
    audit_entries,
    audit_people,
    record_parts,
)
from incidents.models import (
    AccessAction,
    AccessLogEntry,
    CameToLight,
    ContactMethod,
    Decision,
    DecisionKind,
    DecisionOutcome,
    Incident,
    PersonKind,
)
from incidents.restricted.services import restricted_access_grant
from incidents.review.questions import IMMEDIATE_RISK, REFERRAL_NEEDED
from incidents.review.services import decision_update
from incidents.services import (
    decision_record,
    incident_create,
    incident_update,
    involvement_add,
    parent_contact_record,
)
from referrals.flow.services import follow_up_record, referral_record
from referrals.models import Agency
from safeguarding.audit import save_audited
from tests.clock import ago
from tests.factories import IncidentFactory, PupilFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
READERS = ("dsl", "deputy", "head", "trust_lead")
NOT_READERS = ("staff", "other_dsl", "nobody")


def local(value: dt.datetime) -> str:
    """What the trail shows for a moment: UK local time."""
    return f"{timezone.localtime(value):%-d %B %Y %H:%M}"


@pytest.fixture
def incident(people) -> Incident:
    return incident_create(
        actor=people.dsl,
        school=people.school,
        came_to_light_how=CameToLight.PARENT,
        came_to_light_at=ago(days=2),
        narrative="A parent called.",
    )


@pytest.fixture
def person(people, incident):
    pupil = PupilFactory(school=people.school, given_name="Alex", family_name="Brown")
    return involvement_add(
        actor=people.dsl, incident=incident, kind=PersonKind.PUPIL, roles=["pictured"], pupil=pupil
    )


def decide(people, incident, **overrides) -> Decision:
    return decision_record(
        **{
            "actor": people.dsl,
            "incident": incident,
            "kind": DecisionKind.INITIAL_REVIEW,
            "outcome": DecisionOutcome.MANAGE_IN_SCHOOL,
            "rationale": "Low risk",
            "decided_at": ago(days=1),
            **overrides,
        }
    )


def of(entries: list[AuditEntry], part: str, action: str | None = None) -> list[AuditEntry]:
    return [e for e in entries if e.part == part and (action is None or e.action == action)]


def sentences(entry: AuditEntry) -> list[str]:
    return [change.sentence for change in entry.changes]


def history_at(instance, moment: dt.datetime, actor):
    """Save through `save_audited` with the history row dated `moment`."""
    instance._history_date = moment
    return save_audited(instance, actor=actor)


# --- which parts make up the record ------------------------------------------------------


def test_the_parts_are_every_model_with_history_belonging_to_an_incident():
    parts = {part.label: part.link for part in record_parts()}
    assert record_parts()[0].label == "incidents.incident"
    for label in (
        "incidents.involvement",
        "incidents.decision",
        "incidents.parentcontact",
        "incidents.triageassessment",
        "incidents.riskassessment",
        "incidents.imageryviewing",
        "incidents.deviceseizure",
        "incidents.deletionrequest",
        "incidents.interview",
        "incidents.onlinereport",
        "incidents.reopening",
        "incidents.incidentdocument",
        "incidents.incidentaccessgrant",
        "incidents.signoff",
        "referrals.referral",
        "referrals.meeting",
    ):
        assert parts[label] == "incident_id", label
    assert parts["referrals.followup"] == "referral__incident_id"
    # Not parts of one incident's record: the school's own records, and the access log
    # (written once, without history).
    for label in ("safeguarding.pupil", "safeguarding.user", "referrals.agencycontact",
                  "incidents.accesslogentry"):  # fmt: skip
        assert label not in parts


# --- what the entries say ------------------------------------------------------------------


def test_a_decision_added_then_its_rationale_corrected(people, incident):
    decision = decide(people, incident)
    corrected = decision_update(
        actor=people.colleague_dsl,
        decision=decision,
        expected_version=decision.version,
        rationale="Low risk; parents told",
        against_triage_reason="",
        attendees="",
    )
    added_at = decision.history.get(history_type="+").history_date
    changed_at = corrected.history.get(history_type="~").history_date

    added, changed = of(audit_entries(incident), "Decision: initial review meeting")
    assert (added.action, added.user) == (ADDED, people.dsl)
    assert added.sentence == f"Decision added by Dana Lead on {local(added_at)}"
    shown = {change.label: change.after for change in added.changes}
    assert shown["Outcome"] == "Manage within school, without referral"
    assert shown["Rationale"] == "Low risk"
    assert shown["Decided by"] == "Dana Lead"
    assert shown["Decided at"] == local(decision.decided_at)
    assert "Attendees" not in shown  # left empty
    assert (changed.action, changed.user) == (CHANGED, people.colleague_dsl)
    assert sentences(changed) == [
        f"Rationale changed by Cal Colleague on {local(changed_at)}: "
        "'Low risk' → 'Low risk; parents told'"
    ]


def test_people_and_parent_contacts_are_named_and_their_changes_read(people, incident, person):
    person.coerced = True
    save_audited(person, actor=people.deputy)
    contact = parent_contact_record(
        actor=people.dsl,
        incident=incident,
        involvement=person,
        informed=True,
        contact_name="Jo Brown",
        relationship="",
        method=ContactMethod.PHONE,
        contacted_at=ago(hours=3),
    )
    contact.method = ContactMethod.IN_PERSON
    contact.relationship = "mother"
    save_audited(contact, actor=people.colleague_dsl)

    entries = audit_entries(incident)
    added, changed = of(entries, "Person: Alex Brown")
    assert added.sentence.startswith("Person added by Dana Lead on ")
    assert {c.label: c.after for c in added.changes}["Pupil"] == "Alex Brown"
    assert [(c.label, c.before, c.after) for c in changed.changes] == [("Coerced", "No", "Yes")]
    assert sentences(changed)[0].startswith("Coerced changed by Dev Deputy on ")

    recorded, corrected = of(entries, "Parent contact: Alex Brown")
    assert recorded.sentence.startswith("Parent contact added by Dana Lead on ")
    assert {c.label: c.after for c in recorded.changes}["Method"] == "Phone"
    assert [(c.label, c.before, c.after) for c in corrected.changes] == [
        ("Relationship", "(blank)", "mother"),
        ("Method", "Phone", "In person"),
    ]
    assert sentences(corrected)[0].endswith(": (blank) → 'mother'")
    assert sentences(corrected)[1].endswith(": 'Phone' → 'In person'")


def test_the_incident_itself_with_choices_times_and_people_readable(people, incident):
    incident_update(
        actor=people.dsl,
        incident=incident,
        expected_version=incident.version,
        narrative="A parent called the school.",
        came_to_light_how=CameToLight.STAFF,
        shared_widely=True,
    )
    added, changed = of(audit_entries(incident), "Incident")
    recorded = {c.label: c.after for c in added.changes}
    assert recorded["Came to light how"] == "Reported by a parent or carer"
    assert recorded["Came to light at"] == local(incident.came_to_light_at)
    assert recorded["Lead dsl"] == "Dana Lead"
    assert recorded["School"] == "Riverside Academy"
    # Left at the default: not news.
    assert "Shared with the pictured child's consent" not in recorded
    assert "Shared widely" not in recorded
    # Bookkeeping and what the application sets itself are never shown.
    labels = {c.label for entry in audit_entries(incident) for c in entry.changes}
    for hidden in ("Id", "Version", "Chain hash", "Incident", "Reference", "Created at",
                   "Recorded at", "Facts", "Result"):  # fmt: skip
        assert hidden not in labels
    assert [(c.label, c.before, c.after) for c in changed.changes] == [
        ("Came to light how", "Reported by a parent or carer",
         "Noticed or reported by a member of staff"),
        ("Narrative", "A parent called.", "A parent called the school."),
        ("Shared widely", "No", "Yes"),
    ]  # fmt: skip


def test_times_are_shown_in_uk_local_time(people, incident):
    summer = dt.datetime(2025, 7, 1, 8, 5, tzinfo=dt.UTC)
    winter = dt.datetime(2025, 12, 1, 8, 5, tzinfo=dt.UTC)
    decision = Decision(
        incident=incident,
        kind=DecisionKind.REVIEW,
        outcome=DecisionOutcome.REFER_POLICE,
        rationale="Risk",
        decided_at=winter,
        decided_by=people.dsl,
    )
    history_at(decision, summer, people.dsl)
    (entry,) = of(audit_entries(incident), "Decision: later review")
    assert entry.sentence == "Decision added by Dana Lead on 1 July 2025 09:05"
    assert {c.label: c.after for c in entry.changes}["Decided at"] == "1 December 2025 08:05"


def test_json_answers_read_compactly_and_a_change_shows_only_the_answer_changed(people, incident):
    decision = decide(people, incident)
    decision.review_answers = {
        IMMEDIATE_RISK: {"answer": "no", "note": ""},
        REFERRAL_NEEDED: {"answer": "not_known", "note": "Waiting for the police"},
    }
    save_audited(decision, actor=people.dsl)
    decision.review_answers = {
        IMMEDIATE_RISK: {"answer": "no", "note": ""},
        REFERRAL_NEEDED: {"answer": "yes", "note": ""},
    }
    save_audited(decision, actor=people.dsl)
    _, answered, changed = of(audit_entries(incident), "Decision: initial review meeting")
    assert [(c.before, c.after) for c in answered.changes] == [
        ("(blank)", "immediate risk: no; referral needed: not known (Waiting for the police)")
    ]
    assert [(c.before, c.after) for c in changed.changes] == [
        ("referral needed: not known (Waiting for the police)", "referral needed: yes")
    ]


def test_a_save_that_changes_nothing_shown_makes_no_entry(people, incident):
    decision = decide(people, incident)
    decision.version += 1
    save_audited(decision, actor=people.dsl)
    assert decision.history.count() == 2
    assert len(of(audit_entries(incident), "Decision: initial review meeting")) == 1


def test_referrals_and_their_follow_ups_are_parts_of_the_record(people, incident):
    referral = referral_record(
        actor=people.dsl,
        incident=incident,
        agency=Agency.POLICE,
        made_at=ago(hours=5),
        method=ContactMethod.PHONE,
        reasons="Adult involved",
    )
    follow_up_record(
        actor=people.deputy,
        referral=referral,
        chased_at=ago(hours=1),
        spoke_to="PC Shah",
        method=ContactMethod.PHONE,
        said="An officer will call back.",
    )
    elsewhere = incident_create(
        actor=people.dsl,
        school=people.school,
        came_to_light_how=CameToLight.STAFF,
        came_to_light_at=ago(days=1),
    )
    referral_record(
        actor=people.dsl,
        incident=elsewhere,
        agency=Agency.SOCIAL_CARE,
        made_at=ago(hours=5),
        method=ContactMethod.PHONE,
        reasons="Elsewhere",
    )
    entries = audit_entries(incident)
    assert len(of(entries, "Referral: police", ADDED)) == 1
    (follow_up,) = of(entries, f"Follow-up: Police referral, {incident.reference}")
    assert follow_up.user == people.deputy
    assert {c.label: c.after for c in follow_up.changes}["Spoke to"] == "PC Shah"
    assert not [e for e in entries if "social care" in e.part.lower()]


def test_entries_are_oldest_first_and_name_an_unknown_writer(people):
    incident = IncidentFactory(school=people.school)  # written without a person
    decision = Decision(
        incident=incident,
        kind=DecisionKind.REVIEW,
        outcome=DecisionOutcome.REFER_POLICE,
        rationale="First",
        decided_at=ago(days=9),
        decided_by=people.dsl,
    )
    history_at(decision, ago(days=5), people.dsl)
    decision.rationale = "Second"
    history_at(decision, ago(days=6), people.dsl)  # written later, dated earlier
    entries = audit_entries(incident)
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)
    assert entries[-1].part == "Incident"
    assert entries[-1].user is None
    assert " by an unknown user on " in entries[-1].sentence


# --- the filters -----------------------------------------------------------------------------


@pytest.fixture
def dated(people, incident):
    """Decisions by three people on 1, 10 and 20 March 2026 (UK time)."""
    for day, who in ((1, people.dsl), (10, people.deputy), (20, people.colleague_dsl)):
        moment = dt.datetime(2026, 3, day, 0, 30, tzinfo=LONDON)
        decision = Decision(
            incident=incident,
            kind=DecisionKind.REVIEW,
            outcome=DecisionOutcome.REFER_POLICE,
            rationale=f"On the {day}th",
            decided_at=moment,
            decided_by=who,
        )
        history_at(decision, moment, who)
    return incident


def rationales(entries: list[AuditEntry]) -> list[str]:
    return [c.after for e in entries for c in e.changes if c.label == "Rationale"]


def test_filter_by_person(people, dated):
    assert rationales(audit_entries(dated, person_id=people.deputy.pk)) == ["On the 10th"]
    mine = audit_entries(dated, person_id=people.dsl.pk)
    assert {entry.user for entry in mine} == {people.dsl}
    assert rationales(mine) == ["On the 1th"]
    assert audit_entries(dated, person_id=people.head.pk) == []


def test_filter_by_local_dates_both_included(people, dated):
    # 00:30 on 1 March in London is still 1 March (GMT); 20 March likewise.
    assert rationales(audit_entries(dated, date_from=dt.date(2026, 3, 10))) == [
        "On the 10th",
        "On the 20th",
    ]
    assert rationales(
        audit_entries(dated, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 10))
    ) == ["On the 1th", "On the 10th"]
    assert rationales(audit_entries(dated, date_to=dt.date(2026, 2, 28))) == []


def test_audit_people_are_those_who_changed_the_record_by_name(people, dated, person):
    assert audit_people(dated) == [people.colleague_dsl, people.dsl, people.deputy]


# --- the audit page --------------------------------------------------------------------------


def page(incident: Incident) -> str:
    return reverse("audit:incident", kwargs={"incident_id": incident.pk})


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_whole_trail(client, people, incident, person, who):
    decide(people, incident)
    client.force_login(getattr(people, who))
    response = client.get(page(incident))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Audit trail of {incident.reference}" in html
    assert "Person: Alex Brown" in html
    assert "Decision: initial review meeting" in html
    assert "Decision added by Dana Lead on" in html


@pytest.mark.parametrize("who", NOT_READERS)
def test_others_are_told_there_is_no_such_incident(client, people, incident, who):
    client.force_login(getattr(people, who))
    assert client.get(page(incident)).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, incident):
    response = client.get(page(incident))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["anonymous", *READERS, *NOT_READERS])
def test_the_page_is_read_only(client, people, incident, who):
    if who != "anonymous":
        client.force_login(getattr(people, who))
    assert client.post(page(incident)).status_code == 405


def test_another_schools_incident_answers_like_a_missing_one(client, people):
    client.force_login(people.dsl)
    theirs = client.get(page(IncidentFactory(school=people.other_school)))
    missing = client.get(reverse("audit:incident", kwargs={"incident_id": 999_999}))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_a_restricted_incident_needs_a_grant(client, people):
    restricted = IncidentFactory(
        school=people.school, restricted=True, lead_dsl=people.colleague_dsl
    )
    client.force_login(people.dsl)
    assert client.get(page(restricted)).status_code == 404
    restricted_access_grant(
        actor=people.colleague_dsl, incident=restricted, user=people.dsl, reason="Covering"
    )
    response = client.get(page(restricted))
    assert response.status_code == 200
    assert "Access to the restricted record: Dana Lead" in response.content.decode()


def test_viewing_the_trail_is_logged_with_the_filter(client, people, dated):
    client.force_login(people.head)
    client.get(page(dated))
    client.get(
        page(dated),
        {"person": people.deputy.pk, "date_from_0": "1", "date_from_1": "3",
         "date_from_2": "2026"},
    )  # fmt: skip
    entries = AccessLogEntry.objects.filter(incident=dated).order_by("pk")
    assert [(e.user, e.action, e.detail) for e in entries] == [
        (people.head, AccessAction.VIEWED_AUDIT, ""),
        (people.head, AccessAction.VIEWED_AUDIT,
         "Filtered: changes by Dev Deputy, from 1 March 2026"),
    ]  # fmt: skip


def test_the_page_filters_by_person_and_dates(client, people, dated):
    client.force_login(people.dsl)
    html = client.get(page(dated), {"person": people.deputy.pk}).content.decode()
    assert "On the 10th" in html
    assert "On the 1th" not in html
    assert "On the 20th" not in html
    assert f'<option value="{people.deputy.pk}" selected>Dev Deputy</option>' in html
    html = client.get(
        page(dated),
        {"date_from_0": "10", "date_from_1": "3", "date_from_2": "2026",
         "date_to_0": "19", "date_to_1": "3", "date_to_2": "2026"},
    ).content.decode()  # fmt: skip
    assert "On the 10th" in html
    assert "On the 1th" not in html
    assert "On the 20th" not in html
    assert "1 change: from 10 March 2026, to 19 March 2026" in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"person": "someone"}, "person", "Choose a person from the list."),
        ({"person": "99999999999999999999999"}, "person", "Choose a person from the list."),
        ({"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"}, "date_from",
         "The date must be a real date."),
        ({"date_from_0": "1", "date_from_1": "2147483648", "date_from_2": "2026"},
         "date_from", "The date must be a real date."),
        ({"date_to_0": "1", "date_to_1": "3", "date_to_2": "20266"}, "date_to",
         "The year must have 4 numbers, for example 2026."),
        ({"date_to_0": "1", "date_to_1": "", "date_to_2": "2026"}, "date_to",
         "The date must include a month."),
        ({"date_from_0": "2", "date_from_1": "3", "date_from_2": "2026",
          "date_to_0": "1", "date_to_1": "3", "date_to_2": "2026"}, "date_to",
         "The ‘to’ date must be the same as or after the ‘from’ date."),
    ],
)  # fmt: skip
def test_bad_filters_are_named_on_their_field(client, people, dated, query, field, message):
    client.force_login(people.dsl)
    response = client.get(page(dated), query)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'id="id_{field}_error"' in html
    assert response.context["entries"] is None
    assert "On the 10th" not in html


# --- queries ---------------------------------------------------------------------------------


def busy(people, n: int) -> Incident:
    """An incident with `n` of each part people change most, each changed once."""
    incident = incident_create(
        actor=people.dsl,
        school=people.school,
        came_to_light_how=CameToLight.PARENT,
        came_to_light_at=ago(days=3),
    )
    for _ in range(n):
        involved = involvement_add(
            actor=people.dsl,
            incident=incident,
            kind=PersonKind.PUPIL,
            roles=["pictured"],
            pupil=PupilFactory(school=people.school),
        )
        involved.coerced = True
        save_audited(involved, actor=people.deputy)
        decision = decide(people, incident, outcome=DecisionOutcome.REFER_POLICE)
        decision_update(
            actor=people.deputy,
            decision=decision,
            expected_version=decision.version,
            rationale="Changed",
            against_triage_reason="",
            attendees="",
        )
        parent_contact_record(
            actor=people.colleague_dsl,
            incident=incident,
            involvement=involved,
            informed=True,
            contact_name="A parent",
            method=ContactMethod.PHONE,
            contacted_at=ago(hours=2),
        )
        referral = referral_record(
            actor=people.dsl,
            incident=incident,
            agency=Agency.POLICE,
            made_at=ago(hours=5),
            method=ContactMethod.PHONE,
            reasons="Reasons",
        )
        follow_up_record(
            actor=people.dsl,
            referral=referral,
            chased_at=ago(hours=1),
            spoke_to="PC Shah",
            method=ContactMethod.PHONE,
            said="Later",
        )
    return incident


def count(function, *args) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = function(*args)
    return len(captured), result


def test_the_trail_reads_the_same_queries_for_1_and_6_of_each_part(people):
    one_queries, one = count(audit_entries, busy(people, 1))
    many_queries, many = count(audit_entries, busy(people, 6))
    assert len(many) > len(one) >= 9
    assert many_queries == one_queries
    assert one_queries <= len(record_parts()) + 6  # one per part, one per model referred to
    assert count(audit_people, busy(people, 1))[0] == count(audit_people, busy(people, 6))[0] == 2


def test_the_page_makes_the_same_queries_for_1_and_6_of_each_part(client, people):
    client.force_login(people.dsl)
    paths = [page(busy(people, n)) for n in (1, 6)]
    client.get(paths[0])  # warm the caches (content types, session)
    counts = []
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]

"""Helpers shared by the case tests: a signed-in GET, the query count of a page, an
incident busy with records, and one of each record of the school's response
(`respond_to`, which the export tests use too)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.interviews.services import interview_record
from incidents.models import (
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    ReportChannel,
    ReportOutcome,
    RiskAssessment,
    ViewingReason,
)
from incidents.services import decision_record, parent_contact_record
from incidents.takedown.services import online_report_outcome_record, online_report_record
from incidents.viewing.services import imagery_viewing_record
from referrals.flow.services import referral_record
from referrals.models import Agency
from tests.clock import ago
from tests.factories import (
    DeletionRequestFactory,
    DeviceSeizureFactory,
    IncidentFactory,
    InvolvementFactory,
)


def get(client, user, path):
    client.force_login(user)
    return client.get(path)


def queries(client, path):
    from guardian.ctypes import get_content_type

    client.get(path)  # warm the caches
    if hasattr(get_content_type, "cache_clear"):
        get_content_type.cache_clear()
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def busy_incident(people, n: int):
    incident = IncidentFactory(school=people.school, came_to_light_at=ago(days=20))
    for _ in range(n):
        involvement = InvolvementFactory(incident=incident)
        decision_record(
            actor=people.dsl,
            incident=incident,
            kind=DecisionKind.REVIEW,
            outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
            rationale="Managed",
            decided_at=ago(days=3),
        )
        parent_contact_record(
            actor=people.dsl,
            incident=incident,
            involvement=involvement,
            informed=True,
            contact_name="A parent",
            method=ContactMethod.PHONE,
            contacted_at=ago(days=2),
        )
        referral_record(
            actor=people.dsl,
            incident=incident,
            agency=Agency.POLICE,
            made_at=ago(days=9),
            method=ContactMethod.PHONE,
            reasons="Reasons",
        )
    return incident


def respond_to(people, incident, person):
    """One of each record of the school's response, about `person`."""
    person.is_pictured = True
    person.save()
    people.dsl.sex = person.person_sex
    people.dsl.save()
    RiskAssessment.objects.create(
        incident=incident, summary="Low risk.", assessed_at=ago(days=2), assessed_by=people.dsl
    )
    imagery_viewing_record(
        actor=people.dsl,
        incident=incident,
        pictured=person,
        viewer=people.dsl,
        reason=ViewingReason.UNAVOIDABLE,
        reason_details="Shown to a teacher.",
        viewed_at=ago(days=2),
        present="No one else",
        headteacher_informed_at=ago(days=2),
        what_followed="Reported for take-down.",
    )
    DeviceSeizureFactory(incident=incident, involvement=person, handed_to_police_at=ago(hours=1),
                         handed_to="PC Shah 123")  # fmt: skip
    DeletionRequestFactory(incident=incident, involvement=person, confirmed_at=ago(hours=1),
                           confirmation="Showed the deleted folders.")  # fmt: skip
    interview_record(
        actor=people.dsl,
        incident=incident,
        involvement=person,
        held_at=ago(days=1),
        conducted_by=people.dsl,
        others_present="",
        child_told_of_record=True,
        record="Talked it through.",
    )
    report = online_report_record(
        actor=people.dsl,
        incident=incident,
        platform="Snapchat",
        channel=ReportChannel.PLATFORM,
        reported_at=ago(days=1),
        reported_by="The DSL",
    )
    online_report_outcome_record(
        actor=people.dsl,
        report=report,
        expected_version=report.version,
        outcome=ReportOutcome.REMOVED,
        outcome_at=ago(hours=2),
        notes="",
    )

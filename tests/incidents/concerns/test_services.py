"""Reporting a concern and the DSL's steps with it, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.case.selectors import incident_timeline
from incidents.concerns.services import (
    concern_acknowledge,
    concern_add_to_incident,
    concern_note_add,
    concern_open_incident,
    concern_refer_to_wider_procedures,
    concern_settings_change,
)
from incidents.models import (
    CameToLight,
    ConcernAcknowledgement,
    ConcernOutcome,
    ConcernOutcomeKind,
    ImmutableRowError,
    IncidentStatus,
)
from safeguarding.models import Role
from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.models import Notification
from tests.conftest import grant
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_concern_gets_the_next_reference_of_its_school_and_year(people, report):
    first, second = report(), report()
    year = timezone.now().year
    assert first.reference == f"RA-C-{year}-0001"
    assert second.reference == f"RA-C-{year}-0002"
    assert [named.pupil.given_name for named in first.named_pupils.all()] == ["Chloe"]


def test_a_concern_needs_a_pupil_or_a_description(report):
    with pytest.raises(ValidationError) as refused:
        report(pupils=[], unnamed_pupils="  ")
    assert "pupils" in refused.value.message_dict
    assert report(pupils=[], unnamed_pupils="A Year 9 boy with red hair").unnamed_pupils


def test_a_pupil_of_another_school_is_refused(people, report):
    with pytest.raises(ValidationError) as refused:
        report(pupils=[PupilFactory(school=people.other_school)])
    assert "pupils" in refused.value.message_dict


def test_a_concern_cannot_have_happened_after_it_was_sent(report):
    with pytest.raises(ValidationError) as refused:
        report(happened_at=timezone.now() + dt.timedelta(hours=1))
    assert "happened_at" in refused.value.message_dict


def test_a_sent_concern_is_never_changed(report):
    concern = report()
    concern.account = "Something else"
    with pytest.raises(ImmutableRowError):
        concern.save()


def test_the_dsls_are_emailed_at_once_with_no_detail(
    people, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = report()
    told = {message.to[0] for message in mail.outbox}
    assert told == {people.dsl.email, people.deputy.email, people.colleague_dsl.email}
    for message in mail.outbox:
        body = message.body + message.alternatives[0][0]
        assert concern.reference in body
        assert f"/concerns/{concern.pk}/" in body
        assert people.school.name in message.subject
        for secret in ("Chloe", "Hirst", "phone round", "Room 12", people.staff.full_name):
            assert secret not in body
            assert secret not in message.subject


def test_a_dsl_who_reports_a_concern_is_not_emailed_about_it(
    people, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report(actor=people.dsl)
    assert people.dsl.email not in {message.to[0] for message in mail.outbox}
    assert people.deputy.email in {message.to[0] for message in mail.outbox}


def test_a_digest_choice_does_not_delay_a_concern(people, report):
    from safeguarding.notifications.models import Delivery, NotificationPreference

    NotificationPreference.objects.create(
        user=people.dsl, event=NotificationEvent.CONCERN_REPORTED, delivery=Delivery.DIGEST
    )
    report()
    row = Notification.objects.get(recipient=people.dsl)
    assert row.delivery == Delivery.IMMEDIATE


def test_a_note_tells_the_dsls_at_once_without_its_words(
    people, report, django_capture_on_commit_callbacks
):
    concern = report()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern_note_add(actor=people.staff, concern=concern, text="He has sent it to others.")
    told = {message.to[0] for message in mail.outbox}
    assert told == {people.dsl.email, people.deputy.email, people.colleague_dsl.email}
    assert all("sent it to others" not in message.body for message in mail.outbox)
    assert all(concern.reference in message.body for message in mail.outbox)


def test_only_the_reporter_adds_notes_and_they_keep_their_order(people, report):
    concern = report()
    concern_note_add(actor=people.staff, concern=concern, text="He said it was sent to others.")
    concern_note_add(actor=people.staff, concern=concern, text="Mr Reid took the phone.")
    with pytest.raises(ValidationError):
        concern_note_add(actor=people.dsl, concern=concern, text="Not mine to add")
    assert [note.text for note in concern.notes.all()] == [
        "He said it was sent to others.",
        "Mr Reid took the phone.",
    ]


def test_a_concern_is_acknowledged_once(people, report):
    concern = report()
    concern_acknowledge(actor=people.dsl, concern=concern)
    with pytest.raises(ValidationError, match="acknowledged this concern"):
        concern_acknowledge(actor=people.deputy, concern=concern)
    assert ConcernAcknowledgement.objects.get(concern=concern).acknowledged_by == people.dsl


def test_the_database_refuses_a_second_acknowledgement(people, report):
    concern = report()
    concern_acknowledge(actor=people.dsl, concern=concern)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConcernAcknowledgement.objects.create(concern=concern, acknowledged_by=people.deputy)


def test_a_new_incident_carries_the_concerns_pupils_and_starts_with_it(people, report, pupil):
    unnamed = PupilFactory(school=people.school)
    concern = report(pupils=[pupil, unnamed])
    incident = concern_open_incident(
        actor=people.dsl, concern=concern, roles={pupil.pk: ["pictured", "sender"]}
    )
    assert incident.came_to_light_how == CameToLight.STAFF
    assert incident.came_to_light_at == concern.happened_at
    assert incident.narrative == concern.account
    assert incident.lead_dsl == people.dsl
    involved = list(incident.involvements.all())
    assert [(i.pupil, i.roles) for i in involved] == [(pupil, ["pictured", "sender"])]
    first = incident_timeline(incident)[0]
    assert first.kind == "Concern"
    assert concern.reference in first.title
    assert ("What was seen or heard", concern.account) in first.details
    steps = dict(first.details)
    assert people.dsl.full_name in steps["Acknowledged"]
    assert steps["Decided"].startswith("Opened as a new incident")
    outcome = ConcernOutcome.objects.get(concern=concern)
    assert (outcome.kind, outcome.incident) == (ConcernOutcomeKind.INCIDENT_OPENED, incident)
    # Deciding what it is acknowledges it, if nobody had.
    assert ConcernAcknowledgement.objects.get(concern=concern).acknowledged_by == people.dsl


def test_a_concern_is_decided_once(people, report):
    concern = report()
    concern_open_incident(actor=people.dsl, concern=concern, roles={})
    with pytest.raises(ValidationError, match="already decided"):
        concern_open_incident(actor=people.deputy, concern=concern, roles={})
    with pytest.raises(ValidationError, match="already decided"):
        concern_refer_to_wider_procedures(actor=people.deputy, concern=concern, reason="No")


def test_a_concern_joins_an_open_incident_with_its_new_pupils(people, report, pupil):
    incident = IncidentFactory(school=people.school, status=IncidentStatus.AWAITING_REVIEW)
    InvolvementFactory(incident=incident, pupil=pupil)
    newcomer = PupilFactory(school=people.school)
    concern = report(pupils=[pupil, newcomer])
    concern_add_to_incident(
        actor=people.dsl,
        concern=concern,
        incident=incident,
        roles={pupil.pk: ["recipient"], newcomer.pk: ["possessor"]},
    )
    assert incident.involvements.count() == 2
    assert incident.involvements.get(pupil=newcomer).roles == ["possessor"]
    assert any(entry.kind == "Concern" for entry in incident_timeline(incident))


def test_a_concern_cannot_join_a_closed_or_another_schools_incident(people, report):
    concern = report()
    closed = IncidentFactory(
        school=people.school,
        status=IncidentStatus.CLOSED,
        closed_at=timezone.now(),
        outcome_summary="Managed in school.",
    )
    elsewhere = IncidentFactory(school=people.other_school)
    for incident in (closed, elsewhere):
        with pytest.raises(ValidationError) as refused:
            concern_add_to_incident(actor=people.dsl, concern=concern, incident=incident, roles={})
        assert "incident" in refused.value.message_dict
    assert not ConcernOutcome.objects.filter(concern=concern).exists()


def test_handled_elsewhere_needs_a_reason(people, report):
    concern = report()
    with pytest.raises(ValidationError) as refused:
        concern_refer_to_wider_procedures(actor=people.dsl, concern=concern, reason="  ")
    assert "reason" in refused.value.message_dict
    outcome = concern_refer_to_wider_procedures(
        actor=people.dsl, concern=concern, reason="A friendship dispute; no imagery."
    )
    assert outcome.kind == ConcernOutcomeKind.WIDER_SAFEGUARDING
    assert outcome.incident is None


def test_every_step_is_in_the_history(people, report):
    concern = report()
    concern_acknowledge(actor=people.dsl, concern=concern)
    concern_refer_to_wider_procedures(actor=people.dsl, concern=concern, reason="Bullying.")
    assert concern.history.get().history_user == people.staff
    assert ConcernAcknowledgement.history.get().history_user == people.dsl
    assert ConcernOutcome.history.get().history_user == people.dsl


def test_settings_change_is_audited_and_refuses_other_fields(people):
    school = concern_settings_change(
        actor=people.dsl,
        school=people.school,
        expected_version=people.school.version,
        dsl_contact_phone="0161 496 0123",
        concern_acknowledge_minutes=30,
    )
    assert school.history.first().history_user == people.dsl
    assert (school.dsl_contact_phone, school.concern_acknowledge_minutes) == ("0161 496 0123", 30)
    with pytest.raises(ValueError, match="triage_preset"):
        concern_settings_change(
            actor=people.dsl, school=school, expected_version=school.version, triage_preset="all"
        )


def test_settings_refuse_a_day_that_ends_before_it_starts(people):
    with pytest.raises(ValidationError) as refused:
        concern_settings_change(
            actor=people.dsl,
            school=people.school,
            expected_version=people.school.version,
            school_day_starts=dt.time(15),
            school_day_ends=dt.time(9),
        )
    assert "school_day_ends" in refused.value.message_dict


def test_an_acting_headteacher_is_given_the_new_permission_with_the_role(people):
    acting = UserFactory()
    grant(acting, people.school, Role.ACTING_HEADTEACHER, people.operator)
    assert acting.has_perm("safeguarding.view_concerns", people.school)
    assert not people.staff.has_perm("safeguarding.view_concerns", people.school)
    assert not people.trust_lead.has_perm("safeguarding.view_concerns", people.school)

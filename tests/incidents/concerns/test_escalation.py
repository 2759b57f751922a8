"""A concern not acknowledged within the school's minutes of the school day goes to the
headteacher: not before, not counting time outside the school day, and once. The
clock is fake: every check is given its `now`."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from incidents.concerns.services import concern_acknowledge, concern_escalate, concerns_escalate_due
from incidents.concerns.tasks import escalate_concern
from incidents.models import ConcernEscalation
from safeguarding.models import Role
from tests.background import run_worker, use_database_tasks
from tests.conftest import grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A Wednesday; the school day is 08:30 to 16:30 and a DSL has 60 minutes.
WEDNESDAY = dt.date(2026, 11, 25)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def sent_at(report, moment: dt.datetime, **overrides):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return report(happened_at=moment - dt.timedelta(minutes=5), **overrides)


def test_due_an_hour_of_school_time_after_it_was_sent(report):
    concern = sent_at(report, at(WEDNESDAY, 10, 0))
    assert concern.acknowledge_by == at(WEDNESDAY, 11, 0)


def test_time_after_school_does_not_count(report):
    concern = sent_at(report, at(WEDNESDAY, 16, 0))
    assert concern.acknowledge_by == at(WEDNESDAY + dt.timedelta(days=1), 9, 0)


def test_a_friday_evening_concern_falls_due_on_monday_morning(report):
    friday = WEDNESDAY + dt.timedelta(days=2)
    concern = sent_at(report, at(friday, 19, 0))
    assert concern.acknowledge_by == at(friday + dt.timedelta(days=3), 9, 30)


def test_the_schools_own_minutes_and_day_are_used(people, report):
    people.school.concern_acknowledge_minutes = 15
    people.school.school_day_starts = dt.time(8, 0)
    people.school.save()
    concern = sent_at(report, at(WEDNESDAY, 7, 0))
    assert concern.acknowledge_by == at(WEDNESDAY, 8, 15)


def test_not_escalated_before_it_is_due(report):
    concern = sent_at(report, at(WEDNESDAY, 10, 0))
    assert not concern_escalate(concern_id=concern.pk, now=at(WEDNESDAY, 10, 59))
    assert not ConcernEscalation.objects.exists()


def test_not_escalated_out_of_school_hours(report):
    concern = sent_at(report, at(WEDNESDAY, 16, 0))
    evening = at(WEDNESDAY, 20, 0)
    assert concerns_escalate_due(now=evening) == 0
    assert concerns_escalate_due(now=at(WEDNESDAY + dt.timedelta(days=1), 9, 0)) == 1
    assert ConcernEscalation.objects.get().concern == concern


def test_escalated_to_the_headteachers_once_after_it_is_due(
    people, report, django_capture_on_commit_callbacks
):
    acting = UserFactory(email="acting@riverside.example")
    grant(acting, people.school, Role.ACTING_HEADTEACHER, people.operator)
    concern = sent_at(report, at(WEDNESDAY, 10, 0))
    mail.outbox.clear()
    late = at(WEDNESDAY, 11, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert concerns_escalate_due(now=late) == 1
        assert concerns_escalate_due(now=late) == 0
        assert not concern_escalate(concern_id=concern.pk, now=late)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [people.head.email, acting.email]
    )
    message = mail.outbox[0]
    assert concern.reference in message.body
    assert "Chloe" not in message.body
    assert "not been acknowledged" in message.body
    assert f"/concerns/{concern.pk}/" in message.body


def test_an_acknowledged_concern_is_never_escalated(people, report):
    concern = sent_at(report, at(WEDNESDAY, 10, 0))
    concern_acknowledge(actor=people.dsl, concern=concern)
    assert concerns_escalate_due(now=at(WEDNESDAY, 15, 0)) == 0


def test_the_worker_escalates_at_the_moment_it_falls_due(
    people, report, settings, django_capture_on_commit_callbacks
):
    use_database_tasks(settings)
    with django_capture_on_commit_callbacks(execute=True):
        concern = report()
    queued = DBTaskResult.objects.get(task_path=escalate_concern.module_path)
    assert queued.run_after == concern.acknowledge_by
    assert queued.args_kwargs["kwargs"] == {"concern_id": concern.pk}
    run_worker()  # not yet due: the worker leaves it
    assert not ConcernEscalation.objects.exists()
    after = concern.acknowledge_by + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=after):
        run_worker()
    assert ConcernEscalation.objects.get().concern == concern


def test_a_task_started_early_is_queued_again_for_the_due_time(people, report, settings):
    concern = report()
    use_database_tasks(settings)
    escalate_concern.call(concern_id=concern.pk)
    again = DBTaskResult.objects.get(task_path=escalate_concern.module_path)
    assert again.run_after == concern.acknowledge_by
    assert not ConcernEscalation.objects.exists()


def test_the_cron_command_escalates_what_is_due(report, capsys):
    concern = sent_at(report, timezone.now() - dt.timedelta(days=7))
    call_command("escalate_concerns")
    assert "1 concern(s) escalated." in capsys.readouterr().out
    assert ConcernEscalation.objects.get().concern == concern

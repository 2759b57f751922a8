"""Packs made by a task (`incidents.packs.jobs`): queued when the request commits, made
by a worker, tried again after a failure that may pass, failed with the reason after
the last try or at once for any other failure, and made again when its worker died."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from incidents.models import Export, ExportStatus
from incidents.packs import jobs as pack_jobs
from incidents.packs import services as pack_services
from incidents.packs.services import pack_path, school_pack_create
from safeguarding.background.retry import FIRST_DELAY, MAX_TRIES
from safeguarding.background.workers import lost_tasks_requeue
from safeguarding.notifications.models import Notification
from tests.background import run_worker, use_database_tasks
from tests.clock import ago
from tests.incidents.packs.builders import SIMPLE_PUPIL, simple_incident, span

pytestmark = pytest.mark.django_db


def queued_pack(people: Any) -> Export:
    simple_incident(people)
    date_from, date_to = span()
    return school_pack_create(
        actor=people.dsl, school=people.school, date_from=date_from, date_to=date_to, redacted=False
    )


def start(export: Export, capture: Any) -> None:
    with capture(execute=True):
        pack_jobs.pack_start(export)
    export.refresh_from_db()


class Flaky:
    """Stands in for the PDF renderer: raises `errors` in turn, then renders."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self, **kwargs: Any) -> bytes:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return b"%PDF-1.7 made by a stand-in"


def test_the_task_makes_the_pack_once_the_request_commits_and_emails_the_requester(
    people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    export = queued_pack(people)
    start(export, django_capture_on_commit_callbacks)
    assert (export.status, export.done, export.total) == (ExportStatus.READY, 1, 1)
    assert pack_path(export).read_bytes().startswith(b"%PDF-")
    [message] = mail.outbox
    assert message.to == [people.dsl.email]
    assert f"/schools/{people.school.pk}/packs/{export.id}/" in message.body
    assert SIMPLE_PUPIL[1] not in message.body + message.subject


def test_a_pack_queued_inside_a_transaction_waits_for_the_commit(
    people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    export = queued_pack(people)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pack_jobs.pack_start(export)
    assert len(callbacks) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.QUEUED
    assert mail.outbox == []


def test_a_worker_makes_the_queued_pack(
    people: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_database_tasks(settings)
    export = queued_pack(people)
    start(export, django_capture_on_commit_callbacks)
    assert export.status == ExportStatus.QUEUED
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "incidents.packs.jobs.make_school_pack"
    assert queued.args_kwargs["kwargs"] == {"export_id": str(export.id)}
    run_worker()
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    queued.refresh_from_db()
    assert (queued.status, queued.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["test-worker"])


def test_a_failure_that_may_pass_is_tried_again_later(
    people: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_database_tasks(settings)
    renderer = Flaky(OperationalError("the database went away"))
    monkeypatch.setattr(pack_services, "pack_pdf", renderer)
    export = queued_pack(people)
    start(export, django_capture_on_commit_callbacks)
    run_worker()
    export.refresh_from_db()
    assert export.status == ExportStatus.QUEUED
    assert "A try failed (OperationalError)" in export.error
    retry = DBTaskResult.objects.ready().first()
    assert retry is None  # not due yet: it waits FIRST_DELAY
    [waiting] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.args_kwargs["kwargs"] == {"export_id": str(export.id), "tried": 2}
    delay = waiting.run_after - timezone.now()
    assert FIRST_DELAY - dt.timedelta(seconds=5) < delay <= FIRST_DELAY
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=ago(seconds=1))
    run_worker()
    export.refresh_from_db()
    assert (export.status, export.error, renderer.calls) == (ExportStatus.READY, "", 2)
    assert list(Notification.objects.values_list("event", flat=True)) == ["pack_ready"]


def test_a_pack_failing_on_every_try_is_failed_with_the_reason_on_its_page(
    client: Any,
    people: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    renderer = Flaky(*[OSError("No space left on device")] * MAX_TRIES)
    monkeypatch.setattr(pack_services, "pack_pdf", renderer)
    export = queued_pack(people)
    start(export, django_capture_on_commit_callbacks)
    assert (export.status, renderer.calls) == (ExportStatus.FAILED, MAX_TRIES)
    assert "could not finish it (OSError) and has stopped trying" in export.error
    assert "No space left" not in export.error  # the detail is for the log
    assert not pack_path(export).exists()
    client.force_login(people.dsl)
    page = client.get(f"/schools/{people.school.pk}/packs/{export.id}/")
    assert "has stopped trying" in page.content.decode()
    assert [m.subject for m in mail.outbox] == [f"Caseload pack not made – {people.school.name}"]


def test_any_other_failure_fails_the_pack_at_once(
    people: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    renderer = Flaky(ValueError("a bug"))
    monkeypatch.setattr(pack_services, "pack_pdf", renderer)
    export = queued_pack(people)
    start(export, django_capture_on_commit_callbacks)
    assert (export.status, renderer.calls) == (ExportStatus.FAILED, 1)
    assert "could not be made (ValueError)" in export.error


def _left_running_by(export: Export, *dead_workers: str) -> DBTaskResult:
    """The pack's task as a worker leaves it when it dies in the middle of the pack."""
    task = DBTaskResult.objects.get()
    task.worker_ids = list(dead_workers)
    task.status = TaskResultStatus.RUNNING
    task.save()
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=ago(minutes=5))
    pack_services._save(export, status=ExportStatus.RUNNING)
    return task


def test_a_pack_left_running_by_a_dead_worker_is_made_again(
    people: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_database_tasks(settings)
    export = queued_pack(people)
    start(export, django_capture_on_commit_callbacks)
    task = _left_running_by(export, "dead-worker")
    assert lost_tasks_requeue(now=timezone.now()) == [str(task.pk)]
    run_worker()
    export.refresh_from_db()
    task.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert (task.status, task.worker_ids) == (
        TaskResultStatus.SUCCESSFUL,
        ["dead-worker", "test-worker"],
    )


def test_a_pack_whose_worker_dies_every_time_is_failed(
    people: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    use_database_tasks(settings)
    export = queued_pack(people)
    start(export, django_capture_on_commit_callbacks)
    _left_running_by(export, *[f"dead-{n}" for n in range(pack_jobs.MAX_RUNS)])
    lost_tasks_requeue(now=timezone.now())
    run_worker()
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert f"stopped {pack_jobs.MAX_RUNS} times" in export.error
    assert Notification.objects.filter(event="pack_failed").count() == 1


def test_a_pack_waiting_for_half_an_hour_is_stalled(people: Any) -> None:
    export = queued_pack(people)
    assert not pack_jobs.pack_stalled(export, now=timezone.now())
    later = export.requested_at + pack_jobs.STALLED_AFTER + dt.timedelta(seconds=1)
    assert pack_jobs.pack_stalled(export, now=later)
    export.status = ExportStatus.READY
    assert not pack_jobs.pack_stalled(export, now=later)

"""/health/: 200 when the process can serve, 503 when it cannot, and nothing private."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.db.migrations import Migration
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

pytestmark = pytest.mark.django_db

URL = "/health/"
CHECKS = ("Database", "Cache", "PrivateFiles", "Migrations", "TaskQueue")
# What a failing PostgreSQL connection says: a host, an address, a path.
DATABASE_ERROR = (
    'connection to server at "db.internal.example" (10.1.2.3), port 5432 failed: '
    "FATAL: password authentication failed for user /srv/safeguarding/secret"
)


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def database_queue(settings):
    """The production task backend, whose queue is in the database (the tests' default
    runs each task at once). django-tasks drops its cached backends when TASKS changes."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_QUEUE_STALE_SECONDS = 600


def waiting_task(*, waited: dt.timedelta, run_after: dt.datetime | None = None) -> DBTaskResult:
    """A task queued `waited` ago and not yet picked up (the model stamps enqueued_at)."""
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="incidents.packs.jobs.make_pack",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)
    return task


def failing(response, *failed: str) -> None:
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {name: "unavailable" if name in failed else "ok" for name in CHECKS},
    }


def test_healthy_for_anyone_without_signing_in(client, private_files):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}
    assert "no-cache" in response["Cache-Control"]
    assert list(private_files.iterdir()) == []  # the probe file was deleted


def test_a_probe_over_plain_http_is_not_redirected(client, settings):
    """Production redirects HTTP to HTTPS; a balancer's probe must get the answer."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(URL).status_code == 200
    assert client.head(URL).status_code == 200
    assert client.get("/login/").status_code == 301


def test_signed_in_people_get_the_same_answer(client, people):
    client.force_login(people.dsl)
    assert client.get(URL).status_code == 200


def test_it_only_answers_reads(client):
    assert client.post(URL).status_code == 405
    assert client.put(URL).status_code == 405


def test_database_unreachable_is_503_without_the_error_text(client):
    with mock.patch.object(
        type(connections["default"]),
        "temporary_connection",
        side_effect=OperationalError(DATABASE_ERROR),
    ):
        response = client.get(URL)
    failing(response, "Database")
    body = response.content.decode()
    assert "db.internal" not in body
    assert "10.1.2.3" not in body
    assert "/srv/" not in body
    assert "password" not in body


def test_an_unapplied_migration_is_503(client):
    plan = [(Migration("0999_not_applied", "safeguarding"), False)]
    with mock.patch("safeguarding.health.MigrationExecutor.migration_plan", return_value=plan):
        response = client.get(URL)
    failing(response, "Migrations")
    assert "0999" not in response.content.decode()


def test_an_unexpected_error_in_a_check_is_503_without_its_text(client):
    with mock.patch(
        "safeguarding.health.MigrationExecutor.migration_plan",
        side_effect=RuntimeError("/srv/safeguarding/private-files is Amelia Hart's"),
    ):
        response = client.get(URL)
    failing(response, "Migrations")
    assert "Amelia" not in response.content.decode()
    assert "/srv/" not in response.content.decode()


def test_a_task_waiting_too_long_is_503(client, database_queue):
    waiting_task(waited=dt.timedelta(seconds=601))
    failing(client.get(URL), "TaskQueue")


def test_a_task_waiting_briefly_is_healthy(client, database_queue):
    waiting_task(waited=dt.timedelta(seconds=30))
    assert client.get(URL).status_code == 200


def test_a_deferred_task_waits_from_when_it_may_run(client, database_queue):
    """Queued long ago to run a minute ago: it has waited a minute, not a day."""
    now = timezone.now()
    waiting_task(waited=dt.timedelta(days=1), run_after=now - dt.timedelta(minutes=1))
    assert client.get(URL).status_code == 200
    # Deferred to later: not waiting at all yet.
    waiting_task(waited=dt.timedelta(days=1), run_after=now + dt.timedelta(hours=1))
    assert client.get(URL).status_code == 200
    waiting_task(waited=dt.timedelta(days=1), run_after=now - dt.timedelta(minutes=11))
    failing(client.get(URL), "TaskQueue")


def test_finished_and_running_tasks_are_not_waiting(client, database_queue):
    for status in ("RUNNING", "SUCCESSFUL", "FAILED"):
        task = waiting_task(waited=dt.timedelta(days=1))
        DBTaskResult.objects.filter(pk=task.pk).update(status=status)
    assert client.get(URL).status_code == 200


def test_the_threshold_is_a_setting(client, database_queue, settings):
    waiting_task(waited=dt.timedelta(seconds=90))
    settings.TASK_QUEUE_STALE_SECONDS = 60
    failing(client.get(URL), "TaskQueue")


def test_another_task_backend_has_no_queue_to_check(client):
    """The tests' immediate backend (like RQ or Celery) keeps no queue here to read."""
    waiting_task(waited=dt.timedelta(days=1))
    assert client.get(URL).status_code == 200

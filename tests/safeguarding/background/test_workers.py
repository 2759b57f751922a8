"""Dead workers (`safeguarding.background.workers` and `manage.py db_worker`): a task left
running by a silent worker is queued again, a live worker's is not; and on PostgreSQL two
workers side by side run each task exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safeguarding.background.models import TaskWorker
from safeguarding.background.workers import Heartbeat, lost_tasks_requeue, worker_beat
from tests.background import DATABASE_BACKEND, run_worker, use_database_tasks
from tests.clock import ago
from tests.safeguarding.background.tasks import note_run

ROOT = Path(__file__).resolve().parents[3]


def running(path: str, worker: str, *, minutes_ago: float) -> DBTaskResult:
    result = note_run.enqueue(path=path, number=1).db_result  # type: ignore[attr-defined]
    result.claim(worker)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=ago(minutes=minutes_ago))
    return result


@pytest.mark.django_db
def test_only_tasks_of_silent_workers_are_queued_again(settings: Any, tmp_path: Path) -> None:
    use_database_tasks(settings)
    notes = str(tmp_path / "notes")
    worker_beat(worker_id="alive", now=timezone.now())
    worker_beat(worker_id="silent", now=ago(minutes=10))
    of_the_dead = running(notes, "silent", minutes_ago=5)
    of_the_living = running(notes, "alive", minutes_ago=5)  # a long task: still beating
    just_claimed = running(notes, "never-beat", minutes_ago=0)  # too new to judge
    assert lost_tasks_requeue(now=timezone.now()) == [str(of_the_dead.pk)]
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {
        of_the_dead.pk: TaskResultStatus.READY,
        of_the_living.pk: TaskResultStatus.RUNNING,
        just_claimed.pk: TaskResultStatus.RUNNING,
    }
    run_worker()
    of_the_dead.refresh_from_db()
    assert of_the_dead.status == TaskResultStatus.SUCCESSFUL
    assert of_the_dead.worker_ids == ["silent", "test-worker"]
    assert Path(notes).read_text().count("\n") == 1


@pytest.mark.django_db
def test_a_beat_stamps_the_worker_and_survives_a_database_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    heartbeat = Heartbeat("w-1")
    heartbeat.beat_once()
    first = TaskWorker.objects.get(worker_id="w-1")
    heartbeat.beat_once()
    second = TaskWorker.objects.get(worker_id="w-1")
    assert second.started_at == first.started_at and second.seen_at >= first.seen_at

    def down(**_: Any) -> None:
        raise DatabaseError("the database is unreachable")

    monkeypatch.setattr("safeguarding.background.workers.worker_beat", down)
    heartbeat.beat_once()  # logged; the next beat tries again


def _worker(worker_id: str) -> subprocess.Popen[str]:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safeguarding.settings_test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "TASK_BACKEND": DATABASE_BACKEND,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0",
            f"--worker-id={worker_id}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_run_each_task_exactly_once(settings: Any, tmp_path: Path) -> None:
    use_database_tasks(settings)
    notes = tmp_path / "notes"
    for number in range(40):
        note_run.enqueue(path=str(notes), number=number)
    workers = [_worker("first"), _worker("second")]
    outputs = [worker.communicate(timeout=180)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    runs = Counter(int(line.split()[0]) for line in notes.read_text().splitlines())
    assert runs == Counter(range(40))  # every task, each once
    results = DBTaskResult.objects.all()
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(r.worker_ids) == 1 for r in results)
    assert set(TaskWorker.objects.values_list("worker_id", flat=True)) == {"first", "second"}

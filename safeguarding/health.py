"""The health page, `/health/`, for a load balancer and the operators' monitoring.

A probe must learn, without signing in, whether this process can do its work: reach the
database and the cache, write to the private file store, find every migration applied,
and see background work being picked up. The page answers 200 when every check passes and
503 when any fails, so the balancer stops sending people to a process that would fail
them (docs/deployment.md#health-checks).

The page is public, so it says only each check's name and "ok" or "unavailable": never an
exception's text, which can name a database host, a path or a DSN. Why a check failed is
in the log (django-health-check logs every failure with its exception).

django-health-check's own checks run in a thread of their own; the checks written here
read the database, so they run on the request's thread, with its connection and
transaction, as every other database read of the request does.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import uuid
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Case, F, Min, When
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from health_check.base import HealthCheck
from health_check.checks import Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class PrivateFiles(Storage):
    """Writes, reads back and deletes a file in `PRIVATE_FILES_ROOT`.

    That is the store the application writes (documents, caseload packs). Django's
    default storage is not used by the application and would write into the working
    directory, which a careful deployment keeps read-only.
    """

    @property
    def storage(self) -> FileSystemStorage:
        return FileSystemStorage(
            location=settings.PRIVATE_FILES_ROOT,
            file_permissions_mode=0o600,
            directory_permissions_mode=0o700,
        )

    def get_file_name(self) -> str:
        # At the top of the store, so no empty folder is left behind.
        return f".health-check-{uuid.uuid4().hex}"


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Unhealthy while a migration is not applied.

    A process whose code expects a table or column the database lacks fails page by page;
    better that the balancer keeps sending people to the previous one until `migrate` ran.
    """

    alias: str = DEFAULT_DB_ALIAS

    async def run(self) -> None:
        if await sync_to_async(self.unapplied)():
            raise ServiceUnavailable("Migrations are not all applied")

    def unapplied(self) -> int:
        try:
            executor = MigrationExecutor(connections[self.alias])
            return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        except DatabaseError as error:
            # Reported as the check failing (a warning), not as a crash of the page.
            raise ServiceUnavailable("Database unavailable") from error


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """Unhealthy when a task has waited to run for longer than `TASK_QUEUE_STALE_SECONDS`.

    Caseload packs and emails are made by `manage.py db_worker`; if no worker is running,
    or the workers cannot keep up, nothing says so until a DSL waits for a pack that never
    comes. A task is waiting from when it may run: when it was queued, or its `run_after`
    if it was deferred (a task deferred to later is not waiting yet).

    Only the database backend (django-tasks-db) keeps a queue this process can read: with
    any other task backend (the tests' immediate one, or RQ, Celery) the check passes, and
    that queue must be watched by its own tools.
    """

    alias: str = "default"

    async def run(self) -> None:
        waited = await sync_to_async(self.longest_wait)()
        limit = dt.timedelta(seconds=settings.TASK_QUEUE_STALE_SECONDS)
        if waited is not None and waited > limit:
            raise ServiceUnavailable(
                f"A task has waited {int(waited.total_seconds())} seconds to run"
            )

    def longest_wait(self) -> dt.timedelta | None:
        """How long the task waiting longest has waited; None if none is waiting."""
        if not isinstance(task_backends[self.alias], DatabaseBackend):
            return None
        ready_since = Case(
            When(run_after=get_date_max(), then=F("enqueued_at")),
            default=Greatest("enqueued_at", "run_after"),
        )
        try:
            oldest = (
                DBTaskResult.objects.ready()
                .filter(backend_name=self.alias)
                .aggregate(oldest=Min(ready_since))["oldest"]
            )
        except DatabaseError as error:
            raise ServiceUnavailable("Database unavailable") from error
        return None if oldest is None else timezone.now() - oldest


class HealthView(HealthCheckView):
    """django-health-check's view, answering 503 (not its 500) when a check fails, and in
    JSON naming only the checks: its own pages show each failure's text.

    Anyone may ask, signed in or not; the answer is never cached.
    """

    checks = (
        "health_check.checks.Database",
        "health_check.checks.Cache",
        PrivateFiles,
        Migrations,
        TaskQueue,
    )

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        healthy = not any(result.error for result in results)
        return JsonResponse(
            {
                "status": "ok" if healthy else "unavailable",
                "checks": {
                    type(result.check).__name__: "unavailable" if result.error else "ok"
                    for result in results
                },
            },
            status=200 if healthy else 503,
        )

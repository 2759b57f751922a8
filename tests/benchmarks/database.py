"""What the benchmarks share: a throwaway database to measure in, which database it is
(for the figures' heading), and a count of the SQL statements a step runs."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
    return connection.vendor


@contextmanager
def throwaway_database(prefix: str) -> Iterator[tuple[str, Path]]:
    """A database beside the one `DATABASE_URL` names, migrated, and a scratch folder;
    both gone at the end. On SQLite the database is a file in the folder, so commits
    reach the disk as they would in production. Yields the database's name and the
    folder."""
    creation = connection.creation
    original = settings.DATABASES["default"]["NAME"]
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        scratch = Path(folder)
        if connection.vendor == "sqlite":
            settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(
                scratch / "bench.sqlite3"
            )
        name = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            yield name, scratch
        finally:
            connection.close()
            creation.destroy_test_db(original, verbosity=0)


@dataclass
class QueryCount:
    """Counts the SQL statements run (`connection.execute_wrapper(counter)`), as
    `CaptureQueriesContext` would, but without its log's cap of 9,000 (a query a row
    would be miscounted on 10,000 rows)."""

    count: int = 0

    def __call__(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        self.count += 1
        return execute(sql, *args)

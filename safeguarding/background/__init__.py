"""Background work on Django's tasks API: what the product adds to django-tasks-db.

django-tasks-db queues tasks in the application's database and its `db_worker` command
runs them, each exactly once (a worker claims a task with `SELECT … FOR UPDATE SKIP
LOCKED` on PostgreSQL; SQLite takes one writer at a time). Two things a school needs it
does not do, and this package adds:

- `retry`: a task that fails for a passing reason (the database or mail server briefly
  gone) is queued again after a growing delay, a bounded number of times, and then its
  own record is marked failed with a reason for the person who asked;
- `workers`: each worker says it is alive every few seconds; a task left running by a
  worker that has gone silent (killed, out of memory, the machine restarted) is put back
  in the queue for another worker, instead of waiting for ever.

The project's `manage.py db_worker` (safeguarding/management/commands/db_worker.py) is
the library's command with the heartbeat added (docs/deployment.md#background-work).
"""

"""Packs made in the background (`incidents.packs.jobs`): in a thread once the row is
committed, and not before the transaction that queued it commits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from incidents.models import Export, ExportStatus
from incidents.packs import jobs as pack_jobs
from incidents.packs.services import pack_path, school_pack_create
from tests.incidents.packs.builders import simple_incident, span

pytestmark = pytest.mark.django_db

# --- In the background ---------------------------------------------------------------------


def pack_threads(export: Export) -> Iterator[threading.Thread]:
    name = pack_jobs.thread_name(export.id)
    return (thread for thread in threading.enumerate() if thread.name == name)


@pytest.mark.django_db(transaction=True)
def test_a_pack_is_made_in_a_thread_after_the_commit(people: Any, settings: Any) -> None:
    """The web path with `PACKS_IN_BACKGROUND` on: the thread starts once the row is
    committed (here at once: no transaction is open), reads it on its own connection,
    and makes the pack."""
    settings.PACKS_IN_BACKGROUND = True
    simple_incident(people)
    date_from, date_to = span()
    export = school_pack_create(
        actor=people.dsl, school=people.school, date_from=date_from, date_to=date_to, redacted=False
    )
    pack_jobs.pack_start(export)
    threads = list(pack_threads(export))
    assert len(threads) == 1 and threads[0].daemon
    threads[0].join(timeout=120)
    assert not threads[0].is_alive()
    export.refresh_from_db()
    assert (export.status, export.done, export.total) == (ExportStatus.READY, 1, 1)
    assert pack_path(export).read_bytes().startswith(b"%PDF-")


def test_a_pack_queued_inside_a_transaction_waits_for_the_commit(
    named: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PACKS_IN_BACKGROUND = True
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.dsl, school=named.school, date_from=date_from, date_to=date_to, redacted=False
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pack_jobs.pack_start(export)
    assert len(callbacks) == 1
    assert list(pack_threads(export)) == []

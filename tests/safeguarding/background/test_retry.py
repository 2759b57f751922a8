"""Trying again (`safeguarding.background.retry`): a doubling delay, a bounded number."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safeguarding.background.retry import MAX_TRIES, retry_delay, retry_later
from tests.background import use_database_tasks
from tests.safeguarding.background.tasks import note_run


def test_the_delay_doubles() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]


@pytest.mark.django_db
def test_a_try_is_queued_again_after_the_delay_until_the_tries_run_out(settings: Any) -> None:
    use_database_tasks(settings)
    before = timezone.now()
    assert retry_later(note_run, tried=2, path="/dev/null", number=1)
    [again] = DBTaskResult.objects.all()
    assert again.args_kwargs["kwargs"] == {"path": "/dev/null", "number": 1, "tried": 3}
    assert before + dt.timedelta(seconds=60) <= again.run_after <= timezone.now() + retry_delay(2)
    assert not retry_later(note_run, tried=MAX_TRIES, path="/dev/null", number=1)
    assert DBTaskResult.objects.count() == 1

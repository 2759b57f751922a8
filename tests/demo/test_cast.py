"""The demo's clock (`demo.cast.story_time`, `telling`, `dated`): each step of a case at
its moment, in order, never in the future, and the real time back when the case ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from demo.cast import SchoolCast, dated, story_time, telling


@pytest.fixture
def cast() -> SchoolCast:
    now = timezone.now()
    return SchoolCast(
        school=None,  # the clock needs neither the school nor its people
        dsl=None,
        deputy=None,
        head=None,
        staff=None,
        pupils={},
        moments={"story": now - dt.timedelta(days=3), "other": now - dt.timedelta(days=2)},
        now=now,
    )


def test_a_step_is_done_at_its_moment_and_the_case_ends_at_the_real_time(cast):
    came_to_light = cast.moments["story"]
    with telling(cast):
        assert story_time(cast, "story") == came_to_light
        assert came_to_light <= timezone.now() < came_to_light + dt.timedelta(seconds=5)
        later = story_time(cast, "story", days=1, hours=2)
        assert later == came_to_light + dt.timedelta(days=1, hours=2)
        assert later <= timezone.now() < later + dt.timedelta(seconds=5)
    assert timezone.now() >= cast.now


def test_the_clock_lands_on_the_moment_to_the_microsecond(cast):
    """Never a microsecond early, which would make the step's own time "in the future"."""
    with telling(cast):
        for minutes in range(1, 200):
            moment = story_time(cast, "story", hours=minutes / 7 + 1e-6 * minutes)
            assert timezone.now() >= moment


def test_a_step_at_the_same_moment_starts_where_the_last_ended(cast):
    with telling(cast):
        story_time(cast, "story", hours=1)
        first_done = timezone.now()
        story_time(cast, "story", hours=1)
        assert timezone.now() >= first_done


def test_a_step_before_the_last_is_refused(cast):
    with telling(cast):
        story_time(cast, "story", hours=2)
        with pytest.raises(ValueError, match="goes back"):
            story_time(cast, "story", hours=1)


def test_one_case_tells_one_story(cast):
    with telling(cast):
        story_time(cast, "story")
        with pytest.raises(ValueError, match="still being told"):
            story_time(cast, "other")


def test_the_clock_moves_only_while_telling_a_case(cast):
    with pytest.raises(RuntimeError, match="telling"):
        story_time(cast, "story")


def fail_in_the_past(cast):
    with telling(cast):
        story_time(cast, "story")
        raise LookupError("the case failed")


def test_the_real_time_comes_back_when_a_case_fails(cast):
    with pytest.raises(LookupError):
        fail_in_the_past(cast)
    assert cast.story is None
    assert timezone.now() >= cast.now


def test_a_step_is_never_later_than_a_minute_before_the_seed(cast):
    with telling(cast):
        moment = story_time(cast, "story", days=10)
    assert moment == cast.now - dt.timedelta(minutes=1)


def test_dated_refuses_the_future():
    now = timezone.now()
    with pytest.raises(ValueError, match="future"), dated(now, before=now):
        pass
    moment = timezone.now() - dt.timedelta(days=1)
    with dated(moment, before=timezone.now()):
        assert moment <= timezone.now() < moment + dt.timedelta(seconds=5)

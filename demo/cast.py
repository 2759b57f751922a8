"""What every demo case works with: the `SchoolCast` and the helpers the cases share.

A case module (`demo.cases.*`) receives the `SchoolCast` of its school (the school, its
DSL, deputy and headteacher, its named pupils and the moment each incident came to
light) and records its incident through the services, with these helpers for the steps
most cases repeat. This module sits below both the cases and `demo.seeder`, so the seeder
can import the list of cases without an import cycle.

Each step of a case is done at its moment in the story (issue 17 item 6). Before each
step a case moves the clock there with `story_time`, and the clock (time-machine) stays
at that moment, ticking, until the next step moves it on; `telling`, around each case,
brings it back to the real time when the case ends. So whatever a step writes carries
its moment: `created_at`, `recorded_at`, `assessed_at`, `signed_at` and the history
rows' `history_date`. Without it the backdated times (`came_to_light_at`, `decided_at`,
…) would sit beside rows dated when the seed ran, and the incident page's chronology
would read out of order, the people added and the triage worked out weeks after the
decisions they led to. Because the clock ticks, two rows written in one step keep the
order they were written in; a step at the same moment as the one before starts where
that one ended. Every moment is before the seed runs, so a model's "this date is in the
future" check holds against the clock as the step sees it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import time_machine
from django.utils import timezone

from incidents.models import (
    Incident,
    Involvement,
    ParentContactPurpose,
    PersonKind,
    SignOffAction,
)
from incidents.services import involvement_add, parent_contact_record
from incidents.signoff.items import sign_off_items
from incidents.signoff.services import sign_off_record
from safeguarding.audit import save_audited
from safeguarding.models import Pupil, School, User


@dataclass
class SchoolCast:
    """A seeded school and the people its incidents are about and recorded by."""

    school: School
    dsl: User
    deputy: User
    head: User
    #: The member of staff who reports concerns in the stories (docs/concerns.md).
    staff: User
    pupils: dict[str, Pupil]
    moments: dict[str, dt.datetime]
    #: When the seed runs: every step of every story happens before it.
    now: dt.datetime
    #: The case being told, while `telling` it.
    story: _Story | None = None

    @property
    def meeting(self) -> str:
        return (
            f"{self.dsl.full_name} (DSL), {self.deputy.full_name} (deputy DSL), "
            f"{self.head.full_name} (headteacher)"
        )


def at(cast: SchoolCast, incident: str, *, days: int = 0, hours: float = 0) -> dt.datetime:
    """A time after the incident came to light; never later than a minute before the seed
    runs (`cast.now`, not the clock, which `story_time` has moved back)."""
    moment = cast.moments[incident] + dt.timedelta(days=days, hours=hours)
    return min(moment, cast.now - dt.timedelta(minutes=1))


@contextmanager
def dated(moment: dt.datetime, *, before: dt.datetime) -> Iterator[None]:
    """Run the block as if the time were `moment`, the clock ticking on from there
    (the seeder's setup, before any story)."""
    _refuse_future(moment, min(before, timezone.now()))
    with time_machine.travel(_destination(moment), tick=True):
        yield


def _destination(moment: dt.datetime) -> float:
    """`moment` as time-machine's destination: a timestamp, so time-machine leaves the
    process's time zone (TZ) alone, as it would not for an aware datetime. A float
    holds a timestamp only to a fraction of a microsecond either way, and a clock landing
    one microsecond early would make a step's own `decided_at` "in the future"; half a
    microsecond more lands it within `moment`'s microsecond, never before."""
    return moment.timestamp() + 0.5e-6


def _refuse_future(moment: dt.datetime, before: dt.datetime) -> None:
    """The demo never writes a row dated at or after `before`: the time the seed runs,
    or the clock as it stood before any travel (in tests, a clock of their own)."""
    if moment >= before:
        raise ValueError(f"A demo step at {moment:%Y-%m-%d %H:%M} would be in the future.")


@dataclass
class _Story:
    """The case being told: its travel once the first step started it, the incident's
    key and the moment of its last step."""

    travel: time_machine.travel | None = None
    traveller: time_machine.Traveller | None = None
    incident: str = ""
    moment: dt.datetime | None = None


@contextmanager
def telling(cast: SchoolCast) -> Iterator[None]:
    """Tell one case: the clock its `story_time` calls move stays moved until the case
    ends, then goes back to the real time, also when the case fails."""
    if cast.story is not None:
        raise RuntimeError("One case is told at a time.")
    cast.story = _Story()
    try:
        yield
    finally:
        if cast.story.travel is not None:
            cast.story.travel.stop()
        cast.story = None


def story_time(cast: SchoolCast, incident: str, *, days: int = 0, hours: float = 0) -> dt.datetime:
    """Move the clock to the next step of the incident's story, `at` that moment, and
    return it for the times the step records (`decided_at=…`).

    The steps of a story are written in the order they happen: a step placed before the
    previous one is refused, since its rows would be dated before rows written ahead of
    it. A step at the same moment as the previous one starts where that one ended. Only
    inside `telling` (the seeder tells each case so), which brings the clock back.
    """
    story = cast.story
    if story is None:
        raise RuntimeError("story_time moves the clock only while `telling` a case.")
    moment = at(cast, incident, days=days, hours=hours)
    if story.traveller is None or story.moment is None:
        _refuse_future(moment, min(cast.now, timezone.now()))
        story.travel = time_machine.travel(_destination(moment), tick=True)
        story.traveller = story.travel.start()
    else:
        if incident != story.incident:
            raise ValueError(f"The {story.incident!r} story is still being told.")
        if moment < story.moment:
            raise ValueError(
                f"The {incident!r} story goes back from {story.moment:%Y-%m-%d %H:%M} to "
                f"{moment:%Y-%m-%d %H:%M}: write its steps in the order they happen."
            )
        start = max(moment, timezone.now())  # where the last step ended, at the same moment
        _refuse_future(start, cast.now)
        story.traveller.move_to(_destination(start))
    story.incident, story.moment = incident, moment
    return moment


def set_status(incident: Incident, status: str, actor: User, **fields: Any) -> None:
    """Move the incident to `status`, setting any other `fields` with it, as `actor`."""
    incident.status = status
    for name, value in fields.items():
        setattr(incident, name, value)
    save_audited(incident, actor=actor)


def signed_off(cast: SchoolCast, incident: Incident, statement: str) -> None:
    """The headteacher signs off every item of the incident, as the record stands."""
    for item in sign_off_items([incident]):
        sign_off_record(
            actor=cast.head,
            incident=incident,
            kind=item.kind,
            subject_id=item.subject_id,
            action=SignOffAction.SIGNED,
            statement=statement,
            reviewed_digest=item.digest,
        )


def pupil(
    cast: SchoolCast, incident: Incident, key: str, roles: list[str], **flags: Any
) -> Involvement:
    """Add the named pupil `key` of the school to the incident, in `roles`, as the DSL."""
    return involvement_add(
        actor=cast.dsl,
        incident=incident,
        kind=PersonKind.PUPIL,
        pupil=cast.pupils[key],
        roles=roles,
        **flags,
    )


def informed(
    cast: SchoolCast,
    incident: Incident,
    involvement: Involvement,
    *,
    name: str,
    relationship: str,
    method: str,
    at: dt.datetime,
    advice: str,
    actor: User | None = None,
    purpose: str = ParentContactPurpose.INCIDENT,
) -> None:
    """Record that a parent of `involvement` was informed (by the DSL unless `actor`)."""
    parent_contact_record(
        actor=actor or cast.dsl,
        incident=incident,
        involvement=involvement,
        informed=True,
        purpose=purpose,
        contact_name=name,
        relationship=relationship,
        method=method,
        contacted_at=at,
        advice_given=advice,
    )


def day(cast: SchoolCast, incident: str, days: int = 0) -> dt.date:
    """The local date the incident came to light, moved by `days`."""
    return timezone.localdate(cast.moments[incident]) + dt.timedelta(days=days)


#: The Spanish school's narratives say why no phone was searched (002 §5.2).
NO_SEARCH = (
    "Staff did not look at or search any phone: in Spain teachers may not search or view "
    "imagery on a device, so parents are called instead (002 §5.2)."
)

"""What every demo case works with: the `SchoolCast` and the helpers the cases share.

A case module (`demo.cases.*`) receives the `SchoolCast` of its school (the school, its
DSL, deputy and headteacher, its named pupils and the moment each incident came to
light) and records its incident through the services, with these helpers for the steps
most cases repeat. This module sits below both the cases and `demo.seeder`, so the seeder
can import the list of cases without an import cycle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

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
    pupils: dict[str, Pupil]
    moments: dict[str, dt.datetime]

    @property
    def meeting(self) -> str:
        return (
            f"{self.dsl.full_name} (DSL), {self.deputy.full_name} (deputy DSL), "
            f"{self.head.full_name} (headteacher)"
        )


def at(cast: SchoolCast, incident: str, *, days: int = 0, hours: float = 0) -> dt.datetime:
    """A time after the incident came to light; never later than a minute ago."""
    moment = cast.moments[incident] + dt.timedelta(days=days, hours=hours)
    return min(moment, timezone.now() - dt.timedelta(minutes=1))


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

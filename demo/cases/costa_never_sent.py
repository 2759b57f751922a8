"""Costa del Sol: a Year 8 pupil's photo made but never sent, found by a parent; closed.

The simplest closed case: one pupil, one parent meeting, one decision to manage it in
school, closed without a sign-off.
"""

from __future__ import annotations

from demo.cast import SchoolCast, day, informed, pupil, set_status, story_time
from incidents.models import (
    CameToLight,
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    IncidentStatus,
)
from incidents.services import decision_record, incident_create


def costa_never_sent(cast: SchoolCast) -> None:
    """A Year 8 pupil's photo made but never sent, found by a parent: closed."""
    key = "never_sent"
    came_to_light = story_time(cast, key)
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.PARENT,
        came_to_light_at=came_to_light,
        narrative=(
            "Mr Moreno emailed: checking the storage on the family tablet he found a photo "
            "Isabella had taken of herself in the bathroom. She told her parents she took it "
            "after seeing videos on TikTok and had not sent it to anyone; nobody had asked "
            "her for it. Her parents deleted it. Spoken to in school next day with her mother "
            "present: account consistent; her parents found no messages or contacts of "
            "concern."
        ),
        imagery_created_on=day(cast, key, -3),
        imagery_description=(
            "One photo, described by Isabella's father as Isabella in her underwear taken in "
            "a mirror. Deleted by her parents; not viewed by staff."
        ),
        never_sent=True,
        platforms="Family tablet (not shared)",
    )
    isabella = pupil(cast, incident, "isabella", ["pictured", "creator"])
    met = story_time(cast, key, days=1, hours=-9)
    informed(
        cast,
        incident,
        isabella,
        name="Laura Baker",
        relationship="mother",
        method=ContactMethod.IN_PERSON,
        at=met,
        advice=(
            "Met with Isabella and her mother. Advised on parental controls and talking about "
            "online pressure at home; gave the parents' leaflet (002 Annex B)."
        ),
    )
    initial_review = story_time(cast, key, days=1, hours=-6)
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        decided_at=initial_review,
        attendees=cast.meeting,
        rationale=(
            "None of the 002 §3.3 criteria applies: the photo was made but never sent, no one "
            "else is involved, there is no coercion, and nothing extreme or sexual acts is "
            "described. Isabella is 12 (experimental, 'other'): Brook Traffic Light tool used, "
            "amber. Managed in school: online-safety work with her form tutor, check-ins for "
            "half a term, parents supported at home."
        ),
    )
    closed = story_time(cast, key, days=30)
    set_status(
        incident,
        IncidentStatus.CLOSED,
        cast.dsl,
        closed_at=closed,
        outcome_summary=(
            "Managed in school. Image deleted by parents before school was told; never sent. "
            "Online-safety sessions completed; no further concerns from home or school at "
            "the half-term check. Closed."
        ),
    )

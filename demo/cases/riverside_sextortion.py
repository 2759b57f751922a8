"""Riverside case (c): an unknown account demands money from a Year 9 pupil; being logged.

It reaches the DSL as a concern: Ethan tells Mr Pickering after period 5, who reports
it from his phone (docs/concerns.md); the DSL acknowledges it and opens the incident
from it, so the concern is the first entry of the incident's chronology. Left in the
default status, so the demo has an incident still being written up: a blackmailed pupil
and an unknown online account among the people involved.
"""

from __future__ import annotations

import datetime as dt

from demo.cast import SchoolCast, day, pupil, story_time
from incidents.concerns.services import concern_acknowledge, concern_open_incident, concern_report
from incidents.models import PersonKind
from incidents.services import incident_update, involvement_add


def riverside_sextortion(cast: SchoolCast) -> None:
    """(c) An unknown account demands money from a Year 9 pupil: still being logged."""
    key = "sextortion"
    told = story_time(cast, key)
    concern = concern_report(
        actor=cast.staff,
        school=cast.school,
        pupils=[cast.pupils["ethan"]],
        unnamed_pupils="",
        happened_at=told - dt.timedelta(minutes=5),
        location="Room 14, after period 5",
        account=(
            "Ethan stayed behind after period 5 and said he needed help. Someone on Instagram "
            "he thought was a girl his age asked him for a photo last night and he sent one. "
            "Now they are saying they will send it to all his followers unless he pays £150 "
            "in gift cards."
        ),
        child_words=(
            "They've got a screenshot of everyone I follow. I haven't paid. Please don't "
            "tell my mum yet."
        ),
        action_taken=(
            "Told him not to pay, reply, block or delete anything, and that I would tell the "
            "DSL now. He is waiting in Room 14 with me. I have not looked at his phone."
        ),
    )
    story_time(cast, key, hours=0.15)
    concern_acknowledge(actor=cast.dsl, concern=concern)
    incident = concern_open_incident(actor=cast.dsl, concern=concern, roles={})
    incident = incident_update(
        actor=cast.dsl,
        incident=incident,
        expected_version=incident.version,
        narrative=(
            "Ethan stayed behind after period 5 and told Mr Pickering he needed help. Since "
            "the weekend he has been messaging an Instagram account that said it was a "
            "15-year-old girl from Harrogate. Last night the account asked him for a photo and "
            "he sent one. Minutes later it sent him a screenshot of his followers list and "
            "demanded £150 in gift cards, or it would send the photo to everyone on the list. "
            "He has not paid. He is very frightened. Advised him not to pay, not to reply, not "
            "to block or delete anything, and not to send anything else. Still gathering "
            "details; police to be called tonight."
        ),
        imagery_created_on=day(cast, key, -1),
        imagery_description=(
            "One image, described by Ethan as a photo of himself naked from the waist down, "
            "taken in the bathroom at home. Not viewed by staff."
        ),
        financial_demand=True,
        platforms="Instagram",
    )
    pupil(cast, incident, "ethan", ["pictured", "creator", "sender"], blackmailed=True)
    involvement_add(
        actor=cast.dsl,
        incident=incident,
        kind=PersonKind.UNKNOWN,
        roles=["requester", "recipient", "possessor"],
        description=(
            "Instagram account presenting as 'Ellie', a 15-year-old girl from Harrogate; "
            "identity and age unknown"
        ),
    )
    # Left in the default status, "being logged".

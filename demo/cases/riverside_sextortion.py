"""Riverside case (c): an unknown account demands money from a Year 9 pupil; being logged.

Left in the default status, so the demo has an incident still being written up: a
blackmailed pupil and an unknown online account among the people involved.
"""

from __future__ import annotations

from demo.cast import SchoolCast, day, pupil, story_time
from incidents.models import CameToLight, PersonKind
from incidents.services import incident_create, involvement_add


def riverside_sextortion(cast: SchoolCast) -> None:
    """(c) An unknown account demands money from a Year 9 pupil: still being logged."""
    key = "sextortion"
    came_to_light = story_time(cast, key)
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.DISCLOSURE_PUPIL,
        came_to_light_at=came_to_light,
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

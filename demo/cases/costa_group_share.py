"""Costa del Sol: a Year 9 pupil's photo posted to a class WhatsApp group; awaiting review.

An image shared widely and maliciously, with the sharer and a group member among the
people involved, left awaiting its initial review meeting.
"""

from __future__ import annotations

from demo.cast import NO_SEARCH, SchoolCast, day, informed, pupil, set_status, story_time
from incidents.models import CameToLight, ContactMethod, IncidentStatus
from incidents.services import incident_create


def costa_group_share(cast: SchoolCast) -> None:
    """A Year 9 pupil's photo posted to a class WhatsApp group: awaiting initial review."""
    key = "group_share"
    came_to_light = story_time(cast, key)
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.DISCLOSURE_FRIEND,
        came_to_light_at=came_to_light,
        narrative=(
            "At lunch several Year 9 pupils told Ms Fernández that a photo of Martina was "
            "going round. Martina then told me she sent Hugo a photo of herself in her "
            "underwear on Snapchat last week. Hugo screenshotted it and, after they fell out, "
            "posted it last night to a WhatsApp group of about 25 Year 9 pupils with an "
            "unkind comment. Jack is in the group; he says he saw it and that it is still in "
            "the chat. " + NO_SEARCH + " Hugo's and Jack's parents to be called this "
            "afternoon; initial review meeting tomorrow at 8:30."
        ),
        imagery_created_on=day(cast, key, -6),
        imagery_description=(
            "One photo, described by Martina as showing her in her underwear, taken in her "
            "bedroom; her face is visible. Not viewed by staff."
        ),
        consensual=False,
        malicious=True,
        shared_widely=True,
        platforms="Snapchat (screenshot), WhatsApp group",
    )
    martina = pupil(cast, incident, "martina", ["pictured", "creator", "sender"])
    pupil(cast, incident, "hugo", ["recipient", "sharer", "possessor"])
    pupil(cast, incident, "jack", ["recipient", "possessor"])
    set_status(incident, IncidentStatus.AWAITING_REVIEW, cast.dsl)
    told = story_time(cast, key, hours=2)
    informed(
        cast,
        incident,
        martina,
        name="Javier López Martín",
        relationship="father",
        method=ContactMethod.PHONE,
        at=told,
        actor=cast.deputy,
        advice=(
            "Told him what has happened and that school is acting today. Asked him not to "
            "look at or forward the image. Invited both parents in tomorrow at 8:30."
        ),
    )

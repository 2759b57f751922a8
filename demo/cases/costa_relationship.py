"""Costa del Sol: two Year 12 pupils in a relationship swap images; managed in school.

The Spanish school's version of the ordinary path: staff may not search devices in
Spain, so the parent contacts record that the families were called instead.
"""

from __future__ import annotations

from demo.cast import NO_SEARCH, SchoolCast, day, informed, pupil, set_status, story_time
from incidents.models import (
    CameToLight,
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    IncidentStatus,
    ParentContactPurpose,
)
from incidents.services import decision_record, incident_create


def costa_relationship(cast: SchoolCast) -> None:
    """Two Year 12 pupils in a relationship exchange images: managed in school."""
    key = "relationship"
    came_to_light = story_time(cast, key)
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.DISCLOSURE_PUPIL,
        came_to_light_at=came_to_light,
        narrative=(
            "Alejandro asked to see me after tutor time. He and Sophie (both Year 12, together "
            "for several months) swapped photos of themselves on Snapchat at the weekend. "
            "Snapchat saved Sophie's photo to his Memories and he is worried because his "
            "younger brother uses the family tablet, which shares the account. Sophie, spoken "
            "to separately by Mr Morales, confirmed she sent the photo willingly and has not "
            "shown Alejandro's to anyone. As far as both know nobody else has seen either "
            "image. " + NO_SEARCH
        ),
        imagery_created_on=day(cast, key, -2),
        imagery_description=(
            "Two images. Sophie described hers as a topless photo taken in her bedroom; "
            "Alejandro described his as a photo of himself in his underwear. Not viewed by "
            "staff."
        ),
        relationship=True,
        platforms="Snapchat",
    )
    sophie = pupil(cast, incident, "sophie", ["pictured", "creator", "sender", "recipient"])
    alejandro = pupil(
        cast, incident, "alejandro", ["pictured", "creator", "sender", "recipient", "possessor"]
    )
    initial_review = story_time(cast, key, hours=5)
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        decided_at=initial_review,
        attendees=cast.meeting,
        rationale=(
            "None of the six immediate-referral criteria in 002 §3.3 applies: both pupils are "
            "17, the exchange was consensual within a relationship, nothing extreme or sexual "
            "acts described, no adult, no coercion, no known vulnerabilities. Managed in "
            "school. Staff may not search devices here (002 §5.2), so both families were "
            "called and asked to oversee deletion at home, including Snapchat Memories and the "
            "family tablet; the pupils will confirm deletion to the DSL. Review in four weeks."
        ),
    )
    set_status(incident, IncidentStatus.MANAGED_IN_SCHOOL, cast.dsl)
    told = story_time(cast, key, hours=6)
    informed(
        cast,
        incident,
        sophie,
        name="Rachel Clarke",
        relationship="mother",
        method=ContactMethod.PHONE,
        at=told,
        advice=(
            "Explained what happened and that school is managing it without a referral. "
            "Asked her to oversee deletion with Sophie and not to look at the image. Sent the "
            "parents' leaflet (002 Annex B)."
        ),
        purpose=ParentContactPurpose.NO_DEVICE_SEARCH,
    )
    told = story_time(cast, key, hours=6.5)
    informed(
        cast,
        incident,
        alejandro,
        name="Carmen Navarro Gil",
        relationship="mother",
        method=ContactMethod.PHONE,
        at=told,
        actor=cast.deputy,
        advice=(
            "Call in Spanish. Same explanation; asked her to oversee deletion from "
            "Alejandro's phone, his Snapchat Memories and the family tablet, without looking "
            "at the image. Sent the parents' leaflet in Spanish."
        ),
        purpose=ParentContactPurpose.NO_DEVICE_SEARCH,
    )

"""Riverside case (a): two Year 11 pupils in a relationship swap images; managed in school.

The ordinary path through the product: an initial review that finds none of the
immediate-referral criteria, both families informed (one by the deputy DSL), an
interview record, and deletion requested from and confirmed by each pupil.
"""

from __future__ import annotations

import datetime as dt

from demo.cast import SchoolCast, day, informed, pupil, set_status, story_time
from incidents.devices.services import deletion_confirm, deletion_request_record
from incidents.interviews.services import interview_record
from incidents.models import (
    CameToLight,
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    IncidentStatus,
)
from incidents.services import decision_record, incident_create


def riverside_relationship(cast: SchoolCast) -> None:
    """(a) Two Year 11 pupils in a relationship exchange images: managed in school."""
    key = "relationship"
    came_to_light = story_time(cast, key)
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.DISCLOSURE_PUPIL,
        came_to_light_at=came_to_light,
        narrative=(
            "Chloe asked to speak to me at break. About two weeks ago she and her boyfriend "
            "Reece (Year 11; they have been together for several months) swapped photos on "
            "Snapchat. She is now worried because a friend told her photos 'never really "
            "disappear', and she does not want anyone else to see hers. She said it was not "
            "pressured: they talked about it and both agreed. Mr Okafor spoke to Reece "
            "separately at the end of break. His account matches Chloe's. He saved her photo "
            "to his camera roll and says he has not shown it or sent it to anyone. Both were "
            "told not to forward anything and that staff will not look at the images."
        ),
        imagery_created_on=day(cast, key, -14),
        imagery_description=(
            "Two images, one from each pupil. Described by Chloe as a topless photo of "
            "herself taken in her bedroom mirror; described by Reece as a photo of himself in "
            "his boxer shorts. Not viewed by staff."
        ),
        relationship=True,
        consensual=True,
        platforms="Snapchat",
    )
    chloe = pupil(cast, incident, "chloe", ["pictured", "creator", "sender", "recipient"])
    reece = pupil(
        cast, incident, "reece", ["pictured", "creator", "sender", "recipient", "possessor"]
    )
    talked = story_time(cast, key, hours=5 / 60)  # 10:55, as the record says
    interview_record(
        actor=cast.dsl,
        incident=incident,
        involvement=chloe,
        held_at=talked,
        conducted_by=cast.dsl,
        others_present="",
        child_told_of_record=True,
        record=(
            "10:55, DSL's office, Chloe and Mrs Whitaker. Chloe said she and Reece agreed to "
            "swap photos two weeks ago; nobody pressured her. She does not know of anyone else "
            "who has seen hers. Told her a record of our talk is kept and that staff will not "
            "look at the photo. She agreed to delete Reece's photo and check her backups."
        ),
    )
    initial_review = story_time(cast, key, days=1, hours=-1.5)
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        decided_at=initial_review,
        attendees=cast.meeting,
        rationale=(
            "None of the six immediate-referral criteria in 002 §3.3 applies: no adult is "
            "involved; there is no sign of coercion or blackmail; nothing described suggests "
            "sexual acts or extreme content; neither pupil is known to social care or "
            "identified as vulnerable; both are 16; nothing suggests either is at risk of "
            "harm. The images were exchanged by agreement within an established relationship "
            "and have not gone further (experimental, romantic). We are confident the risks "
            "can be managed in school: both pupils to delete the images, including cloud "
            "backups, and confirm to the DSL by Friday (002 §5.2); both sets of parents "
            "informed; follow-up with their head of year offered. Review in four weeks. "
            "Headteacher to sign off the decision not to refer (002 §7.0)."
        ),
    )
    set_status(incident, IncidentStatus.MANAGED_IN_SCHOOL, cast.dsl)
    told = story_time(cast, key, days=1, hours=2.5)
    informed(
        cast,
        incident,
        chloe,
        name="Karen Hirst",
        relationship="mother",
        method=ContactMethod.PHONE,
        at=told,
        advice=(
            "Explained what Chloe told us and that school is managing this without a "
            "referral. Advised her to talk to Chloe calmly, not to look at or ask to see the "
            "image, and to help her check it is deleted from any cloud backup. Sent the "
            "parents' leaflet (002 Annex B) by email."
        ),
    )
    deadline = cast.moments[key] + dt.timedelta(days=4)
    asked = story_time(cast, key, days=1, hours=3)
    requests = {
        person: deletion_request_record(
            actor=cast.dsl,
            incident=incident,
            involvement=person,
            requested_at=asked,
            deadline=deadline,
            where="Phone camera roll, Snapchat Memories and any cloud backup.",
            consequences_explained=True,
        )
        for person in (chloe, reece)
    }
    told = story_time(cast, key, days=1, hours=5)
    informed(
        cast,
        incident,
        reece,
        name="Mark Ackroyd",
        relationship="father",
        method=ContactMethod.IN_PERSON,
        at=told,
        actor=cast.deputy,
        advice=(
            "Mr Ackroyd came in at the end of the day. Same explanation and advice as for "
            "Chloe's mother; he will sit with Reece while he deletes the photo from his camera "
            "roll and his Google Photos backup."
        ),
    )
    for person, confirmed_days, how in (
        (chloe, 2, "Showed the DSL her camera roll, recently deleted folder and iCloud."),
        (reece, 3, "His father confirmed by phone that they deleted it together, backups too."),
    ):
        confirmed = story_time(cast, key, days=confirmed_days)
        deletion_confirm(
            actor=cast.dsl,
            deletion=requests[person],
            expected_version=requests[person].version,
            confirmed_at=confirmed,
            confirmation=how,
        )

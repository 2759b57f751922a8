"""Riverside case (e): an image shared on without consent; managed in school, then closed.

The whole life of a case: a decision against the triage result with its reason,
three families informed, a six-week review, closure with an outcome summary, and the
headteacher's sign-off of every item.
"""

from __future__ import annotations

from demo.cast import SchoolCast, day, informed, pupil, set_status, signed_off, story_time
from incidents.models import (
    CameToLight,
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    IncidentStatus,
)
from incidents.services import decision_record, incident_create


def riverside_closed(cast: SchoolCast) -> None:
    """(e) An image shared on without consent, managed in school, reviewed and closed."""
    key = "closed"
    came_to_light = story_time(cast, key)
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.PARENT,
        came_to_light_at=came_to_light,
        narrative=(
            "Grace's mother phoned after school: Grace came home in tears because a photo she "
            "sent Harvey at the weekend has been seen by another boy in their year. Next "
            "morning Grace told me she sent Harvey a photo of herself in her bra after they "
            "had been messaging for a few weeks. Harvey (SEND: autism, EHCP) said he sent it "
            "on to Mohammed 'as a joke' because Mohammed did not believe Grace liked him. "
            "Mohammed confirmed he received it, said he had not sent it on and agreed to "
            "delete it. Pupils and parents know of no wider sharing."
        ),
        imagery_created_on=day(cast, key, -4),
        imagery_description=(
            "One photo, described by Grace as a picture of herself in her bra taken in her "
            "bedroom; her face is visible. Not viewed by staff."
        ),
        consensual=False,
        platforms="Snapchat (screenshot), WhatsApp",
    )
    grace = pupil(cast, incident, "grace", ["pictured", "creator", "sender"])
    harvey = pupil(cast, incident, "harvey", ["recipient", "sharer", "possessor"])
    mohammed = pupil(cast, incident, "mohammed", ["recipient", "possessor"])
    initial_review = story_time(cast, key, days=1, hours=-6)
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        decided_at=initial_review,
        attendees=cast.meeting + ", Ms Ward (SENCo)",
        rationale=(
            "None of the six immediate-referral criteria in 002 §3.3 applies. All three "
            "pupils to delete the image and any copies and confirm in writing by Friday (002 "
            "§5.2). Harvey: restorative conversation and SENCo-led sessions on consent and "
            "online sharing. Grace: weekly check-ins with her head of year; Report Remove "
            "explained in case the image appears online. Review in six weeks."
        ),
        against_triage_reason=(
            "The image was shared on without Grace's consent, an aggravating factor. It went "
            "to one pupil only, and Harvey's share was thoughtless rather than malicious; his "
            "autism affects how he understands consequences. Grace and her mother asked that "
            "school deal with it. Agreed with the headteacher."
        ),
    )
    parents = [
        (grace, "Joanne Holroyd", "mother", ContactMethod.IN_PERSON),
        (harvey, "Steven Dean", "father", ContactMethod.PHONE),
        (mohammed, "Nasreen Iqbal", "mother", ContactMethod.PHONE),
    ]
    for hours, (involvement, name, relationship, method) in enumerate(parents, start=1):
        told = story_time(cast, key, days=1, hours=hours - 4)
        informed(
            cast,
            incident,
            involvement,
            name=name,
            relationship=relationship,
            method=method,
            at=told,
            advice=(
                "Explained what happened, that school is managing it without a referral, and "
                "the deletion deadline. Asked them to check deletion with their child and not "
                "to look at the image. Sent the parents' leaflet (002 Annex B)."
            ),
        )
    six_week_review = story_time(cast, key, days=43, hours=-7)
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        decided_at=six_week_review,
        attendees=f"{cast.dsl.full_name} (DSL), {cast.head.full_name} (headteacher)",
        rationale=(
            "Six-week review: all three pupils confirmed deletion in writing before the "
            "deadline; no further sharing reported by pupils, parents or staff. Grace says she "
            "feels settled and her attendance is back to normal. Harvey completed four "
            "sessions with the SENCo. No further action; case closed with the headteacher's "
            "agreement."
        ),
    )
    closed = story_time(cast, key, days=43, hours=-6)
    set_status(
        incident,
        IncidentStatus.CLOSED,
        cast.dsl,
        closed_at=closed,
        outcome_summary=(
            "Managed in school without referral (initial review and six-week review). Both "
            "recipients deleted the image and confirmed in writing. Support for Grace from "
            "her head of year; consent and online-sharing work for Harvey with the SENCo. No "
            "further sharing found. Closed."
        ),
    )
    story_time(cast, key, days=43, hours=-5)  # the headteacher reads the record
    signed_off(
        cast,
        incident,
        "I was at both reviews and agree the case was rightly managed in school and closed "
        "(002 §7.0).",
    )

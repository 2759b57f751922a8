"""Riverside case (b): a video of two 12-year-olds showing a sexual act; police referral.

An immediate referral to the police that is acknowledged, a phone seized, switched off
and handed to the police, and each family told once the police allow it, with a
separate contact recording why the phone was taken.
"""

from __future__ import annotations

from demo.cast import SchoolCast, day, informed, pupil, set_status, story_time
from incidents.devices.services import seizure_police_update, seizure_record
from incidents.models import (
    CameToLight,
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    IncidentStatus,
    ParentContactPurpose,
)
from incidents.services import decision_record, incident_create
from referrals.flow.services import referral_acknowledge, referral_record
from referrals.models import Agency


def riverside_under_13(cast: SchoolCast) -> None:
    """(b) A video of two 12-year-olds showing a sexual act: referred to the police."""
    key = "under_13"
    came_to_light = story_time(cast, key)
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.DISCLOSURE_FRIEND,
        came_to_light_at=came_to_light,
        narrative=(
            "At registration Tyler (Year 8) told his form tutor, Miss Barker, that Kacper sent "
            "him a video on WhatsApp last night showing Kacper and Lily-Mae 'doing stuff'. "
            "Miss Barker did not look at Tyler's phone; she brought him straight to the "
            "safeguarding office and wrote down what he said. Tyler says the video was sent "
            "only to him and he has not sent it on. He felt uncomfortable and thinks he "
            "deleted the chat but is not sure. Kacper and Lily-Mae are both 12. Kacper, "
            "spoken to briefly by Mr Okafor, said Lily-Mae knew he was filming. Lily-Mae has "
            "not been asked about the detail, on police advice."
        ),
        imagery_created_on=day(cast, key, -1),
        imagery_description=(
            "One short video, described by Tyler as showing Kacper and Lily-Mae engaged in a "
            "sexual act in a bedroom. Not viewed by any member of staff; no phone has been "
            "searched."
        ),
        sexual_acts=True,
        consensual=False,
        platforms="WhatsApp",
    )
    kacper = pupil(cast, incident, "kacper", ["pictured", "creator", "sender"])
    lily_mae = pupil(cast, incident, "lily_mae", ["pictured"])
    tyler = pupil(cast, incident, "tyler", ["recipient", "possessor"])
    seized = story_time(cast, key, hours=0.5)
    phone = seizure_record(
        actor=cast.dsl,
        incident=incident,
        involvement=tyler,
        device="Tyler's phone (blue Samsung in a clear case)",
        seized_at=seized,
        switched_off=True,
        stored_where="Safeguarding office safe",
    )
    initial_review = story_time(cast, key, hours=2)
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.REFER_POLICE,
        decided_at=initial_review,
        attendees=cast.meeting,
        rationale=(
            "Immediate referral to the police (002 §3.3, criterion 5): the video is described "
            "as showing a sexual act and both pupils in it are 12. Staff will not view it. "
            "Tyler's phone switched off and locked in the safeguarding office safe until the "
            "police advise (002 §3.8). Parents of all three pupils to be told once the police "
            "confirm this will not hinder their enquiries (002 §3.5)."
        ),
    )
    referred = story_time(cast, key, hours=2.5)
    referral = referral_record(
        actor=cast.dsl,
        incident=incident,
        agency=Agency.POLICE,
        agency_name="West Yorkshire Police, Leeds safer schools team (via 101)",
        made_at=referred,
        method=ContactMethod.PHONE,
        contact_name="PC Aaron Lindley",
        reference_number=f"Log 0412 of {day(cast, key):%d/%m/%Y}",
        reasons=(
            "Two 12-year-old pupils are pictured in a video described as showing a sexual "
            "act, and it has been sent to a third pupil. Immediate-referral criterion: the "
            "imagery involves sexual acts and a pupil in it is under 13 (002 §3.3, 5)."
        ),
        information_shared=(
            "Names, dates of birth and addresses of the three pupils; Miss Barker's written "
            "account of what Tyler said; that staff have not viewed the video; that Tyler's "
            "phone is switched off and held in the safe."
        ),
    )
    phone = seizure_police_update(
        actor=cast.dsl,
        seizure=phone,
        expected_version=phone.version,
        police_informed_at=referred,
        handed_to_police_at=None,
        handed_to="",
    )
    set_status(incident, IncidentStatus.REFERRED, cast.dsl)
    acknowledged = story_time(cast, key, hours=6)
    referral_acknowledge(
        actor=cast.dsl,
        referral=referral,
        expected_version=referral.version,
        acknowledged_at=acknowledged,
    )
    parents = [
        (kacper, "Agnieszka Nowak", "mother", ContactMethod.PHONE),
        (lily_mae, "Donna Walsh", "mother", ContactMethod.IN_PERSON),
        (tyler, "Gary Brooke", "father", ContactMethod.PHONE),
    ]
    for hours, (involvement, name, relationship, method) in enumerate(parents, start=7):
        told = story_time(cast, key, hours=hours)
        informed(
            cast,
            incident,
            involvement,
            name=name,
            relationship=relationship,
            method=method,
            at=told,
            advice=(
                "Told them school has referred to the police, as it must when imagery of "
                "under-13s shows sexual acts, and that the police will contact them. Asked "
                "them not to look at, delete or forward anything on their child's phone."
            ),
            purpose=ParentContactPurpose.POLICE_INFORMED,
        )
    told_of_phone = story_time(cast, key, hours=9.5)
    informed(
        cast,
        incident,
        tyler,
        name="Gary Brooke",
        relationship="father",
        method=ContactMethod.PHONE,
        at=told_of_phone,
        advice=(
            "Told him Tyler's phone was taken, switched off and locked in the safe for the "
            "police to collect, and why: it holds a video the police need to see (002 §3.5)."
        ),
        purpose=ParentContactPurpose.DEVICE_REMOVED,
    )
    handed_over = story_time(cast, key, days=1, hours=1)
    seizure_police_update(
        actor=cast.dsl,
        seizure=phone,
        expected_version=phone.version,
        police_informed_at=phone.police_informed_at,
        handed_to_police_at=handed_over,
        handed_to="PC Aaron Lindley, collar 4471",
    )

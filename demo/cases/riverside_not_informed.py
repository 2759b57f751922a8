"""Riverside case (d): parents not informed because of risk at home; social care referral.

The record of a decision not to tell the parents (the reasons and who agreed it), a
child from another school among the people involved, and a referral to social care
with its outcome received.
"""

from __future__ import annotations

from demo.cast import SchoolCast, day, pupil, set_status, story_time
from incidents.models import (
    CameToLight,
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    IncidentStatus,
    PersonKind,
)
from incidents.services import (
    decision_record,
    incident_create,
    involvement_add,
    parent_contact_record,
)
from referrals.flow.services import (
    referral_acknowledge,
    referral_outcome_record,
    referral_record,
)
from referrals.models import Agency, ReferralOutcome


def riverside_not_informed(cast: SchoolCast) -> None:
    """(d) Parents not informed because of risk at home; referred to social care."""
    key = "not_informed"
    came_to_light = story_time(cast, key)
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.STAFF,
        came_to_light_at=came_to_light,
        narrative=(
            "Mrs Patel (head of Year 10) found Jade upset in the toilets before registration "
            "and brought her to the safeguarding office. Jade said she has sent photos of "
            "herself to Liam, 16, whom she met through her cousin; he goes to another Leeds "
            "secondary school. Last night they argued and Liam said he would 'show everyone'. "
            "This morning he apologised and said he had deleted them; Jade does not know if "
            "that is true. She is frightened the photos will reach her family: she said her "
            "stepfather 'would kill me', and then that he has hit her before when she has "
            "been in trouble and that her mum 'always sides with him'. Jade was on a child "
            "protection plan in 2022 (closed to early help in 2023); we have had two "
            "Operation Encompass notifications this year."
        ),
        imagery_created_on=day(cast, key, -3),
        imagery_description=(
            "Two or three photos, described by Jade as showing her in her underwear, taken in "
            "her bedroom. Not viewed by staff."
        ),
        relationship=True,
        malicious=True,
        platforms="Snapchat (saved to Liam's camera roll)",
    )
    jade = pupil(cast, incident, "jade", ["pictured", "creator", "sender"])
    involvement_add(
        actor=cast.dsl,
        incident=incident,
        kind=PersonKind.CHILD,
        roles=["recipient", "possessor"],
        description="Liam, Year 11 pupil at another Leeds secondary school (Jade's boyfriend)",
        age=16,
    )
    initial_review = story_time(cast, key, hours=2)
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.REFER_SOCIAL_CARE,
        decided_at=initial_review,
        attendees=cast.meeting,
        rationale=(
            "Immediate referral (002 §3.3, criterion 4): Jade has been on a child protection "
            "plan and was known to social care, and today she disclosed physical abuse by her "
            "stepfather. Referral to the Front Door now, confirmed in writing today. Parents "
            "not to be told at this stage (see the parent contact record). The DSL at Liam's "
            "school has been told and will ask Liam to delete the photos and inform his "
            "parents. The Front Door will decide with the police whether a strategy "
            "discussion is needed."
        ),
    )
    referred = story_time(cast, key, hours=2.5)
    referral = referral_record(
        actor=cast.dsl,
        incident=incident,
        agency=Agency.SOCIAL_CARE,
        agency_name="Leeds Children's Social Work Service, Front Door",
        made_at=referred,
        method=ContactMethod.PHONE,
        contact_name="Kemi Osei, duty social worker",
        reference_number="FD-2291047",
        reasons=(
            "A 15-year-old with a child protection history sent images of herself to a "
            "16-year-old who has threatened to show them to others; she has disclosed "
            "physical abuse by her stepfather and fears for her safety if her family learn of "
            "the images. Immediate-referral criterion: a pupil involved is vulnerable, has "
            "been abused or known to social care (002 §3.3, 4)."
        ),
        information_shared=(
            "Jade's details and household; what she told Mrs Patel and the DSL, in her words; "
            "the previous plan and the Operation Encompass notifications; the other school's "
            "name and DSL. No images viewed or shared."
        ),
    )
    set_status(incident, IncidentStatus.REFERRED, cast.dsl)
    story_time(cast, key, hours=2.75)  # agreed with the duty social worker on the call
    parent_contact_record(
        actor=cast.dsl,
        incident=incident,
        involvement=jade,
        informed=False,
        not_informed_reasons=(
            "Jade disclosed that her stepfather has hit her when she has been in trouble and "
            "that her mother would tell him. Given her previous child protection plan and two "
            "Operation Encompass notifications this year, telling her parents now could put "
            "Jade at risk of significant harm (002 §3.5, Annex A). To be reviewed once "
            "children's social care have completed their checks."
        ),
        agreed_with=(
            "Kemi Osei, duty social worker, Leeds Front Door (by phone), and Helen Marsh, "
            "headteacher"
        ),
    )
    acknowledged = story_time(cast, key, hours=5)
    referral = referral_acknowledge(
        actor=cast.dsl,
        referral=referral,
        expected_version=referral.version,
        acknowledged_at=acknowledged,
    )
    outcome_received = story_time(cast, key, days=2, hours=1)
    referral_outcome_record(
        actor=cast.dsl,
        referral=referral,
        expected_version=referral.version,
        outcome=ReferralOutcome.SOCIAL_CARE_ASSESSMENT,
        outcome_at=outcome_received,
        outcome_notes=(
            "Single assessment opened; social worker Ruth Adeyemi allocated. Strategy "
            "discussion with police held: no police action on the images for now. School not "
            "to tell parents about the images until the social worker has visited."
        ),
    )

"""Costa del Sol: a Year 10 pupil blackmailed for money online; referred to the police.

Financially motivated sexual extortion: a pupil blackmailed and coerced by an unknown
account, a parent met in person, and the deputy DSL's in-person report to the
Policía Nacional.
"""

from __future__ import annotations

from demo.cast import NO_SEARCH, SchoolCast, day, informed, pupil, set_status, story_time
from incidents.models import (
    CameToLight,
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    IncidentStatus,
    PersonKind,
)
from incidents.services import decision_record, incident_create, involvement_add
from referrals.flow.services import referral_acknowledge, referral_record
from referrals.models import Agency


def costa_sextortion(cast: SchoolCast) -> None:
    """A Year 10 pupil blackmailed for money by an unknown account: referred to the police."""
    key = "sextortion"
    came_to_light = story_time(cast, key)
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.PARENT,
        came_to_light_at=came_to_light,
        narrative=(
            "Mrs Hughes phoned before school. Late last night Daniel woke her, very "
            "distressed. An Instagram account that said it was a girl at a school in Málaga "
            "persuaded him to send a video, then demanded €300, threatening to send it to his "
            "friends and family. Daniel paid €50 of his savings by Bizum; the account then "
            "demanded more. On his mother's advice he has not blocked the account or deleted "
            "anything. " + NO_SEARCH
        ),
        imagery_created_on=day(cast, key, -1),
        imagery_description=(
            "One short video, described by Daniel as showing himself naked, filmed in his "
            "bedroom at the account's request. Not viewed by staff."
        ),
        financial_demand=True,
        platforms="Instagram; payment by Bizum",
    )
    daniel = pupil(
        cast, incident, "daniel", ["pictured", "creator", "sender"], blackmailed=True, coerced=True
    )
    involvement_add(
        actor=cast.dsl,
        incident=incident,
        kind=PersonKind.UNKNOWN,
        roles=["requester", "recipient", "possessor"],
        description=(
            "Instagram account presenting as 'Lucía', a 15-year-old girl from Málaga; "
            "identity and age unknown"
        ),
    )
    met = story_time(cast, key, hours=1)
    informed(
        cast,
        incident,
        daniel,
        name="Emma Hughes",
        relationship="mother",
        method=ContactMethod.IN_PERSON,
        at=met,
        advice=(
            "Met Mrs Hughes and Daniel at 9. Advised: pay nothing more, keep the phone and "
            "every message, do not delete the account. School will go with them to the "
            "comisaría today. Explained Report Remove (IWF and Childline) and gave her the "
            "NSPCC advice for parents."
        ),
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
            "Immediate referral (002 §3.3, criteria 1 and 2): an online contact of unknown age "
            "and identity, treated as an adult, is blackmailing Daniel for money (financially "
            "motivated sexual extortion). Report to the Policía Nacional in person with "
            "Daniel and his mother this morning."
        ),
    )
    reported = story_time(cast, key, hours=3.5)
    referral = referral_record(
        actor=cast.deputy,
        incident=incident,
        agency=Agency.POLICE,
        agency_name="Policía Nacional, Comisaría de Marbella (Participación Ciudadana)",
        made_at=reported,
        method=ContactMethod.IN_PERSON,
        contact_name="Agente Raúl Jiménez, Participación Ciudadana",
        reference_number=f"Atestado 4127/{day(cast, key).year}",
        reasons=(
            "Financially motivated sexual extortion of a 15-year-old by an online account of "
            "unknown age and identity: an adult is presumed involved and the child is being "
            "blackmailed (002 §3.3, criteria 1 and 2)."
        ),
        information_shared=(
            "Daniel's details; Mrs Hughes's account of last night; the account's name and the "
            "Bizum payment reference, given by Mrs Hughes. The school showed or handed over "
            "no images."
        ),
    )
    set_status(incident, IncidentStatus.REFERRED, cast.dsl)
    acknowledged = story_time(cast, key, hours=4.5)
    referral_acknowledge(
        actor=cast.deputy,
        referral=referral,
        expected_version=referral.version,
        acknowledged_at=acknowledged,
    )

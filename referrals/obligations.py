"""What the guidance obliges the school to do with children's social care (002 §4.0).

Where children's social care is currently involved with a child in the incident, the
DSL "must contact Children's Social Care to inform them of the incident": the case
cannot close until that contact is on record. Where social care was involved in the
past, the DSL "should also contact" them if they believe they may be involved, a matter
of judgement: a prompt, never a block. A contact is any referral to children's social
care for the incident, whatever its status (a call informing them counts as much as a
referral they acknowledged).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q

from incidents.models import Incident, Involvement, PersonKind
from incidents.people.selectors import CHILD_KINDS
from referrals.models import Agency
from referrals.selectors import referrals_for_incident
from safeguarding.models import SocialCare


def _social_care_contacted(incident: Incident) -> bool:
    return referrals_for_incident(incident).filter(agency=Agency.SOCIAL_CARE).exists()


def _children_with(incident: Incident, involvement: Q) -> list[str]:
    """Names of the children involved whose social-care involvement matches `involvement`
    (on the pupil record for a pupil on roll, on the involvement for another child),
    in the order they were added; none once social care has been contacted."""
    if _social_care_contacted(incident):
        return []
    children = (
        Involvement.objects.filter(incident=incident, kind__in=CHILD_KINDS)
        .filter(involvement)
        .select_related("pupil")
        .order_by("created_at", "pk")
    )
    return [child.pupil.full_name if child.pupil else child.description for child in children]


def social_care_contact_needed(incident: Incident) -> list[str]:
    """The children with current social-care involvement (a looked-after child always
    has it), while no contact with children's social care is recorded (002 §4.0)."""
    return _children_with(
        incident,
        Q(kind=PersonKind.PUPIL)
        & (Q(pupil__social_care=SocialCare.CURRENT) | Q(pupil__looked_after=True))
        | Q(kind=PersonKind.CHILD) & (Q(social_care=SocialCare.CURRENT) | Q(looked_after=True)),
    )


def social_care_previously_involved(incident: Incident) -> list[str]:
    """The children social care was involved with in the past, while no contact with
    children's social care is recorded: the DSL is prompted to consider one (002 §4.0)."""
    return _children_with(
        incident,
        Q(kind=PersonKind.PUPIL, pupil__social_care=SocialCare.PREVIOUS, pupil__looked_after=False)
        | Q(kind=PersonKind.CHILD, social_care=SocialCare.PREVIOUS, looked_after=False),
    )


def _contact_needed_message(names: list[str]) -> str:
    who = " and ".join(filter(None, [", ".join(names[:-1]), names[-1]]))
    verb = "has" if len(names) == 1 else "have"
    return (
        f"{who} {verb} current involvement with children's social care: they must be told "
        "of the incident before the case can close (002 §4.0). Record the contact as a "
        "referral to children's social care."
    )


def social_care_contact_check(incident: Incident) -> None:
    """Refuse to close the incident while social care must still be contacted.

    Called by the close path before the incident is closed. Referrals are never
    deleted, so a contact on record stays on record.
    """
    names = social_care_contact_needed(incident)
    if names:
        raise ValidationError(_contact_needed_message(names))

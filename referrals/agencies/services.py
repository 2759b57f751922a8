"""Writes to the agency directory: contacts added, kept up to date and retired.

Keyword-only, typed, one transaction each. Who may write (a school's DSLs for its own
contacts, the trust lead for the trust's defaults) is checked by the views; the data
rules (a name, one way to get in touch, a school or a trust) are `AgencyContact.clean`.
A contact is retired, never deleted, so old referrals still name whom they went to.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from referrals.models import AgencyContact
from safeguarding.audit import save_audited, update_audited
from safeguarding.models import School, Trust, User

RETIRED = "This contact is retired: add a new one if the agency is used again."


@transaction.atomic
def agency_contact_add(
    *,
    actor: User,
    agency: str,
    name: str,
    school: School | None = None,
    trust: Trust | None = None,
    phone: str = "",
    email: str = "",
    website: str = "",
    notes: str = "",
) -> AgencyContact:
    """A contact for one school, or (with `trust`) a default for every school of it."""
    contact = AgencyContact(
        agency=agency,
        school=school,
        trust=trust,
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        website=website.strip(),
        notes=notes.strip(),
    )
    return save_audited(contact, actor=actor)


@transaction.atomic
def agency_contact_update(
    *,
    actor: User,
    contact: AgencyContact,
    expected_version: int,
    agency: str,
    name: str,
    phone: str,
    email: str,
    website: str,
    notes: str,
) -> AgencyContact:
    """New details for a current contact, unless a colleague saved it since
    `expected_version` was read (`StaleEditError`)."""
    if contact.retired_at is not None:
        raise ValidationError(RETIRED)
    return update_audited(
        contact,
        actor=actor,
        expected_version=expected_version,
        changes={
            "agency": agency,
            "name": name.strip(),
            "phone": phone.strip(),
            "email": email.strip(),
            "website": website.strip(),
            "notes": notes.strip(),
        },
    )


@transaction.atomic
def agency_contact_retire(
    *, actor: User, contact: AgencyContact, expected_version: int
) -> AgencyContact:
    """No longer offered for new referrals; kept, with the referrals that used it."""
    if contact.retired_at is not None:
        raise ValidationError(RETIRED)
    return update_audited(
        contact,
        actor=actor,
        expected_version=expected_version,
        changes={"retired_at": timezone.now()},
    )

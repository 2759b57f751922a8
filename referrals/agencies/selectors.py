"""Reads of a school's agency directory: its own contacts and its trust's defaults.

Every function takes a school the caller has already had checked by
`safeguarding.access.school_for_user`, and reads only that school's contacts and its
trust's defaults, so a contact of another school (or another trust) is never reached.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.http import Http404

from referrals.models import Agency, AgencyContact
from referrals.selectors import agency_contacts_for_school
from safeguarding.models import Membership, Role, School, User
from safeguarding.web.display import person_name

#: A website typed without its scheme ("www.iwf.org.uk"), which is still worth a link.
_BARE_SITE = re.compile(r"^[\w-]+(\.[\w-]+)+(/\S*)?$")
_AGENCY_ORDER = {value: index for index, value in enumerate(Agency.values)}


def contact_of(school: School, contact_id: int) -> AgencyContact:
    """The school's contact, or its trust's default, `contact_id` (current or retired);
    any other contact is a 404 exactly like a missing one."""
    try:
        return agency_contacts_for_school(school, retired=True).get(pk=contact_id)
    except AgencyContact.DoesNotExist:
        raise Http404("No such contact.") from None


def keeps_trust_defaults(user: User, school: School) -> bool:
    """Whether `user` holds the trust lead role in a school of `school`'s trust: the
    trust's defaults are theirs to keep up to date, for every school of the trust."""
    if school.trust_id is None or not user.is_active:
        return False
    return Membership.objects.filter(
        user=user, role=Role.TRUST_LEAD, revoked_at__isnull=True, school__trust_id=school.trust_id
    ).exists()


def website_link(website: str) -> str:
    """Where a contact's website links to, or "" when the text is not a web address
    (shown as text, never as a link: a `javascript:` address must not become one)."""
    text = website.strip()
    if text.lower().startswith(("https://", "http://")):
        return text
    if _BARE_SITE.match(text):
        return "https://" + text
    return ""


@dataclass(frozen=True)
class ContactRow:
    """A contact as the directory shows it, with who last changed it and when."""

    contact: AgencyContact
    is_trust_default: bool
    link: str
    changed_at: dt.datetime | None
    changed_by: str


@dataclass(frozen=True)
class AgencyGroup:
    agency: str
    label: str
    rows: list[ContactRow]


@dataclass(frozen=True)
class Directory:
    current: list[AgencyGroup]
    retired: list[ContactRow]


def directory(school: School) -> Directory:
    """The school's contacts and its trust's defaults grouped by agency, in the order
    the agencies are listed; retired ones apart (one query whatever their number)."""
    history = AgencyContact.history.filter(id=OuterRef("pk")).order_by(
        "-history_date", "-history_id"
    )
    contacts = agency_contacts_for_school(school, retired=True).annotate(
        changed_at=Subquery(history.values("history_date")[:1]),
        changed_by=Subquery(history.values("history_user__full_name")[:1]),
    )
    rows = sorted(
        (
            ContactRow(
                contact=contact,
                is_trust_default=contact.trust_id is not None,
                link=website_link(contact.website),
                changed_at=contact.changed_at,
                changed_by=contact.changed_by or "unknown",
            )
            for contact in contacts
        ),
        # The school's own contact before the trust's default for the same agency.
        key=lambda row: (
            _AGENCY_ORDER.get(row.contact.agency, len(_AGENCY_ORDER)),
            row.is_trust_default,
            row.contact.name.lower(),
            row.contact.pk,
        ),
    )
    groups: dict[str, list[ContactRow]] = {}
    for row in rows:
        if row.contact.retired_at is None:
            groups.setdefault(row.contact.agency, []).append(row)
    return Directory(
        current=[
            AgencyGroup(agency=agency, label=str(Agency(agency).label), rows=agency_rows)
            for agency, agency_rows in groups.items()
        ],
        retired=[row for row in rows if row.contact.retired_at is not None],
    )


@dataclass(frozen=True)
class Change:
    when: dt.datetime
    by: str
    what: str


def changes_of(contact: AgencyContact) -> list[Change]:
    """The contact's history, newest first: who added, changed or retired it, and when
    (one query)."""
    history = contact.history.select_related("history_user").order_by("history_date", "history_id")
    changes: list[Change] = []
    was_retired = False
    for record in history:
        if record.history_type == "+":
            what = "Added"
        elif record.retired_at is not None and not was_retired:
            what = "Retired"
        else:
            what = "Changed"
        was_retired = record.retired_at is not None
        changes.append(
            Change(when=record.history_date, by=person_name(record.history_user), what=what)
        )
    return changes[::-1]

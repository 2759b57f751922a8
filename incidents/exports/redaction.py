"""Names out of a record for a partner agency (issue 8 item 2).

A record shared outside the school carries no more personal data than the recipient
needs (UK GDPR data minimisation; the information sharing 002 §7.0 asks to be shown): pupils of the
school appear by their initials and staff by their role in the school ("Designated
safeguarding lead"). Names are not only in the fields that hold them: DSLs write them
into narratives, rationales and notes. So the `Redactor` replaces, everywhere in the
text it is given, each full name, given name and family name the school recorded for
the incident's pupils and for its staff (anyone who has held a role in the school),
and their email addresses. Other people stay as the record describes them ("an adult
online contact"); names of people the school never recorded cannot be known and are
not found. Matching is on whole words; full names and emails ignore case, single names
match as written (capitalised), so "the staff room" survives a teacher called Staff.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from incidents.models import Incident
from safeguarding.models import Membership, Pupil, Role, School, User

# The role a person is named by when they hold several in the school: the one that
# says most about what they did on the record.
ROLE_ORDER = [
    Role.DSL,
    Role.DEPUTY_DSL,
    Role.HEADTEACHER,
    Role.ACTING_HEADTEACHER,
    Role.TRUST_LEAD,
    Role.STAFF,
]
#: How someone recorded on the record without any role in the school is named.
NO_ROLE = "Member of staff"


class Redactor:
    """Replaces known names in text; with no names, returns text unchanged (a full
    export uses `Redactor.none()`)."""

    def __init__(
        self, *, exact: Mapping[str, str] | None = None, anycase: Mapping[str, str] | None = None
    ) -> None:
        self._exact = dict(exact or {})
        self._anycase = {key.casefold(): value for key, value in (anycase or {}).items()}
        self._pattern = _alternation(self._exact, flags=0)
        self._anycase_pattern = _alternation(self._anycase, flags=re.IGNORECASE)

    @classmethod
    def none(cls) -> Redactor:
        return cls()

    @classmethod
    def for_school(cls, school: School, pupils: Iterable[Pupil]) -> Redactor:
        """Initials for `pupils`, roles for everyone who has held a role in `school`
        (one query: the school's memberships, revoked ones included)."""
        exact: dict[str, str] = {}
        anycase: dict[str, str] = {}
        staff: dict[int, tuple[User, str]] = {}
        memberships = Membership.objects.filter(school=school).select_related("user")
        for membership in sorted(memberships, key=lambda m: ROLE_ORDER.index(Role(m.role))):
            staff.setdefault(membership.user_id, (membership.user, membership.get_role_display()))
        # Staff first, pupils last: a pupil's name wins where a pupil and a member of
        # staff share one, so a child is never named by a staff role.
        for user, role in staff.values():
            _add(exact, anycase, user.full_name, role)
            anycase.setdefault(user.email, role)
        for pupil in pupils:
            for name in pupil.names:
                _add(exact, anycase, name, pupil.initials, overwrite=True)
        return cls(exact=exact, anycase=anycase)

    @classmethod
    def for_incident(cls, incident: Incident) -> Redactor:
        """For one incident's record: its pupils and its school's staff (two queries)."""
        pupils = Pupil.objects.filter(involvements__incident=incident).distinct()
        return cls.for_school(incident.school, pupils)

    @classmethod
    def for_transfer(cls, school: School, pupil: Pupil, other_pupils: Iterable[Pupil]) -> Redactor:
        """For a child protection file sent to `pupil`'s new school (KCSIE Annex C):
        initials for `other_pupils` only, who are not moving (UK GDPR Art. 5(1)(c));
        `pupil` and the staff of `school` stay named, as the new DSL may need to call
        them (one query: the school's memberships, revoked ones included).

        Another child's full names are always replaced. A single name of theirs that is
        also part of `pupil`'s or a member of staff's name is not replaced on its own:
        alone it cannot tell who is meant, and replacing it would break the names that
        must stay ("Dana Lead" would read "DB Lead")."""
        kept: set[str] = set()
        staff = Membership.objects.filter(school=school).select_related("user")
        for name in [*pupil.names, *(membership.user.full_name for membership in staff)]:
            kept.update(part for part in " ".join(name.split()).split(" ") if part)
        exact: dict[str, str] = {}
        anycase: dict[str, str] = {}
        for other in other_pupils:
            if other.pk == pupil.pk:
                continue
            for name in other.names:
                _add(exact, anycase, name, other.initials, overwrite=True)
        for part in kept:
            exact.pop(part, None)
        for name in pupil.names:
            anycase.pop(" ".join(name.split()).casefold(), None)
        return cls(exact=exact, anycase=anycase)

    @property
    def active(self) -> bool:
        return bool(self._exact or self._anycase)

    def __call__(self, text: str) -> str:
        """`text` with every known name replaced, in one pass, so a replacement ("Deputy
        designated safeguarding lead") is never itself searched for names."""
        if not self.active or not text:
            return text
        if self._anycase_pattern is not None:
            text = self._anycase_pattern.sub(
                lambda match: self._anycase[match.group(0).casefold()], text
            )
        if self._pattern is not None:
            text = self._pattern.sub(lambda match: self._exact[match.group(0)], text)
        return text

    def person(self, user: User | None) -> str:
        """A user as the record names them: their name, or their role when redacting."""
        return self(str(user)) if user is not None else "unknown"


def _add(
    exact: dict[str, str],
    anycase: dict[str, str],
    full_name: str,
    replacement: str,
    *,
    overwrite: bool = False,
) -> None:
    full_name = " ".join(full_name.split())
    if not full_name:
        return
    if overwrite or full_name.casefold() not in anycase:
        anycase[full_name.casefold()] = replacement
    for part in full_name.split(" "):
        if len(part) > 1 and (overwrite or part not in exact):
            exact[part] = replacement


def _alternation(names: Mapping[str, str], *, flags: int) -> re.Pattern[str] | None:
    """One regular expression matching any of `names` as whole words, longest first so
    "Ann Marie Lee" is replaced before "Ann"."""
    if not names:
        return None
    ordered = sorted(names, key=len, reverse=True)
    alternatives = "|".join(re.escape(name) for name in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)

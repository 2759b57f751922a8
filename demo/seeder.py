"""The `Seeder`: creates the demo rows in order, each only if it is not there yet.

In order: the operator, the trust and its lead, the trust's agency contacts, then for
each school in `demo.data.SCHOOLS` the school, its staff and their roles and
authenticators, its agency contacts, its pupils (`demo.roster`) and, if the school has
no incidents yet, its demo cases (`demo.cases`). Rows are looked up by their natural keys
first, so a second run adds nothing. Everything is written through the services and
`save_audited`, as the application writes it, so the demo history rows name the person
who acted. Keep the order: it fixes the row ids and the incident references.

Everything is dated in the story's order (issue 17 item 6): the trust, schools, staff,
roles and pupils on the morning of the day before the earliest demo incident (`opened`),
as if the schools had started using the product then, and each step of each case at its
own moment (`demo.cast.story_time`). `run` is one transaction, so whatever waits for a commit
(the sign-off emails of `incidents.signoff.notify`, which queue tasks) runs after the
last step, at the real time: an email is queued when the seed runs, not weeks ago.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.agencies import SCHOOL_AGENCY_CONTACTS, TRUST_AGENCY_CONTACTS, DemoContact
from demo.calendar import CLOSURES, LEAVERS, TERMS, on
from demo.cases import CASES
from demo.cast import SchoolCast, dated, telling
from demo.concerns import WAITING_CONCERNS
from demo.data import (
    DEMO_PASSWORD,
    OPERATOR,
    SCHOOLS,
    TRUST_LEAD,
    TRUST_NAME,
    Moment,
    SchoolSpec,
    demo_totp_key_bytes,
)
from demo.roster import academic_year_start, build_roster
from referrals.agencies.services import agency_contact_add
from referrals.models import AgencyContact
from safeguarding.audit import save_audited
from safeguarding.calendar.models import TermDate
from safeguarding.calendar.services import closure_day_add, term_date_add
from safeguarding.models import Membership, Pupil, Role, School, Trust, User
from safeguarding.services import membership_grant


@dataclass
class Seeder:
    now: dt.datetime
    created: Counter[str] = field(default_factory=Counter)
    operator: User = field(init=False)
    _setup_reached: dt.datetime | None = field(default=None, init=False)

    @transaction.atomic
    def run(self) -> Counter[str]:
        with self._opening():
            self.operator = self._user(OPERATOR.email, OPERATOR.full_name, operator=True)
            self._authenticator(self.operator)
            trust = self._trust()
            trust_lead = self._user(TRUST_LEAD.email, TRUST_LEAD.full_name)
            self._authenticator(trust_lead)
            for contact in TRUST_AGENCY_CONTACTS:
                self._agency_contact(contact, trust_lead, trust=trust)
        for spec in SCHOOLS:
            with self._opening():
                school = self._school(spec, trust)
                staff = {a.role: self._user(a.email, a.full_name, sex=a.sex) for a in spec.staff}
                for role, user in staff.items():
                    self._grant(user, school, role)
                    if role in settings.TWO_FACTOR_ROLES:
                        self._authenticator(user)
                self._grant(trust_lead, school, Role.TRUST_LEAD)
                for contact in SCHOOL_AGENCY_CONTACTS[spec.key]:
                    self._agency_contact(contact, staff[Role.DSL], school=school)
                self._calendar(spec, school)
                moments = {key: self._moment(m) for key, m in spec.incident_times.items()}
                pupils = self._pupils(spec, school, moments)
            if school.incidents.exists():
                continue
            cast = SchoolCast(
                school=school,
                dsl=staff[Role.DSL],
                deputy=staff[Role.DEPUTY_DSL],
                head=staff[Role.HEADTEACHER],
                staff=staff[Role.STAFF],
                pupils=pupils,
                moments=moments,
                now=self.now,
            )
            for make_incident in CASES[spec.key]:
                with telling(cast):  # each step at its moment (demo.cast.story_time)
                    make_incident(cast)
                self.created["incidents"] += 1
            for send_concern in WAITING_CONCERNS.get(spec.key, ()):
                send_concern(cast)
                self.created["concerns waiting"] += 1
        return self.created

    @property
    def opened(self) -> dt.datetime:
        """8:00 on the day before the earliest demo incident came to light: when the
        demo's trust, schools, staff and pupils are recorded, so they come before every
        incident that names them."""
        earliest = max(m.days_ago for spec in SCHOOLS for m in spec.incident_times.values())
        return self._moment(Moment(days_ago=earliest + 1, hour=8, minute=0))

    @contextmanager
    def _opening(self) -> Iterator[None]:
        """The setup's rows dated `opened`, the clock ticking on from there and each part
        of the setup starting where the last ended, so the rows keep the order they are
        written in."""
        with dated(max(self.opened, self._setup_reached or self.opened), before=self.now):
            yield
            self._setup_reached = timezone.now()

    def _moment(self, moment: Moment) -> dt.datetime:
        day = timezone.localdate(self.now) - dt.timedelta(days=moment.days_ago)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(moment.hour, moment.minute)))

    def _user(self, email: str, full_name: str, *, sex: str = "", operator: bool = False) -> User:
        user = User.objects.filter(email=email).first()
        if user is not None:
            return user
        user = User(
            email=email,
            full_name=full_name,
            sex=sex,
            is_staff=operator,
            is_superuser=operator,
        )
        user.set_password(DEMO_PASSWORD)
        # The operator's own account is the first row: it names itself in its history.
        save_audited(user, actor=user if operator else self.operator)
        self.created["users"] += 1
        return user

    def _authenticator(self, user: User) -> None:
        """A confirmed authenticator with the published demo key, so the account can
        pass two-factor authentication, unless it already has one."""
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return
        TOTPDevice.objects.create(
            user=user,
            name="Demo authenticator",
            key=demo_totp_key_bytes().hex(),
            confirmed=True,
        )
        self.created["two-factor devices"] += 1

    def _trust(self) -> Trust:
        trust = Trust.objects.filter(name=TRUST_NAME).first()
        if trust is None:
            trust = save_audited(Trust(name=TRUST_NAME), actor=self.operator)
            self.created["trusts"] += 1
        return trust

    def _school(self, spec: SchoolSpec, trust: Trust) -> School:
        school = School.objects.filter(urn=spec.urn).first()
        if school is None:
            school = School(
                trust=trust,
                name=spec.name,
                urn=spec.urn,
                jurisdiction=spec.jurisdiction,
                reference_prefix=spec.reference_prefix,
                triage_preset=spec.triage_preset,
                dfe_number=spec.dfe_number,
            )
            save_audited(school, actor=self.operator)
            self.created["schools"] += 1
        return school

    def _calendar(self, spec: SchoolSpec, school: School) -> None:
        """The school year's terms and closure days (demo.calendar), once."""
        if TermDate.objects.filter(school=school).exists():
            return
        start_year = academic_year_start(timezone.localdate(self.now))
        for term in TERMS.get(spec.key, ()):
            term_date_add(
                actor=self.operator,
                school=school,
                name=term.name,
                starts_on=on(start_year, term.starts),
                ends_on=on(start_year, term.ends),
            )
            self.created["terms"] += 1
        for when, reason in CLOSURES.get(spec.key, ()):
            closure_day_add(
                actor=self.operator, school=school, date=on(start_year, when), reason=reason
            )

    def _grant(self, user: User, school: School, role: str) -> None:
        active = Membership.objects.filter(
            user=user, school=school, role=role, revoked_at__isnull=True
        )
        if not active.exists():
            membership_grant(user=user, school=school, role=role, granted_by=self.operator)
            self.created["roles"] += 1

    def _agency_contact(
        self,
        contact: DemoContact,
        actor: User,
        *,
        school: School | None = None,
        trust: Trust | None = None,
    ) -> None:
        """A contact of the school (added by its DSL) or a trust default (by the trust
        lead), unless one of that agency and name is already there."""
        if AgencyContact.objects.filter(
            school=school, trust=trust, agency=contact.agency, name=contact.name
        ).exists():
            return
        agency_contact_add(actor=actor, school=school, trust=trust, **contact._asdict())
        self.created["agency contacts"] += 1

    def _pupils(
        self, spec: SchoolSpec, school: School, moments: dict[str, dt.datetime]
    ) -> dict[str, Pupil]:
        start_year = academic_year_start(timezone.localdate(self.now))
        existing = {pupil.upn: pupil for pupil in Pupil.objects.filter(school=school)}
        named: dict[str, Pupil] = {}
        for row in build_roster(spec, start_year=start_year, moments=moments):
            pupil = existing.get(row.upn)
            if pupil is None:
                pupil = Pupil(
                    school=school,
                    upn=row.upn,
                    given_name=row.given_name,
                    family_name=row.family_name,
                    date_of_birth=row.date_of_birth,
                    sex=row.sex,
                    year_group=str(row.year_group),
                    send=row.send,
                    looked_after=row.looked_after,
                    social_care=row.social_care,
                    child_protection_history=row.child_protection_history,
                )
                if row.story_key and LEAVERS.get(spec.key) == row.story_key:
                    # Leaving on the day the demo is seeded, as the MIS recorded it with
                    # the roll: the file the demo's DSL transfers (docs/transfers.md).
                    pupil.left_on = timezone.localdate(self.now)
                    self.created["pupils leaving"] += 1
                save_audited(pupil, actor=self.operator)
                self.created["pupils"] += 1
            if row.story_key:
                named[row.story_key] = pupil
        for mis in spec.mis_pupils:
            if mis.upn not in existing:
                save_audited(Pupil(school=school, **mis._asdict()), actor=self.operator)
                self.created["pupils"] += 1
        return named

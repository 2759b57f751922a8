"""`manage.py seed_demo`: a fictional trust, two schools, staff, pupils and incidents.

For trying the product locally (`make run` calls it). It creates accounts with a
published password, and gives those that must use two-factor authentication an
authenticator with a published key (`manage.py demo_code` prints its code), so it refuses
to run unless DJANGO_DEBUG=true. It is idempotent:
rows are looked up by their natural keys (trust name, school URN, user email, pupil UPN
within the school), and a school that already has incidents gets no demo incidents, so a
second run adds nothing (an account that already has an authenticator gets no other).

Everything is written through the services and `save_audited`, as the application
writes it, so the demo history rows name the person who acted.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.data import (
    DEMO_PASSWORD,
    DEMO_TOTP_KEY,
    DEMO_URL,
    OPERATOR,
    PUPILS_PER_SCHOOL,
    SCHOOLS,
    TRUST_LEAD,
    TRUST_NAME,
    UPN_BASE_ACADEMIC_YEAR,
    Moment,
    SchoolSpec,
    StoryPupil,
    demo_totp_key_bytes,
)
from incidents.devices.services import (
    deletion_confirm,
    deletion_request_record,
    seizure_police_update,
    seizure_record,
)
from incidents.interviews.services import interview_record
from incidents.models import (
    CameToLight,
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    Incident,
    IncidentStatus,
    Involvement,
    ParentContactPurpose,
    PersonKind,
    SignOffAction,
)
from incidents.services import (
    decision_record,
    incident_create,
    involvement_add,
    parent_contact_record,
)
from incidents.signoff.items import sign_off_items
from incidents.signoff.services import sign_off_record
from referrals.agencies.services import agency_contact_add
from referrals.flow.services import referral_record
from referrals.models import Agency, AgencyContact, ReferralOutcome, ReferralStatus
from safeguarding.ages import age_on
from safeguarding.audit import save_audited
from safeguarding.models import Membership, Pupil, Role, School, SocialCare, Trust, User
from safeguarding.services import membership_grant
from safeguarding.upn import CHECK_ALPHABET, check_letter, upn_problem

REFUSAL = (
    "seed_demo creates accounts with a published password; it runs only with DJANGO_DEBUG=true."
)
DEMO_CODE_COMMAND = "DJANGO_DEBUG=true .venv/bin/python manage.py demo_code"
SHORT_ROLES: dict[str, str] = {
    Role.DSL: "DSL",
    Role.DEPUTY_DSL: "Deputy DSL",
    Role.HEADTEACHER: "Headteacher",
    Role.ACTING_HEADTEACHER: "Acting headteacher",
    Role.STAFF: "Staff member",
    Role.TRUST_LEAD: "Trust safeguarding lead",
}
YEAR_GROUPS = (7, 8, 9, 10, 11, 12, 13)
TEMPORARY_UPNS = 3


class Command(BaseCommand):
    help = (
        "Create a fictional trust, two schools, demo staff accounts, pupils and incidents "
        "(development only: needs DJANGO_DEBUG=true)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--url", default=DEMO_URL, help="Where the app is served, for the sign-in message."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(REFUSAL)
        try:
            validate_password(DEMO_PASSWORD)
            with transaction.atomic():
                created = Seeder(now=timezone.now()).run()
        except ValidationError as error:
            raise CommandError("The demo data was refused: " + " ".join(error.messages)) from error
        self._report(created, url=options["url"])

    def _report(self, created: Counter[str], *, url: str) -> None:
        if created:
            made = ", ".join(f"{name} {count}" for name, count in created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data created: {made}."))
        else:
            self.stdout.write("The demo data is already in place; nothing was added.")
        self.stdout.write("")
        self.stdout.write(
            f"Sign in at {url} with any of these accounts (password: {DEMO_PASSWORD}):"
        )
        rows = [("email", "role", "two-factor", "school")]
        for spec in SCHOOLS:
            rows += [
                (a.email, SHORT_ROLES[a.role], _code_column(a.role), spec.name) for a in spec.staff
            ]
        rows.append(
            (
                TRUST_LEAD.email,
                SHORT_ROLES[Role.TRUST_LEAD],
                _code_column(Role.TRUST_LEAD),
                " and ".join(s.name for s in SCHOOLS),
            )
        )
        rows.append((OPERATOR.email, "Operator (superuser, /admin/)", "yes", "—"))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for email, role, code, school in rows:
            self.stdout.write(
                f"  {email:<{widths[0]}}  {role:<{widths[1]}}  {code:<{widths[2]}}  {school}"
            )
        self.stdout.write("")
        self.stdout.write(
            "Accounts with 'yes' under 'two-factor' must use it: after the "
            "password, enter the current code, which this prints:"
        )
        self.stdout.write(f"  {DEMO_CODE_COMMAND}")
        self.stdout.write(
            f"or add the demo key {DEMO_TOTP_KEY} (time-based, 6 digits) to an "
            "authenticator app. Each code works once per account: to sign in to the same "
            "account again, wait up to 30 seconds for the next one."
        )
        self.stdout.write("")
        self.stdout.write(
            "These accounts share a published password and two-factor key: never seed a "
            "database that holds real records."
        )


def _code_column(role: str) -> str:
    return "yes" if role in settings.TWO_FACTOR_ROLES else "—"


# --- Dates ------------------------------------------------------------------------------


def academic_year_start(today: dt.date) -> int:
    """The calendar year the current academic year (1 September to 31 August) began in."""
    return today.year if today >= dt.date(today.year, 9, 1) else today.year - 1


def cohort_dates(year_group: int, start_year: int) -> list[dt.date]:
    """Dates of birth of the pupils in `year_group` in the academic year from `start_year`.

    A Year 7 pupil is 11 on 1 September; the cohort runs 1 September to 31 August, but 1
    September itself is left out so that every pupil is exactly `year_group + 4` then.
    """
    first = dt.date(start_year - year_group - 5, 9, 2)
    last = dt.date(start_year - year_group - 4, 8, 31)
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def story_date_of_birth(story: StoryPupil, start_year: int, on: dt.date) -> dt.date:
    """A date of birth in the pupil's cohort giving them `story.age` on `on`, if any can.

    Early in the autumn term a Year 11 pupil may not yet be 16; the nearest age is then
    used, so the seed never fails on the day it runs.
    """
    cohort = cohort_dates(story.year_group, start_year)
    matching = [dob for dob in cohort if age_on(dob, on) == story.age]
    if matching:
        return matching[len(matching) // 2]
    return min(cohort, key=lambda dob: abs(age_on(dob, on) - story.age))


# --- Pupils -----------------------------------------------------------------------------


class PupilRow(NamedTuple):
    upn: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str
    year_group: int
    send: bool = False
    looked_after: bool = False
    social_care: str = SocialCare.NONE
    child_protection_history: bool = False
    story_key: str = ""


def build_roster(
    spec: SchoolSpec, *, start_year: int, moments: dict[str, dt.datetime]
) -> list[PupilRow]:
    """The school's demo pupils, the named ones first. Same seed, same UPNs and names.

    The random draws do not depend on the date, so a later run finds the same UPNs.
    """
    rng = random.Random(spec.roster_seed)
    serials = rng.sample(range(1, 1000), PUPILS_PER_SCHOOL)
    unnamed = range(len(spec.story_pupils), PUPILS_PER_SCHOOL)
    temporary = set(rng.sample(unnamed, TEMPORARY_UPNS))
    flagged = rng.sample(unnamed, 8)
    flags: dict[int, dict[str, Any]] = {
        **{i: {"send": True} for i in flagged[:4]},
        flagged[4]: {"looked_after": True, "social_care": SocialCare.CURRENT},
        flagged[5]: {"social_care": SocialCare.CURRENT},
        flagged[6]: {"social_care": SocialCare.PREVIOUS},
        flagged[7]: {"social_care": SocialCare.PREVIOUS, "child_protection_history": True},
    }
    taken = {(story.given_name, story.family_name) for story in spec.story_pupils}
    rows: list[PupilRow] = []
    for index in range(PUPILS_PER_SCHOOL):
        # Named slots draw too, so the unnamed pupils do not change when a story does.
        feeder = rng.choice(spec.feeders)
        sex = rng.choice("FM")
        given_name, family_name = _draw_name(rng, spec, sex, taken)
        day = rng.randrange(364)
        temporary_letter = rng.choice(CHECK_ALPHABET)

        if index < len(spec.story_pupils):
            story = spec.story_pupils[index]
            year_group = story.year_group
            on = timezone.localdate(moments[story.incident])
            row = PupilRow(
                upn="",
                given_name=story.given_name,
                family_name=story.family_name,
                date_of_birth=story_date_of_birth(story, start_year, on),
                sex=story.sex,
                year_group=year_group,
                send=story.send,
                looked_after=story.looked_after,
                social_care=story.social_care,
                child_protection_history=story.child_protection_history,
                story_key=story.key,
            )
        else:
            year_group = YEAR_GROUPS[index % len(YEAR_GROUPS)]
            row = PupilRow(
                upn="",
                given_name=given_name,
                family_name=family_name,
                date_of_birth=cohort_dates(year_group, start_year)[day],
                sex=sex,
                year_group=year_group,
                **flags.get(index, {}),
            )

        allocated = f"{(UPN_BASE_ACADEMIC_YEAR - year_group) % 100:02d}"
        serial = f"{serials[index]:03d}"
        if index in temporary:
            # A temporary UPN, given by this school this year; it ends in a letter.
            feeder = spec.own_upn_code
            allocated = f"{UPN_BASE_ACADEMIC_YEAR % 100:02d}"
            serial = serial[:2] + temporary_letter
        body = f"{feeder.la}{feeder.establishment}{allocated}{serial}"
        rows.append(row._replace(upn=check_letter(body) + body))

    upns = [row.upn for row in rows]
    if len(set(upns)) != len(upns) or any(upn_problem(upn) for upn in upns):
        raise RuntimeError(f"The demo roster for {spec.name} has a bad or repeated UPN.")
    return rows


def _draw_name(
    rng: random.Random, spec: SchoolSpec, sex: str, taken: set[tuple[str, str]]
) -> tuple[str, str]:
    """A given and family name from one heritage group, weighted by how common it is.

    Names already `taken` in the school are drawn again, so no two pupils share one.
    """
    weights = [group.weight for group in spec.names]
    while True:
        (group,) = rng.choices(spec.names, weights=weights)
        given_name = rng.choice(group.female if sex == "F" else group.male)
        family_name = rng.choice(group.family)
        if group.second_family:
            second = rng.choice([name for name in group.second_family if name != family_name])
            family_name = f"{family_name} {second}"
        if (given_name, family_name) not in taken:
            taken.add((given_name, family_name))
            return given_name, family_name


# --- Agency contacts (issue 6 item 1) ----------------------------------------------------


class DemoContact(NamedTuple):
    agency: str
    name: str
    phone: str = ""
    email: str = ""
    website: str = ""
    notes: str = ""


#: The trust's defaults: the public services 002 Annex C names, with its numbers and sites.
TRUST_AGENCY_CONTACTS = (
    DemoContact(
        Agency.CEOP,
        "CEOP Safety Centre",
        website="www.ceop.police.uk/safety-centre",
        notes="Report here if you are concerned a child is being sexually abused, exploited or "
        "groomed online, or is contacted by people they do not know who have seen the image "
        "(002 Annex A, Annex C).",
    ),
    DemoContact(
        Agency.REPORT_REMOVE,
        "Internet Watch Foundation (IWF)",
        website="www.iwf.org.uk",
        notes="For a sexual image of anyone under 18 on a site with no reporting function: "
        "the IWF can get it removed (002 Annex C).",
    ),
    DemoContact(
        Agency.REPORT_REMOVE,
        "Childline Report Remove",
        website="www.childline.org.uk",
        notes="Helps a young person under 18 get a nude image of themselves removed online "
        "(with the IWF); find 'Report Remove' on the Childline site.",
    ),
    DemoContact(
        Agency.CHILDLINE,
        "Childline",
        phone="0800 1111",
        website="https://www.childline.org.uk/Pages/Home.aspx",
        notes="Direct support for children and young people, including about sharing "
        "sexual imagery; also if a child reported the imagery and it was not removed "
        "(002 Annex A, Annex C).",
    ),
    DemoContact(
        Agency.NSPCC,
        "NSPCC adults helpline",
        phone="0808 800 5002",
        notes="Support for parents and other adults on online safety, with O2 (002 Annex C).",
    ),
    DemoContact(
        Agency.OTHER,
        "Professionals Online Safety Helpline (POSH)",
        phone="0844 381 4772",
        website="http://www.saferinternet.org.uk/about/helpline",
        notes="For staff with an online safety concern, e.g. imagery not removed after "
        "reporting it (002 Annex A, Annex C). Number as 002 gives it: check it is current.",
    ),
)

#: Each school's own contacts: example details (0113 000 …, .example addresses) that a
#: real school replaces with its officer's and its local authority's.
SCHOOL_AGENCY_CONTACTS: dict[str, tuple[DemoContact, ...]] = {
    "riverside": (
        DemoContact(
            Agency.POLICE,
            "PC Jordan Hale, safer schools officer (example)",
            phone="0113 000 0101",
            email="safer.schools.leeds@police.example",
            notes="Example details. Direct support on preventing and managing incidents; "
            "term time, Monday to Friday (002 §3.7).",
        ),
        DemoContact(
            Agency.POLICE,
            "Police non-emergency: 101",
            phone="101",
            notes="The call handler deals with every kind of crime. Once you name the children, "
            "the police must record and investigate (002 §3.7).",
        ),
        DemoContact(
            Agency.POLICE,
            "Police emergency: 999",
            phone="999",
            notes="A child in immediate danger.",
        ),
        DemoContact(
            Agency.SOCIAL_CARE,
            "Leeds MASH duty line (example)",
            phone="0113 000 0000",
            email="mash.duty@leeds.example",
            notes="Example details. Out of hours: the emergency duty team, 0113 000 0999 "
            "(example). Have the child's details and your concerns ready (002 §4.0).",
        ),
    ),
    "costa": (
        DemoContact(
            Agency.POLICE,
            "Agente Plan Director, Policía Nacional Málaga (example)",
            phone="+34 952 000 000",
            email="plan.director.malaga@policia.example",
            notes="Example details. The Plan Director officers visit schools about online "
            "safety and can advise on incidents.",
        ),
        DemoContact(
            Agency.POLICE,
            "Policía Nacional: 091",
            phone="091",
            notes="To report a crime that is not an emergency.",
        ),
        DemoContact(
            Agency.POLICE,
            "Emergencies: 112",
            phone="112",
            notes="A child in immediate danger (Spain's 999).",
        ),
        DemoContact(
            Agency.SOCIAL_CARE,
            "Servicios Sociales Comunitarios, Málaga (example)",
            phone="+34 952 000 001",
            email="servicios.sociales@malaga.example",
            notes="Example details. The local children's services duty line.",
        ),
    ),
}


# --- The seed ---------------------------------------------------------------------------


@dataclass
class SchoolCast:
    """A seeded school and the people its incidents are about and recorded by."""

    school: School
    dsl: User
    deputy: User
    head: User
    pupils: dict[str, Pupil]
    moments: dict[str, dt.datetime]

    @property
    def meeting(self) -> str:
        return (
            f"{self.dsl.full_name} (DSL), {self.deputy.full_name} (deputy DSL), "
            f"{self.head.full_name} (headteacher)"
        )


@dataclass
class Seeder:
    now: dt.datetime
    created: Counter[str] = field(default_factory=Counter)
    operator: User = field(init=False)

    def run(self) -> Counter[str]:
        self.operator = self._user(OPERATOR.email, OPERATOR.full_name, operator=True)
        self._authenticator(self.operator)
        trust = self._trust()
        trust_lead = self._user(TRUST_LEAD.email, TRUST_LEAD.full_name)
        self._authenticator(trust_lead)
        for contact in TRUST_AGENCY_CONTACTS:
            self._agency_contact(contact, trust_lead, trust=trust)
        for spec in SCHOOLS:
            school = self._school(spec, trust)
            staff = {a.role: self._user(a.email, a.full_name, sex=a.sex) for a in spec.staff}
            for role, user in staff.items():
                self._grant(user, school, role)
                if role in settings.TWO_FACTOR_ROLES:
                    self._authenticator(user)
            self._grant(trust_lead, school, Role.TRUST_LEAD)
            for contact in SCHOOL_AGENCY_CONTACTS[spec.key]:
                self._agency_contact(contact, staff[Role.DSL], school=school)
            moments = {key: self._moment(m) for key, m in spec.incident_times.items()}
            pupils = self._pupils(spec, school, moments)
            if school.incidents.exists():
                continue
            cast = SchoolCast(
                school=school,
                dsl=staff[Role.DSL],
                deputy=staff[Role.DEPUTY_DSL],
                head=staff[Role.HEADTEACHER],
                pupils=pupils,
                moments=moments,
            )
            incidents = RIVERSIDE_INCIDENTS if spec.key == "riverside" else COSTA_INCIDENTS
            for make_incident in incidents:
                make_incident(cast)
                self.created["incidents"] += 1
        return self.created

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
            )
            save_audited(school, actor=self.operator)
            self.created["schools"] += 1
        return school

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
                save_audited(pupil, actor=self.operator)
                self.created["pupils"] += 1
            if row.story_key:
                named[row.story_key] = pupil
        return named


# --- Helpers for the incidents ------------------------------------------------------------


def _at(cast: SchoolCast, incident: str, *, days: int = 0, hours: float = 0) -> dt.datetime:
    """A time after the incident came to light; never later than a minute ago."""
    moment = cast.moments[incident] + dt.timedelta(days=days, hours=hours)
    return min(moment, timezone.now() - dt.timedelta(minutes=1))


def _status(incident: Incident, status: str, actor: User, **fields: Any) -> None:
    incident.status = status
    for name, value in fields.items():
        setattr(incident, name, value)
    save_audited(incident, actor=actor)


def _signed_off(cast: SchoolCast, incident: Incident, statement: str) -> None:
    """The headteacher signs off every item of the incident, as the record stands."""
    for item in sign_off_items([incident]):
        sign_off_record(
            actor=cast.head,
            incident=incident,
            kind=item.kind,
            subject_id=item.subject_id,
            action=SignOffAction.SIGNED,
            statement=statement,
            reviewed_digest=item.digest,
        )


def _pupil(
    cast: SchoolCast, incident: Incident, key: str, roles: list[str], **flags: Any
) -> Involvement:
    return involvement_add(
        actor=cast.dsl,
        incident=incident,
        kind=PersonKind.PUPIL,
        pupil=cast.pupils[key],
        roles=roles,
        **flags,
    )


def _informed(
    cast: SchoolCast,
    incident: Incident,
    involvement: Involvement,
    *,
    name: str,
    relationship: str,
    method: str,
    at: dt.datetime,
    advice: str,
    actor: User | None = None,
    purpose: str = ParentContactPurpose.INCIDENT,
) -> None:
    parent_contact_record(
        actor=actor or cast.dsl,
        incident=incident,
        involvement=involvement,
        informed=True,
        purpose=purpose,
        contact_name=name,
        relationship=relationship,
        method=method,
        contacted_at=at,
        advice_given=advice,
    )


def _day(cast: SchoolCast, incident: str, days: int = 0) -> dt.date:
    return timezone.localdate(cast.moments[incident]) + dt.timedelta(days=days)


# --- Riverside Academy (England) ----------------------------------------------------------


def riverside_relationship(cast: SchoolCast) -> None:
    """(a) Two Year 11 pupils in a relationship exchange images: managed in school."""
    key = "relationship"
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.DISCLOSURE_PUPIL,
        came_to_light_at=cast.moments[key],
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
        imagery_created_on=_day(cast, key, -14),
        imagery_description=(
            "Two images, one from each pupil. Described by Chloe as a topless photo of "
            "herself taken in her bedroom mirror; described by Reece as a photo of himself in "
            "his boxer shorts. Not viewed by staff."
        ),
        relationship=True,
        consensual=True,
        platforms="Snapchat",
    )
    chloe = _pupil(cast, incident, "chloe", ["pictured", "creator", "sender", "recipient"])
    reece = _pupil(
        cast, incident, "reece", ["pictured", "creator", "sender", "recipient", "possessor"]
    )
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        decided_at=_at(cast, key, days=1, hours=-1.5),
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
    _informed(
        cast,
        incident,
        chloe,
        name="Karen Hirst",
        relationship="mother",
        method=ContactMethod.PHONE,
        at=_at(cast, key, days=1, hours=2.5),
        advice=(
            "Explained what Chloe told us and that school is managing this without a "
            "referral. Advised her to talk to Chloe calmly, not to look at or ask to see the "
            "image, and to help her check it is deleted from any cloud backup. Sent the "
            "parents' leaflet (002 Annex B) by email."
        ),
    )
    _informed(
        cast,
        incident,
        reece,
        name="Mark Ackroyd",
        relationship="father",
        method=ContactMethod.IN_PERSON,
        at=_at(cast, key, days=1, hours=5),
        actor=cast.deputy,
        advice=(
            "Mr Ackroyd came in at the end of the day. Same explanation and advice as for "
            "Chloe's mother; he will sit with Reece while he deletes the photo from his camera "
            "roll and his Google Photos backup."
        ),
    )
    interview_record(
        actor=cast.dsl,
        incident=incident,
        involvement=chloe,
        held_at=_at(cast, key, hours=0.25),
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
    deadline = cast.moments[key] + dt.timedelta(days=4)
    for person, confirmed_days, how in (
        (chloe, 2, "Showed the DSL her camera roll, recently deleted folder and iCloud."),
        (reece, 3, "His father confirmed by phone that they deleted it together, backups too."),
    ):
        request = deletion_request_record(
            actor=cast.dsl,
            incident=incident,
            involvement=person,
            requested_at=_at(cast, key, days=1, hours=3),
            deadline=deadline,
            where="Phone camera roll, Snapchat Memories and any cloud backup.",
            consequences_explained=True,
        )
        deletion_confirm(
            actor=cast.dsl,
            deletion=request,
            expected_version=request.version,
            confirmed_at=_at(cast, key, days=confirmed_days),
            confirmation=how,
        )
    _status(incident, IncidentStatus.MANAGED_IN_SCHOOL, cast.dsl)


def riverside_under_13(cast: SchoolCast) -> None:
    """(b) A video of two 12-year-olds showing a sexual act: referred to the police."""
    key = "under_13"
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.DISCLOSURE_FRIEND,
        came_to_light_at=cast.moments[key],
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
        imagery_created_on=_day(cast, key, -1),
        imagery_description=(
            "One short video, described by Tyler as showing Kacper and Lily-Mae engaged in a "
            "sexual act in a bedroom. Not viewed by any member of staff; no phone has been "
            "searched."
        ),
        sexual_acts=True,
        consensual=False,
        platforms="WhatsApp",
    )
    kacper = _pupil(cast, incident, "kacper", ["pictured", "creator", "sender"])
    lily_mae = _pupil(cast, incident, "lily_mae", ["pictured"])
    tyler = _pupil(cast, incident, "tyler", ["recipient", "possessor"])
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.REFER_POLICE,
        decided_at=_at(cast, key, hours=2),
        attendees=cast.meeting,
        rationale=(
            "Immediate referral to the police (002 §3.3, criterion 5): the video is described "
            "as showing a sexual act and both pupils in it are 12. Staff will not view it. "
            "Tyler's phone switched off and locked in the safeguarding office safe until the "
            "police advise (002 §3.8). Parents of all three pupils to be told once the police "
            "confirm this will not hinder their enquiries (002 §3.5)."
        ),
    )
    referral_record(
        actor=cast.dsl,
        incident=incident,
        agency=Agency.POLICE,
        agency_name="West Yorkshire Police, Leeds safer schools team (via 101)",
        made_at=_at(cast, key, hours=2.5),
        method=ContactMethod.PHONE,
        contact_name="PC Aaron Lindley",
        reference_number=f"Log 0412 of {_day(cast, key):%d/%m/%Y}",
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
        status=ReferralStatus.ACKNOWLEDGED,
        acknowledged_at=_at(cast, key, hours=6),
    )
    phone = seizure_record(
        actor=cast.dsl,
        incident=incident,
        involvement=tyler,
        device="Tyler's phone (blue Samsung in a clear case)",
        seized_at=_at(cast, key, hours=0.5),
        switched_off=True,
        stored_where="Safeguarding office safe",
    )
    seizure_police_update(
        actor=cast.dsl,
        seizure=phone,
        expected_version=phone.version,
        police_informed_at=_at(cast, key, hours=2.5),
        handed_to_police_at=_at(cast, key, days=1, hours=1),
        handed_to="PC Aaron Lindley, collar 4471",
    )
    parents = [
        (kacper, "Agnieszka Nowak", "mother", ContactMethod.PHONE),
        (lily_mae, "Donna Walsh", "mother", ContactMethod.IN_PERSON),
        (tyler, "Gary Brooke", "father", ContactMethod.PHONE),
    ]
    for hours, (involvement, name, relationship, method) in enumerate(parents, start=7):
        _informed(
            cast,
            incident,
            involvement,
            name=name,
            relationship=relationship,
            method=method,
            at=_at(cast, key, hours=hours),
            advice=(
                "Told them school has referred to the police, as it must when imagery of "
                "under-13s shows sexual acts, and that the police will contact them. Asked "
                "them not to look at, delete or forward anything on their child's phone."
            ),
            purpose=ParentContactPurpose.POLICE_INFORMED,
        )
    _informed(
        cast,
        incident,
        tyler,
        name="Gary Brooke",
        relationship="father",
        method=ContactMethod.PHONE,
        at=_at(cast, key, hours=9.5),
        advice=(
            "Told him Tyler's phone was taken, switched off and locked in the safe for the "
            "police to collect, and why: it holds a video the police need to see (002 §3.5)."
        ),
        purpose=ParentContactPurpose.DEVICE_REMOVED,
    )
    _status(incident, IncidentStatus.REFERRED, cast.dsl)


def riverside_sextortion(cast: SchoolCast) -> None:
    """(c) An unknown account demands money from a Year 9 pupil: still being logged."""
    key = "sextortion"
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.DISCLOSURE_PUPIL,
        came_to_light_at=cast.moments[key],
        narrative=(
            "Ethan stayed behind after period 5 and told Mr Pickering he needed help. Since "
            "the weekend he has been messaging an Instagram account that said it was a "
            "15-year-old girl from Harrogate. Last night the account asked him for a photo and "
            "he sent one. Minutes later it sent him a screenshot of his followers list and "
            "demanded £150 in gift cards, or it would send the photo to everyone on the list. "
            "He has not paid. He is very frightened. Advised him not to pay, not to reply, not "
            "to block or delete anything, and not to send anything else. Still gathering "
            "details; police to be called tonight."
        ),
        imagery_created_on=_day(cast, key, -1),
        imagery_description=(
            "One image, described by Ethan as a photo of himself naked from the waist down, "
            "taken in the bathroom at home. Not viewed by staff."
        ),
        financial_demand=True,
        platforms="Instagram",
    )
    _pupil(cast, incident, "ethan", ["pictured", "creator", "sender"], blackmailed=True)
    involvement_add(
        actor=cast.dsl,
        incident=incident,
        kind=PersonKind.UNKNOWN,
        roles=["requester", "recipient", "possessor"],
        description=(
            "Instagram account presenting as 'Ellie', a 15-year-old girl from Harrogate; "
            "identity and age unknown"
        ),
    )
    # Left in the default status, "being logged".


def riverside_not_informed(cast: SchoolCast) -> None:
    """(d) Parents not informed because of risk at home; referred to social care."""
    key = "not_informed"
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.STAFF,
        came_to_light_at=cast.moments[key],
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
        imagery_created_on=_day(cast, key, -3),
        imagery_description=(
            "Two or three photos, described by Jade as showing her in her underwear, taken in "
            "her bedroom. Not viewed by staff."
        ),
        relationship=True,
        malicious=True,
        platforms="Snapchat (saved to Liam's camera roll)",
    )
    jade = _pupil(cast, incident, "jade", ["pictured", "creator", "sender"])
    involvement_add(
        actor=cast.dsl,
        incident=incident,
        kind=PersonKind.CHILD,
        roles=["recipient", "possessor"],
        description="Liam, Year 11 pupil at another Leeds secondary school (Jade's boyfriend)",
        age=16,
    )
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.REFER_SOCIAL_CARE,
        decided_at=_at(cast, key, hours=2),
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
    referral_record(
        actor=cast.dsl,
        incident=incident,
        agency=Agency.SOCIAL_CARE,
        agency_name="Leeds Children's Social Work Service, Front Door",
        made_at=_at(cast, key, hours=2.5),
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
        status=ReferralStatus.OUTCOME_RECEIVED,
        acknowledged_at=_at(cast, key, hours=5),
        outcome=ReferralOutcome.SOCIAL_CARE_ASSESSMENT,
        outcome_at=_at(cast, key, days=2, hours=1),
        outcome_notes=(
            "Single assessment opened; social worker Ruth Adeyemi allocated. Strategy "
            "discussion with police held: no police action on the images for now. School not "
            "to tell parents about the images until the social worker has visited."
        ),
    )
    _status(incident, IncidentStatus.REFERRED, cast.dsl)


def riverside_closed(cast: SchoolCast) -> None:
    """(e) An image shared on without consent, managed in school, reviewed and closed."""
    key = "closed"
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.PARENT,
        came_to_light_at=cast.moments[key],
        narrative=(
            "Grace's mother phoned after school: Grace came home in tears because a photo she "
            "sent Harvey at the weekend has been seen by another boy in their year. Next "
            "morning Grace told me she sent Harvey a photo of herself in her bra after they "
            "had been messaging for a few weeks. Harvey (SEND: autism, EHCP) said he sent it "
            "on to Mohammed 'as a joke' because Mohammed did not believe Grace liked him. "
            "Mohammed confirmed he received it, said he had not sent it on and agreed to "
            "delete it. Pupils and parents know of no wider sharing."
        ),
        imagery_created_on=_day(cast, key, -4),
        imagery_description=(
            "One photo, described by Grace as a picture of herself in her bra taken in her "
            "bedroom; her face is visible. Not viewed by staff."
        ),
        consensual=False,
        platforms="Snapchat (screenshot), WhatsApp",
    )
    grace = _pupil(cast, incident, "grace", ["pictured", "creator", "sender"])
    harvey = _pupil(cast, incident, "harvey", ["recipient", "sharer", "possessor"])
    mohammed = _pupil(cast, incident, "mohammed", ["recipient", "possessor"])
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        decided_at=_at(cast, key, days=1, hours=-6),
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
        _informed(
            cast,
            incident,
            involvement,
            name=name,
            relationship=relationship,
            method=method,
            at=_at(cast, key, days=1, hours=hours - 4),
            advice=(
                "Explained what happened, that school is managing it without a referral, and "
                "the deletion deadline. Asked them to check deletion with their child and not "
                "to look at the image. Sent the parents' leaflet (002 Annex B)."
            ),
        )
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        decided_at=_at(cast, key, days=43, hours=-7),
        attendees=f"{cast.dsl.full_name} (DSL), {cast.head.full_name} (headteacher)",
        rationale=(
            "Six-week review: all three pupils confirmed deletion in writing before the "
            "deadline; no further sharing reported by pupils, parents or staff. Grace says she "
            "feels settled and her attendance is back to normal. Harvey completed four "
            "sessions with the SENCo. No further action; case closed with the headteacher's "
            "agreement."
        ),
    )
    _status(
        incident,
        IncidentStatus.CLOSED,
        cast.dsl,
        closed_at=_at(cast, key, days=43, hours=-6),
        outcome_summary=(
            "Managed in school without referral (initial review and six-week review). Both "
            "recipients deleted the image and confirmed in writing. Support for Grace from "
            "her head of year; consent and online-sharing work for Harvey with the SENCo. No "
            "further sharing found. Closed."
        ),
    )
    _signed_off(
        cast,
        incident,
        "I was at both reviews and agree the case was rightly managed in school and closed "
        "(002 §7.0).",
    )


RIVERSIDE_INCIDENTS = (
    riverside_closed,
    riverside_not_informed,
    riverside_under_13,
    riverside_relationship,
    riverside_sextortion,
)


# --- Colegio Británico Costa del Sol (Spain) -------------------------------------------------

NO_SEARCH = (
    "Staff did not look at or search any phone: in Spain teachers may not search or view "
    "imagery on a device, so parents are called instead (002 §5.2)."
)


def costa_relationship(cast: SchoolCast) -> None:
    """Two Year 12 pupils in a relationship exchange images: managed in school."""
    key = "relationship"
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.DISCLOSURE_PUPIL,
        came_to_light_at=cast.moments[key],
        narrative=(
            "Alejandro asked to see me after tutor time. He and Sophie (both Year 12, together "
            "for several months) swapped photos of themselves on Snapchat at the weekend. "
            "Snapchat saved Sophie's photo to his Memories and he is worried because his "
            "younger brother uses the family tablet, which shares the account. Sophie, spoken "
            "to separately by Mr Morales, confirmed she sent the photo willingly and has not "
            "shown Alejandro's to anyone. As far as both know nobody else has seen either "
            "image. " + NO_SEARCH
        ),
        imagery_created_on=_day(cast, key, -2),
        imagery_description=(
            "Two images. Sophie described hers as a topless photo taken in her bedroom; "
            "Alejandro described his as a photo of himself in his underwear. Not viewed by "
            "staff."
        ),
        relationship=True,
        platforms="Snapchat",
    )
    sophie = _pupil(cast, incident, "sophie", ["pictured", "creator", "sender", "recipient"])
    alejandro = _pupil(
        cast, incident, "alejandro", ["pictured", "creator", "sender", "recipient", "possessor"]
    )
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        decided_at=_at(cast, key, hours=5),
        attendees=cast.meeting,
        rationale=(
            "None of the six immediate-referral criteria in 002 §3.3 applies: both pupils are "
            "17, the exchange was consensual within a relationship, nothing extreme or sexual "
            "acts described, no adult, no coercion, no known vulnerabilities. Managed in "
            "school. Staff may not search devices here (002 §5.2), so both families were "
            "called and asked to oversee deletion at home, including Snapchat Memories and the "
            "family tablet; the pupils will confirm deletion to the DSL. Review in four weeks."
        ),
    )
    _informed(
        cast,
        incident,
        sophie,
        name="Rachel Clarke",
        relationship="mother",
        method=ContactMethod.PHONE,
        at=_at(cast, key, hours=6),
        advice=(
            "Explained what happened and that school is managing it without a referral. "
            "Asked her to oversee deletion with Sophie and not to look at the image. Sent the "
            "parents' leaflet (002 Annex B)."
        ),
        purpose=ParentContactPurpose.NO_DEVICE_SEARCH,
    )
    _informed(
        cast,
        incident,
        alejandro,
        name="Carmen Navarro Gil",
        relationship="mother",
        method=ContactMethod.PHONE,
        at=_at(cast, key, hours=6.5),
        actor=cast.deputy,
        advice=(
            "Call in Spanish. Same explanation; asked her to oversee deletion from "
            "Alejandro's phone, his Snapchat Memories and the family tablet, without looking "
            "at the image. Sent the parents' leaflet in Spanish."
        ),
        purpose=ParentContactPurpose.NO_DEVICE_SEARCH,
    )
    _status(incident, IncidentStatus.MANAGED_IN_SCHOOL, cast.dsl)


def costa_sextortion(cast: SchoolCast) -> None:
    """A Year 10 pupil blackmailed for money by an unknown account: referred to the police."""
    key = "sextortion"
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.PARENT,
        came_to_light_at=cast.moments[key],
        narrative=(
            "Mrs Hughes phoned before school. Late last night Daniel woke her, very "
            "distressed. An Instagram account that said it was a girl at a school in Málaga "
            "persuaded him to send a video, then demanded €300, threatening to send it to his "
            "friends and family. Daniel paid €50 of his savings by Bizum; the account then "
            "demanded more. On his mother's advice he has not blocked the account or deleted "
            "anything. " + NO_SEARCH
        ),
        imagery_created_on=_day(cast, key, -1),
        imagery_description=(
            "One short video, described by Daniel as showing himself naked, filmed in his "
            "bedroom at the account's request. Not viewed by staff."
        ),
        financial_demand=True,
        platforms="Instagram; payment by Bizum",
    )
    daniel = _pupil(
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
    _informed(
        cast,
        incident,
        daniel,
        name="Emma Hughes",
        relationship="mother",
        method=ContactMethod.IN_PERSON,
        at=_at(cast, key, hours=1),
        advice=(
            "Met Mrs Hughes and Daniel at 9. Advised: pay nothing more, keep the phone and "
            "every message, do not delete the account. School will go with them to the "
            "comisaría today. Explained Report Remove (IWF and Childline) and gave her the "
            "NSPCC advice for parents."
        ),
    )
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.REFER_POLICE,
        decided_at=_at(cast, key, hours=2),
        attendees=cast.meeting,
        rationale=(
            "Immediate referral (002 §3.3, criteria 1 and 2): an online contact of unknown age "
            "and identity, treated as an adult, is blackmailing Daniel for money (financially "
            "motivated sexual extortion). Report to the Policía Nacional in person with "
            "Daniel and his mother this morning."
        ),
    )
    referral_record(
        actor=cast.deputy,
        incident=incident,
        agency=Agency.POLICE,
        agency_name="Policía Nacional, Comisaría de Marbella (Participación Ciudadana)",
        made_at=_at(cast, key, hours=3.5),
        method=ContactMethod.IN_PERSON,
        contact_name="Agente Raúl Jiménez, Participación Ciudadana",
        reference_number=f"Atestado 4127/{_day(cast, key).year}",
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
        status=ReferralStatus.ACKNOWLEDGED,
        acknowledged_at=_at(cast, key, hours=4.5),
    )
    _status(incident, IncidentStatus.REFERRED, cast.dsl)


def costa_group_share(cast: SchoolCast) -> None:
    """A Year 9 pupil's photo posted to a class WhatsApp group: awaiting initial review."""
    key = "group_share"
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.DISCLOSURE_FRIEND,
        came_to_light_at=cast.moments[key],
        narrative=(
            "At lunch several Year 9 pupils told Ms Fernández that a photo of Martina was "
            "going round. Martina then told me she sent Hugo a photo of herself in her "
            "underwear on Snapchat last week. Hugo screenshotted it and, after they fell out, "
            "posted it last night to a WhatsApp group of about 25 Year 9 pupils with an "
            "unkind comment. Jack is in the group; he says he saw it and that it is still in "
            "the chat. " + NO_SEARCH + " Hugo's and Jack's parents to be called this "
            "afternoon; initial review meeting tomorrow at 8:30."
        ),
        imagery_created_on=_day(cast, key, -6),
        imagery_description=(
            "One photo, described by Martina as showing her in her underwear, taken in her "
            "bedroom; her face is visible. Not viewed by staff."
        ),
        consensual=False,
        malicious=True,
        shared_widely=True,
        platforms="Snapchat (screenshot), WhatsApp group",
    )
    martina = _pupil(cast, incident, "martina", ["pictured", "creator", "sender"])
    _pupil(cast, incident, "hugo", ["recipient", "sharer", "possessor"])
    _pupil(cast, incident, "jack", ["recipient", "possessor"])
    _informed(
        cast,
        incident,
        martina,
        name="Javier López Martín",
        relationship="father",
        method=ContactMethod.PHONE,
        at=_at(cast, key, hours=2),
        actor=cast.deputy,
        advice=(
            "Told him what has happened and that school is acting today. Asked him not to "
            "look at or forward the image. Invited both parents in tomorrow at 8:30."
        ),
    )
    _status(incident, IncidentStatus.AWAITING_REVIEW, cast.dsl)


def costa_never_sent(cast: SchoolCast) -> None:
    """A Year 8 pupil's photo made but never sent, found by a parent: closed."""
    key = "never_sent"
    incident = incident_create(
        actor=cast.dsl,
        school=cast.school,
        came_to_light_how=CameToLight.PARENT,
        came_to_light_at=cast.moments[key],
        narrative=(
            "Mr Moreno emailed: checking the storage on the family tablet he found a photo "
            "Isabella had taken of herself in the bathroom. She told her parents she took it "
            "after seeing videos on TikTok and had not sent it to anyone; nobody had asked "
            "her for it. Her parents deleted it. Spoken to in school next day with her mother "
            "present: account consistent; her parents found no messages or contacts of "
            "concern."
        ),
        imagery_created_on=_day(cast, key, -3),
        imagery_description=(
            "One photo, described by Isabella's father as Isabella in her underwear taken in "
            "a mirror. Deleted by her parents; not viewed by staff."
        ),
        never_sent=True,
        platforms="Family tablet (not shared)",
    )
    isabella = _pupil(cast, incident, "isabella", ["pictured", "creator"])
    _informed(
        cast,
        incident,
        isabella,
        name="Laura Baker",
        relationship="mother",
        method=ContactMethod.IN_PERSON,
        at=_at(cast, key, days=1, hours=-9),
        advice=(
            "Met with Isabella and her mother. Advised on parental controls and talking about "
            "online pressure at home; gave the parents' leaflet (002 Annex B)."
        ),
    )
    decision_record(
        actor=cast.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        decided_at=_at(cast, key, days=1, hours=-6),
        attendees=cast.meeting,
        rationale=(
            "None of the 002 §3.3 criteria applies: the photo was made but never sent, no one "
            "else is involved, there is no coercion, and nothing extreme or sexual acts is "
            "described. Isabella is 12 (experimental, 'other'): Brook Traffic Light tool used, "
            "amber. Managed in school: online-safety work with her form tutor, check-ins for "
            "half a term, parents supported at home."
        ),
    )
    _status(
        incident,
        IncidentStatus.CLOSED,
        cast.dsl,
        closed_at=_at(cast, key, days=30),
        outcome_summary=(
            "Managed in school. Image deleted by parents before school was told; never sent. "
            "Online-safety sessions completed; no further concerns from home or school at "
            "the half-term check. Closed."
        ),
    )


COSTA_INCIDENTS = (costa_never_sent, costa_sextortion, costa_relationship, costa_group_share)

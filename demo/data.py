"""The fictional trust, schools, staff and pupils that `manage.py seed_demo` creates.

Every name here is invented; any resemblance to a real person or school is accidental.
The demo accounts share one published password and one published two-factor key, which
is why `seed_demo` runs only with DJANGO_DEBUG=true. Pupils beyond the named ones are
drawn from the name lists with a fixed seed, so every run produces the same roster.
"""

from __future__ import annotations

import datetime as dt
from base64 import b32decode
from typing import Final, NamedTuple

from safeguarding.models import Jurisdiction, Role, SocialCare, TriagePreset

# Published on purpose (the seed prints it): demo accounts only, and only with DEBUG on.
DEMO_PASSWORD: Final = "safeguarding-demo-2026"  # noqa: S105
DEMO_URL: Final = "http://127.0.0.1:8000/"
# Published too: every demo account whose role needs two-factor authentication gets an
# authenticator "app" with this base32 key. `manage.py demo_code` prints its current code;
# any authenticator app given this key shows the same codes.
DEMO_TOTP_KEY: Final = "SAFEGUARDINGDEMOSAFEGUARDINGDEMO"

TRUST_NAME: Final = "Riverside Learning Trust"
PUPILS_PER_SCHOOL: Final = 60
# UPN year-of-allocation digits are counted back from this academic year, so a pupil's
# UPN never depends on the day the seed runs (a later run finds the same pupils).
UPN_BASE_ACADEMIC_YEAR: Final = 2025


class Account(NamedTuple):
    email: str
    full_name: str


class StaffAccount(NamedTuple):
    email: str
    full_name: str
    role: str
    sex: str  # who may view imagery depends on it (002 §5.1)


class Feeder(NamedTuple):
    """Where a pupil's UPN was allocated: a 3-digit LA number and 4-digit establishment."""

    la: str
    establishment: str


class MisPupil(NamedTuple):
    """A pupil with fixed details, as the MIS had them before the example file."""

    upn: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str
    year_group: str


class StoryPupil(NamedTuple):
    """A pupil named in a demo incident; `age` is their age when that incident came to light."""

    key: str
    given_name: str
    family_name: str
    sex: str
    year_group: int
    incident: str
    age: int
    send: bool = False
    looked_after: bool = False
    social_care: str = SocialCare.NONE
    child_protection_history: bool = False


class Moment(NamedTuple):
    """A local time, `days_ago` days before the seed runs (never today, so never future)."""

    days_ago: int
    hour: int
    minute: int


class NameGroup(NamedTuple):
    """Names that go together in one family, and how common the group is in the roster.

    With `second_family` set, a pupil carries two family names, as in Spain (the
    father's first, then the mother's).
    """

    weight: int
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    second_family: tuple[str, ...] = ()


class SchoolSpec(NamedTuple):
    key: str
    name: str
    urn: str
    jurisdiction: str
    reference_prefix: str
    triage_preset: str
    staff: tuple[StaffAccount, ...]
    own_upn_code: Feeder  # where this school allocates temporary and new UPNs
    feeders: tuple[Feeder, ...]
    names: tuple[NameGroup, ...]
    roster_seed: int
    story_pupils: tuple[StoryPupil, ...]
    incident_times: dict[str, Moment]
    dfe_number: str = ""
    # Pupils on roll exactly as an example MIS file in docs/examples/ knows them, so that
    # importing that file in the demo shows what an import does (docs/pupil-import.md).
    mis_pupils: tuple[MisPupil, ...] = ()


OPERATOR: Final = Account("admin@riverside-trust.example", "Nadia Forsyth")
TRUST_LEAD: Final = Account("trustlead@riverside-trust.example", "Priya Raman")


# --- Riverside Academy, Leeds -------------------------------------------------------------

_LEEDS_NAMES = (
    NameGroup(
        60,
        female=(
            "Amelia", "Olivia", "Isla", "Ava", "Grace", "Freya", "Lily", "Evie", "Poppy",
            "Ruby", "Chloe", "Megan", "Jessica", "Holly", "Keira", "Summer", "Esme", "Hannah",
            "Sophie", "Daisy", "Imogen", "Ellie", "Molly", "Lauren",
        ),
        male=(
            "Oliver", "Jack", "Harry", "George", "Noah", "Leo", "Alfie", "Charlie", "Freddie",
            "Archie", "Callum", "Kieran", "Connor", "Reece", "Jayden", "Ethan", "Jacob",
            "Samuel", "Max", "Lewis", "Finley", "Theo", "Harvey", "Liam",
        ),
        family=(
            "Smith", "Jones", "Taylor", "Brown", "Wilson", "Walker", "Wood", "Thompson",
            "Robinson", "Wright", "Hall", "Green", "Clarke", "Lewis", "Shaw", "Holmes",
            "Sutcliffe", "Barraclough", "Firth", "Priestley", "Haigh", "Bailey", "Marshall",
            "Hudson", "Atkinson", "Dawson", "Pearson", "Lister",
        ),
    ),
    NameGroup(
        12,
        female=("Aisha", "Zara", "Maryam", "Hafsa", "Amira", "Inaya", "Sana", "Alisha"),
        male=("Muhammad", "Ibrahim", "Yusuf", "Ayaan", "Zain", "Haris", "Bilal", "Hamza"),
        family=("Khan", "Hussain", "Ahmed", "Akhtar", "Ali", "Mahmood", "Iqbal", "Rashid"),
    ),
    NameGroup(
        6,
        female=("Priya", "Anaya", "Simran", "Jasmin", "Riya"),
        male=("Arjun", "Rohan", "Dev", "Jaspreet", "Aarav"),
        family=("Patel", "Mistry", "Sharma", "Gill", "Sandhu", "Chauhan"),
    ),
    NameGroup(
        8,
        female=("Precious", "Tiana", "Adaeze", "Abena", "Shanice", "Imani"),
        male=("Kwame", "Tobi", "Kofi", "Jermaine", "Chidi", "Nathaniel"),
        family=("Mensah", "Okoro", "Adeyemi", "Boateng", "Campbell", "Francis", "Asante"),
    ),
    NameGroup(
        7,
        female=("Maja", "Zuzanna", "Julia", "Oliwia", "Wiktoria"),
        male=("Oskar", "Szymon", "Jakub", "Filip", "Kacper"),
        family=("Kowalczyk", "Wójcik", "Kaczmarek", "Mazur", "Krawczyk", "Zając"),
    ),
    NameGroup(
        4,
        female=("Niamh", "Erin", "Aoife", "Ciara"),
        male=("Cian", "Ronan", "Conor", "Seán"),
        family=("Murphy", "O'Brien", "Kelly", "Byrne", "Doyle"),
    ),
    NameGroup(
        3,
        female=("Mei", "Linh", "Anna"),
        male=("Jun", "Minh", "Daniel"),
        family=("Chen", "Nguyen", "Wong", "Tran"),
    ),
)  # fmt: skip


RIVERSIDE: Final = SchoolSpec(
    key="riverside",
    name="Riverside Academy",
    urn="140123",
    jurisdiction=Jurisdiction.ENGLAND_WALES,
    reference_prefix="RA",
    triage_preset=TriagePreset.ALL,
    staff=(
        StaffAccount("dsl@riverside.example", "Sarah Whitaker", Role.DSL, "F"),
        StaffAccount("deputy@riverside.example", "Daniel Okafor", Role.DEPUTY_DSL, "M"),
        StaffAccount("head@riverside.example", "Helen Marsh", Role.HEADTEACHER, "F"),
        StaffAccount("staff@riverside.example", "James Pickering", Role.STAFF, "M"),
        StaffAccount("data@riverside.example", "Grace Lindqvist", Role.DATA_MANAGER, "F"),
    ),
    # Leeds is LA 383; most pupils arrive with a UPN from a Leeds primary school.
    own_upn_code=Feeder("383", "4021"),
    feeders=(
        Feeder("383", "2041"),
        Feeder("383", "2107"),
        Feeder("383", "2233"),
        Feeder("383", "2318"),
        Feeder("383", "2450"),
        Feeder("383", "3301"),
        Feeder("383", "3412"),
        Feeder("380", "2044"),  # Bradford
        Feeder("384", "2129"),  # Wakefield
        Feeder("382", "2078"),  # Kirklees
    ),
    names=_LEEDS_NAMES,
    roster_seed=140123,
    story_pupils=(
        StoryPupil("chloe", "Chloe", "Hirst", "F", 11, "relationship", 16),
        StoryPupil("reece", "Reece", "Ackroyd", "M", 11, "relationship", 16),
        StoryPupil("kacper", "Kacper", "Nowak", "M", 8, "under_13", 12),
        StoryPupil("lily_mae", "Lily-Mae", "Walsh", "F", 8, "under_13", 12),
        StoryPupil("tyler", "Tyler", "Brooke", "M", 8, "under_13", 13),
        StoryPupil("ethan", "Ethan", "Mensah", "M", 9, "sextortion", 14),
        StoryPupil(
            "jade",
            "Jade",
            "Fletcher",
            "F",
            10,
            "not_informed",
            15,
            social_care=SocialCare.PREVIOUS,
            child_protection_history=True,
        ),
        StoryPupil("grace", "Grace", "Holroyd", "F", 10, "closed", 15),
        StoryPupil("harvey", "Harvey", "Dean", "M", 10, "closed", 15, send=True),
        StoryPupil("mohammed", "Mohammed", "Iqbal", "M", 10, "closed", 15),
    ),
    incident_times={
        "relationship": Moment(9, 10, 50),
        "under_13": Moment(16, 9, 5),
        "sextortion": Moment(1, 15, 40),
        "not_informed": Moment(24, 8, 55),
        "closed": Moment(58, 16, 20),
    },
    # Leeds LA 383, establishment 4021: docs/examples/pupils-ctf.xml is addressed here.
    dfe_number="3834021",
    # docs/examples/pupils-ctf.xml gives her preferred name, "Amy": one changed pupil.
    mis_pupils=(MisPupil("D383402123006", "Amara", "Okafor", dt.date(2015, 1, 20), "F", "7"),),
)


# --- Colegio Británico Costa del Sol, Marbella --------------------------------------------

_ES_FAMILY = (
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Romero",
    "Navarro", "Torres", "Domínguez", "Gil", "Vázquez", "Serrano", "Ramos", "Molina", "Ortega",
    "Castillo", "Ortiz", "Rubio", "Marín", "Delgado", "Cortés",
)  # fmt: skip
_EXPAT_FEMALE = (
    "Sophie", "Emily", "Isabella", "Charlotte", "Lucy", "Ella", "Mia", "Scarlett", "Phoebe",
    "Georgia", "Maisie", "Harriet", "Freya", "Matilda", "Eva", "Rosie", "Alice",
)  # fmt: skip
_EXPAT_MALE = (
    "Jack", "Thomas", "William", "James", "Henry", "Oscar", "Finn", "Louis", "Samuel", "Joshua",
    "Benjamin", "Daniel", "Luke", "Toby", "Ryan", "Adam", "Nathan",
)  # fmt: skip
_EXPAT_FAMILY = (
    "Clarke", "Hughes", "Morrison", "Baker", "Evans", "Roberts", "Edwards", "Turner", "Bennett",
    "Collins", "Stewart", "Harrison", "Mitchell", "Cooper", "Ward", "Fisher", "Lawson",
    "Palmer", "Reid", "Dawson", "Russell",
)  # fmt: skip
_ES_GIVEN_FEMALE = (
    "Lucía", "Martina", "Sofía", "Valeria", "Paula", "Daniela", "Carmen", "Julia", "Alba",
    "Noa", "Claudia", "Irene", "Elena", "Marta", "Inés", "Triana", "Rocío", "Candela",
)  # fmt: skip
_ES_GIVEN_MALE = (
    "Hugo", "Mateo", "Martín", "Pablo", "Alejandro", "Álvaro", "Lucas", "Manuel", "Javier",
    "Adrián", "Diego", "Marcos", "Sergio", "Rafael", "Antonio", "Gonzalo", "Iker", "Bruno",
)  # fmt: skip

_COSTA_NAMES = (
    NameGroup(45, female=_EXPAT_FEMALE, male=_EXPAT_MALE, family=_EXPAT_FAMILY),
    NameGroup(
        35,
        female=_ES_GIVEN_FEMALE,
        male=_ES_GIVEN_MALE,
        family=_ES_FAMILY,
        second_family=_ES_FAMILY,
    ),
    # A Spanish father and a British mother: both family names, the Spanish one first.
    NameGroup(
        12,
        female=_EXPAT_FEMALE[:8] + _ES_GIVEN_FEMALE[:8],
        male=_EXPAT_MALE[:8] + _ES_GIVEN_MALE[:8],
        family=_ES_FAMILY,
        second_family=_EXPAT_FAMILY,
    ),
    # Dutch and Scandinavian families, common on the Costa del Sol.
    NameGroup(
        8,
        female=("Sanne", "Freja", "Ingrid", "Lotte", "Saskia"),
        male=("Lars", "Mats", "Sven", "Daan", "Emil"),
        family=("Andersen", "Van Dijk", "Johansson", "Nielsen", "De Vries", "Lindqvist"),
    ),
)


COSTA: Final = SchoolSpec(
    key="costa",
    name="Colegio Británico Costa del Sol",
    # The Junta de Andalucía's 8-digit centre code (29 = Málaga province).
    urn="29016789",
    jurisdiction=Jurisdiction.SPAIN,
    reference_prefix="CB",
    triage_preset=TriagePreset.UKCCIS_2016,
    staff=(
        StaffAccount("dsl@costadelsol.example", "Claire Henderson", Role.DSL, "F"),
        StaffAccount("deputy@costadelsol.example", "Javier Morales Ruiz", Role.DEPUTY_DSL, "M"),
        StaffAccount("head@costadelsol.example", "Mark Ellison", Role.HEADTEACHER, "M"),
        StaffAccount("staff@costadelsol.example", "Lucía Fernández Ortega", Role.STAFF, "F"),
    ),
    # LA 702 is the DfE code used for pupils educated overseas; pupils who started school
    # in England keep the UPN their first school gave them.
    own_upn_code=Feeder("702", "6021"),
    feeders=(
        Feeder("702", "6021"),
        Feeder("702", "6021"),
        Feeder("702", "6021"),
        Feeder("936", "2045"),  # Surrey
        Feeder("850", "2264"),  # Hampshire
        Feeder("330", "2101"),  # Birmingham
        Feeder("873", "2190"),  # Cambridgeshire
        Feeder("213", "2512"),  # Westminster
    ),
    names=_COSTA_NAMES,
    roster_seed=29016789,
    story_pupils=(
        StoryPupil("sophie", "Sophie", "Clarke", "F", 12, "relationship", 17),
        StoryPupil("alejandro", "Alejandro", "Ruiz Navarro", "M", 12, "relationship", 17),
        StoryPupil("daniel", "Daniel", "Hughes", "M", 10, "sextortion", 15),
        StoryPupil("martina", "Martina", "López Gil", "F", 9, "group_share", 14),
        StoryPupil("hugo", "Hugo", "Romero Díaz", "M", 9, "group_share", 14),
        StoryPupil("jack", "Jack", "Morrison", "M", 9, "group_share", 14),
        StoryPupil("isabella", "Isabella", "Moreno Baker", "F", 8, "never_sent", 12),
    ),
    incident_times={
        "relationship": Moment(12, 8, 45),
        "sextortion": Moment(20, 8, 10),
        "group_share": Moment(2, 13, 10),
        "never_sent": Moment(45, 18, 30),
    },
)

SCHOOLS: Final = (RIVERSIDE, COSTA)


def demo_totp_key_bytes() -> bytes:
    """The demo key as the bytes django-otp computes codes from."""
    return b32decode(DEMO_TOTP_KEY)

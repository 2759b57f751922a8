"""factory_boy factories for every domain model.

Factories build valid rows directly; tests of behaviour go through services and HTTP.
"""

from __future__ import annotations

import datetime as dt
import string

import factory
from django.utils import timezone

from incidents.models import CameToLight, Incident, Involvement, PersonKind
from safeguarding.models import Jurisdiction, Pupil, School, Sex, Trust, User, YearGroup
from safeguarding.upn import check_letter

PASSWORD = "correct horse battery staple"


def _prefix(n: int) -> str:
    letters = string.ascii_uppercase
    return "T" + letters[n // 26 % 26] + letters[n % 26]


def valid_upn(n: int) -> str:
    body = f"383{4000 + n % 6000:04d}24{n % 1000:03d}"
    return check_letter(body) + body


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@school.example")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)


class TrustFactory(factory.django.DjangoModelFactory[Trust]):
    class Meta:
        model = Trust

    name = factory.Sequence(lambda n: f"Trust {n}")


class SchoolFactory(factory.django.DjangoModelFactory[School]):
    class Meta:
        model = School

    trust = factory.SubFactory(TrustFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    urn = factory.Sequence(lambda n: f"{100000 + n}")
    reference_prefix = factory.Sequence(_prefix)
    jurisdiction = Jurisdiction.ENGLAND_WALES


class PupilFactory(factory.django.DjangoModelFactory[Pupil]):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    upn = factory.Sequence(valid_upn)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = dt.date(2010, 5, 17)
    sex = Sex.FEMALE
    year_group = YearGroup.Y10


class IncidentFactory(factory.django.DjangoModelFactory[Incident]):
    class Meta:
        model = Incident

    school = factory.SubFactory(SchoolFactory)
    reference = factory.Sequence(lambda n: f"TST-2026-{n + 1:04d}")
    came_to_light_how = CameToLight.DISCLOSURE_PUPIL
    came_to_light_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2))
    narrative = "A pupil told her form tutor that a photo had been shared."
    created_by = factory.SubFactory(UserFactory)


class InvolvementFactory(factory.django.DjangoModelFactory[Involvement]):
    class Meta:
        model = Involvement

    incident = factory.SubFactory(IncidentFactory)
    kind = PersonKind.PUPIL
    pupil = factory.SubFactory(PupilFactory, school=factory.SelfAttribute("..incident.school"))
    is_pictured = True


# --- Devices and deletion (issue 5 item 7; 002 §3.8, §5.2) ---------------------------------

from incidents.models import DeletionRequest, DeviceSeizure  # noqa: E402


class DeviceSeizureFactory(factory.django.DjangoModelFactory[DeviceSeizure]):
    """A device taken from a pupil of the incident, switched off and locked away."""

    class Meta:
        model = DeviceSeizure

    incident = factory.SubFactory(IncidentFactory)
    involvement = factory.SubFactory(
        InvolvementFactory, incident=factory.SelfAttribute("..incident")
    )
    device = "Black iPhone 13 in a red case"
    seized_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=3))
    seized_by = factory.SubFactory(UserFactory)
    switched_off = True
    stored_where = "Safe in the DSL's office"
    recorded_by = factory.SelfAttribute("seized_by")


class DeletionRequestFactory(factory.django.DjangoModelFactory[DeletionRequest]):
    """An open request to a pupil of the incident, due tomorrow."""

    class Meta:
        model = DeletionRequest

    incident = factory.SubFactory(IncidentFactory)
    involvement = factory.SubFactory(
        InvolvementFactory, incident=factory.SelfAttribute("..incident")
    )
    requested_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=3))
    requested_by = factory.SubFactory(UserFactory)
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    where = "Her phone, iCloud Photos and Snapchat memories"
    consequences_explained = True
    recorded_by = factory.SelfAttribute("requested_by")


# --- Agency contacts (issue 6 item 1; 002 §3.6–§3.7) ---------------------------------------

from referrals.models import Agency, AgencyContact  # noqa: E402


class AgencyContactFactory(factory.django.DjangoModelFactory[AgencyContact]):
    """A school's police contact; pass `school=None, trust=…` for a trust default."""

    class Meta:
        model = AgencyContact

    agency = Agency.POLICE
    school = factory.SubFactory(SchoolFactory)
    trust = None
    name = factory.Sequence(lambda n: f"PC Officer {n}, safer schools officer")
    phone = "0113 000 0000"

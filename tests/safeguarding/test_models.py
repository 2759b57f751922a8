import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from safeguarding.models import Jurisdiction, Pupil, SocialCare, User
from tests.factories import PupilFactory, SchoolFactory, valid_upn

pytestmark = pytest.mark.django_db


def test_users_log_in_by_email_stored_lower_case():
    user = User.objects.create_user("Dana.Lead@School.Example", "a long password 1", full_name="D")
    assert user.email == "dana.lead@school.example"
    assert User.USERNAME_FIELD == "email"


def test_user_without_email_is_refused():
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user("", "x")


def test_superuser_is_staff_and_superuser():
    user = User.objects.create_superuser("op@example.org", "a long password 1", full_name="Op")
    assert user.is_staff and user.is_superuser


def test_pupil_upn_validated_on_clean():
    pupil = PupilFactory.build(school=SchoolFactory(), upn="A801200005001")
    with pytest.raises(ValidationError) as error:
        pupil.full_clean()
    assert "upn" in error.value.message_dict
    assert "check letter" in error.value.message_dict["upn"][0]


def test_pupil_with_valid_upn_passes_clean():
    PupilFactory.build(school=SchoolFactory(), upn="B801200005001").full_clean()


def test_pupil_upn_is_unique_within_a_school():
    first = PupilFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PupilFactory(school=first.school, upn=first.upn)


def test_same_upn_may_appear_in_another_school():
    first = PupilFactory()
    PupilFactory(upn=first.upn)  # a pupil who moved school keeps their UPN


def test_looked_after_child_must_have_current_social_care():
    pupil = PupilFactory.build(school=SchoolFactory(), looked_after=True)
    with pytest.raises(ValidationError) as error:
        pupil.full_clean()
    assert "social_care" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        PupilFactory(looked_after=True, social_care=SocialCare.NONE)


def test_looked_after_with_current_social_care_is_valid():
    PupilFactory(looked_after=True, social_care=SocialCare.CURRENT).full_clean()


def test_future_date_of_birth_is_refused():
    pupil = PupilFactory.build(school=SchoolFactory(), date_of_birth=dt.date(2999, 1, 1))
    with pytest.raises(ValidationError) as error:
        pupil.full_clean()
    assert "date_of_birth" in error.value.message_dict


def test_pupil_age_and_initials():
    pupil = Pupil(given_name="Amira", family_name="Khan", date_of_birth=dt.date(2012, 2, 29))
    assert pupil.initials == "AK"
    assert pupil.full_name == "Amira Khan"
    assert pupil.age_on(dt.date(2025, 2, 28)) == 12
    assert pupil.age_on(dt.date(2025, 3, 1)) == 13


def test_england_urn_is_six_digits():
    school = SchoolFactory.build(trust=None, urn="12345")
    with pytest.raises(ValidationError) as error:
        school.full_clean()
    assert "6 digits" in error.value.message_dict["urn"][0]


def test_school_code_abroad_may_be_longer():
    SchoolFactory.build(trust=None, urn="29016789", jurisdiction=Jurisdiction.SPAIN).full_clean()


def test_reference_prefix_is_capital_letters_normalised():
    school = SchoolFactory.build(trust=None, reference_prefix="ra")
    school.full_clean()
    assert school.reference_prefix == "RA"
    school.reference_prefix = "R1"
    with pytest.raises(ValidationError) as error:
        school.full_clean()
    assert "reference_prefix" in error.value.message_dict


def test_age_gap_parameter_is_bounded_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolFactory(significant_age_gap_years=0)


def test_spain_forbids_staff_searching_devices():
    assert not SchoolFactory.build(jurisdiction=Jurisdiction.SPAIN).staff_may_search_devices
    assert SchoolFactory.build(jurisdiction=Jurisdiction.ENGLAND_WALES).staff_may_search_devices


def test_factory_upns_are_valid():
    from safeguarding.upn import upn_problem

    assert all(upn_problem(valid_upn(n)) is None for n in range(50))

"""Fixtures shared by the whole suite: the named people every permission test uses."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from safeguarding.models import Role, School, User
from safeguarding.services import membership_grant
from tests.factories import SchoolFactory, TrustFactory, UserFactory


@dataclass(frozen=True)
class People:
    """A school with one person in each role, and a second school of the same trust."""

    school: School
    other_school: School
    operator: User
    dsl: User
    deputy: User
    colleague_dsl: User
    head: User
    staff: User
    trust_lead: User
    other_dsl: User
    nobody: User


def grant(user: User, school: School, role: str, by: User) -> User:
    membership_grant(user=user, school=school, role=role, granted_by=by)
    return user


@pytest.fixture
def people(db: None) -> People:
    trust = TrustFactory(name="Riverside Learning Trust")
    school = SchoolFactory(trust=trust, name="Riverside Academy", reference_prefix="RA")
    other = SchoolFactory(trust=trust, name="Hillside School", reference_prefix="HS")
    operator = UserFactory(email="operator@trust.example", is_superuser=True, is_staff=True)
    trust_lead = UserFactory(email="trustlead@trust.example", full_name="Tara Lead")
    grant(trust_lead, school, Role.TRUST_LEAD, operator)
    grant(trust_lead, other, Role.TRUST_LEAD, operator)
    return People(
        school=school,
        other_school=other,
        operator=operator,
        dsl=grant(
            UserFactory(email="dsl@riverside.example", full_name="Dana Lead"),
            school,
            Role.DSL,
            operator,
        ),
        deputy=grant(
            UserFactory(email="deputy@riverside.example", full_name="Dev Deputy"),
            school,
            Role.DEPUTY_DSL,
            operator,
        ),
        colleague_dsl=grant(
            UserFactory(email="dsl2@riverside.example", full_name="Cal Colleague"),
            school,
            Role.DSL,
            operator,
        ),
        head=grant(
            UserFactory(email="head@riverside.example", full_name="Hannah Head"),
            school,
            Role.HEADTEACHER,
            operator,
        ),
        staff=grant(
            UserFactory(email="staff@riverside.example", full_name="Sam Staff"),
            school,
            Role.STAFF,
            operator,
        ),
        trust_lead=trust_lead,
        other_dsl=grant(
            UserFactory(email="dsl@hillside.example", full_name="Olly Other"),
            other,
            Role.DSL,
            operator,
        ),
        nobody=UserFactory(email="nobody@riverside.example", full_name="No Role"),
    )

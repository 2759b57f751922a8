"""Fixtures shared by the whole suite: the named people every permission test uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

# two_factor is imported for its side effect too: the receiver that marks the password as
# just typed at sign-in, which `force_login` relies on before any request has loaded the
# middleware.
from safeguarding import (
    system_packages,
    two_factor,  # noqa: F401
)
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


def pytest_configure(config: pytest.Config) -> None:
    """Stop the run before any test when a system package is missing (Chromium, poppler,
    Pango, the fonts, Node), with the one line that names it and the command installing
    it: the browser and PDF tests must fail, never pass by skipping, or be lost among
    errors about a browser that say nothing of what to install. Checked once, in the
    controller of an xdist run, not again in each worker."""
    if hasattr(config, "workerinput"):
        return
    absent = system_packages.missing()
    if absent:
        raise pytest.UsageError(system_packages.advice(absent))


def pytest_collection_modifyitems(config, items):
    """Deselect (not skip) PostgreSQL-only tests when the suite runs on SQLite; CI runs
    the suite on both, so every test runs somewhere."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    selected = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(selected) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in selected])
        items[:] = selected


class TwoFactorClient(Client):
    """The test client, signing people in fully: password and second factor.

    Most tests are about what a signed-in person may do, not about signing in, so
    `force_login` also gives the user a confirmed authenticator (if they have none) and
    marks the session as verified with it. Tests of two-factor itself use
    `force_login_without_two_factor`.
    """

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test authenticator")
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    def force_login_without_two_factor(self, user: Any, backend: str | None = None) -> None:
        """Signed in with the password only, as just after the sign-in page."""
        super().force_login(user, backend)
        session = self.session
        if session.pop(DEVICE_ID_SESSION_KEY, None) is not None:
            session.save()


@pytest.fixture
def client() -> TwoFactorClient:
    """pytest-django's `client`, signing people in with both factors (see above)."""
    return TwoFactorClient()

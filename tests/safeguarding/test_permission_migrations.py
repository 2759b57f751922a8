"""The migrations that add a permission to existing roles give it to everyone already
holding such a role, so a school's people can act from the upgrade on."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django.apps import apps
from guardian.shortcuts import remove_perm

from safeguarding.models import Role, User
from safeguarding.roles import (
    IMPORT_PUPILS,
    MANAGE_CALENDAR,
    ROLE_PERMISSIONS,
    TRANSFER_RECORDS,
    VIEW_CONCERNS,
    roles_with,
)
from safeguarding.services import membership_grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# (migration, its grant step, the roles it names, the permission, who holds it in `people`)
MIGRATIONS = [
    ("0006_concerns", "grant_view_concerns", "ROLES_THAT_READ_CONCERNS", VIEW_CONCERNS,
     ("dsl", "deputy", "head")),
    ("0007_pupil_import_fields", "grant_import_pupils", "ROLES_THAT_IMPORT_PUPILS",
     IMPORT_PUPILS, ("dsl", "deputy")),
]  # fmt: skip


def holds(user: User, school, codename: str) -> bool:
    # A fresh object: django-guardian caches permissions on the instance.
    return User.objects.get(pk=user.pk).has_perm(f"safeguarding.{codename}", school)


@pytest.mark.parametrize(("name", "step", "roles", "codename", "holders"), MIGRATIONS)
def test_the_migration_grants_the_roles_of_the_role_table(name, step, roles, codename, holders):
    named = getattr(importlib.import_module(f"safeguarding.migrations.{name}"), roles)
    # The roles as they were when the migration was written; a role added since (the
    # data manager imports pupils) gets the permission when granted.
    assert set(named) <= set(roles_with(codename))
    assert all(codename in ROLE_PERMISSIONS[role] for role in named)


@pytest.mark.parametrize(("name", "step", "roles", "codename", "holders"), MIGRATIONS)
def test_existing_holders_get_it_and_nobody_else(people, name, step, roles, codename, holders):
    grant = getattr(importlib.import_module(f"safeguarding.migrations.{name}"), step)
    users = [getattr(people, who) for who in holders]
    for user in users:
        remove_perm(f"safeguarding.{codename}", user, people.school)
        assert not holds(user, people.school, codename)
    grant(apps, None)
    grant(apps, None)  # twice changes nothing
    assert all(holds(user, people.school, codename) for user in users)
    others = {"dsl", "deputy", "head", "staff", "trust_lead", "nobody"} - set(holders)
    for who in others:
        assert not holds(getattr(people, who), people.school, codename)
    assert not holds(people.other_dsl, people.school, codename)


# 0008 names its roles inside each `grant_to_roles` step rather than in a constant:
# (its grant step, the permission, the roles it names, who holds it in `people` and the
# two people added below)
CALENDAR_GRANTS = [
    ("grant_manage_calendar", MANAGE_CALENDAR,
     ("dsl", "deputy_dsl", "headteacher", "acting_headteacher", "data_manager"),
     ("dsl", "deputy", "colleague_dsl", "head", "acting_head", "data_manager")),
    ("grant_transfer_records", TRANSFER_RECORDS, ("dsl", "deputy_dsl"),
     ("dsl", "deputy", "colleague_dsl")),
]  # fmt: skip


def _calendar_step(step: str):
    return getattr(importlib.import_module("safeguarding.migrations.0008_school_calendar"), step)


@pytest.mark.parametrize(("step", "codename", "roles", "holders"), CALENDAR_GRANTS)
def test_0008_grants_the_roles_of_the_role_table(step, codename, roles, holders):
    named = inspect.getclosurevars(_calendar_step(step)).nonlocals
    assert named["codename"] == codename
    assert set(named["roles"]) == set(roles) <= set(roles_with(codename))
    assert all(codename in ROLE_PERMISSIONS[role] for role in roles)


@pytest.mark.parametrize(("step", "codename", "roles", "holders"), CALENDAR_GRANTS)
def test_0008_existing_holders_get_it_and_nobody_else(people, step, codename, roles, holders):
    everyone = {
        who: getattr(people, who)
        for who in ("dsl", "deputy", "colleague_dsl", "head", "staff", "trust_lead", "nobody")
    }
    for who, role in (
        ("acting_head", Role.ACTING_HEADTEACHER),
        ("data_manager", Role.DATA_MANAGER),
    ):
        everyone[who] = UserFactory(email=f"{who}@riverside.example")
        membership_grant(
            user=everyone[who], school=people.school, role=role, granted_by=people.operator
        )
    for user in [*everyone.values(), people.other_dsl]:
        remove_perm(f"safeguarding.{codename}", user, people.school)
        remove_perm(f"safeguarding.{codename}", user, people.other_school)
        assert not holds(user, people.school, codename)
    grant = _calendar_step(step)
    grant(apps, None)
    grant(apps, None)  # twice changes nothing
    assert {who for who, user in everyone.items() if holds(user, people.school, codename)} == set(
        holders
    )
    assert not holds(people.other_dsl, people.school, codename)
    assert holds(people.other_dsl, people.other_school, codename)
    assert not holds(people.dsl, people.other_school, codename)

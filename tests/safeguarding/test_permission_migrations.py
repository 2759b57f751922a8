"""The migrations that add a permission to existing roles give it to everyone already
holding such a role, so a school's people can act from the upgrade on."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from guardian.shortcuts import remove_perm

from safeguarding.models import User
from safeguarding.roles import IMPORT_PUPILS, ROLE_PERMISSIONS, VIEW_CONCERNS, roles_with

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

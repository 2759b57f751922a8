"""The migration that adds `view_concerns` gives it to everyone already holding a role
that carries it, so a school's DSLs and headteacher read concerns from the upgrade on."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from guardian.shortcuts import remove_perm

from safeguarding.models import User
from safeguarding.roles import ROLE_PERMISSIONS, VIEW_CONCERNS, roles_with

pytestmark = pytest.mark.django_db

migration = importlib.import_module("safeguarding.migrations.0006_concerns")


def reads_concerns(user: User, school) -> bool:
    # A fresh object: django-guardian caches permissions on the instance.
    return User.objects.get(pk=user.pk).has_perm("safeguarding.view_concerns", school)


def test_the_migration_grants_the_roles_of_the_role_table():
    assert set(migration.ROLES_THAT_READ_CONCERNS) == set(roles_with(VIEW_CONCERNS))
    assert all(VIEW_CONCERNS in ROLE_PERMISSIONS[r] for r in migration.ROLES_THAT_READ_CONCERNS)


def test_existing_holders_get_it_and_nobody_else(people):
    holders = (people.dsl, people.deputy, people.head)
    for user in holders:
        remove_perm("safeguarding.view_concerns", user, people.school)
        assert not reads_concerns(user, people.school)
    migration.grant_view_concerns(apps, None)
    migration.grant_view_concerns(apps, None)  # twice changes nothing
    assert all(reads_concerns(user, people.school) for user in holders)
    for user in (people.staff, people.trust_lead, people.nobody):
        assert not reads_concerns(user, people.school)
    assert not reads_concerns(people.other_dsl, people.school)

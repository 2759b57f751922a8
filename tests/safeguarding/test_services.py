"""Granting and revoking roles: the permissions follow the role table exactly."""

import pytest
from django.core.exceptions import ValidationError

from safeguarding.models import Membership, Role
from safeguarding.roles import ROLE_PERMISSIONS, qualified
from safeguarding.services import membership_grant, membership_revoke
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL_SCHOOL_PERMISSIONS = {
    "view_incidents",
    "manage_incidents",
    "view_restricted_incidents",
    "sign_off",
    "change_triage_policy",
    "export_records",
    "report_concern",
    "view_concerns",
    "import_pupils",
    "manage_calendar",
    "transfer_records",
}


def granted(user, school):
    # A fresh user object: django-guardian caches permissions on the instance.
    fresh = type(user).objects.get(pk=user.pk)
    return {
        codename
        for codename in ALL_SCHOOL_PERMISSIONS
        if fresh.has_perm(qualified(codename), school)
    }


@pytest.mark.parametrize("role", list(Role))
def test_granting_a_role_gives_exactly_its_permissions_in_that_school_only(role):
    operator = UserFactory(is_superuser=False)
    school, other = SchoolFactory(), SchoolFactory()
    user = UserFactory()
    membership_grant(user=user, school=school, role=role, granted_by=operator)
    assert granted(user, school) == set(ROLE_PERMISSIONS[role])
    assert granted(user, other) == set()


def test_every_school_permission_is_in_the_role_table_or_deliberately_unmapped():
    from safeguarding.models import School

    declared = {codename for codename, _ in School._meta.permissions}
    assert declared == ALL_SCHOOL_PERMISSIONS
    mapped = set().union(*ROLE_PERMISSIONS.values())
    assert mapped <= declared


def test_unknown_role_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as error:
        membership_grant(
            user=UserFactory(), school=SchoolFactory(), role="caretaker", granted_by=UserFactory()
        )
    assert "role" in error.value.message_dict


def test_the_same_role_twice_is_refused():
    user, school, by = UserFactory(), SchoolFactory(), UserFactory()
    membership_grant(user=user, school=school, role=Role.DSL, granted_by=by)
    with pytest.raises(ValidationError, match="already has this role"):
        membership_grant(user=user, school=school, role=Role.DSL, granted_by=by)


def test_revoking_removes_permissions_and_keeps_the_row():
    user, school, by = UserFactory(), SchoolFactory(), UserFactory()
    membership = membership_grant(user=user, school=school, role=Role.DSL, granted_by=by)
    membership_revoke(membership=membership, revoked_by=by)
    assert granted(user, school) == set()
    kept = Membership.objects.get(pk=membership.pk)
    assert kept.revoked_by == by and kept.revoked_at is not None and not kept.is_active
    assert kept.history.count() == 2


def test_revoking_one_role_keeps_what_another_role_still_gives():
    user, school, by = UserFactory(), SchoolFactory(), UserFactory()
    dsl = membership_grant(user=user, school=school, role=Role.DSL, granted_by=by)
    membership_grant(user=user, school=school, role=Role.HEADTEACHER, granted_by=by)
    membership_revoke(membership=dsl, revoked_by=by)
    assert granted(user, school) == set(ROLE_PERMISSIONS[Role.HEADTEACHER])


def test_revoking_twice_is_refused():
    user, school, by = UserFactory(), SchoolFactory(), UserFactory()
    membership = membership_grant(user=user, school=school, role=Role.STAFF, granted_by=by)
    membership_revoke(membership=membership, revoked_by=by)
    with pytest.raises(ValidationError, match="already been revoked"):
        membership_revoke(membership=membership, revoked_by=by)


def test_a_role_can_be_granted_again_after_revocation():
    user, school, by = UserFactory(), SchoolFactory(), UserFactory()
    first = membership_grant(user=user, school=school, role=Role.DSL, granted_by=by)
    membership_revoke(membership=first, revoked_by=by)
    membership_grant(user=user, school=school, role=Role.DSL, granted_by=by)
    assert granted(user, school) == set(ROLE_PERMISSIONS[Role.DSL])
    assert Membership.objects.filter(user=user, school=school).count() == 2


def test_grant_history_names_who_granted():
    user, school, by = UserFactory(), SchoolFactory(), UserFactory()
    membership = membership_grant(user=user, school=school, role=Role.DSL, granted_by=by)
    assert membership.history.get().history_user == by


def test_revoking_from_a_stale_copy_is_refused():
    user, school, by, other = UserFactory(), SchoolFactory(), UserFactory(), UserFactory()
    membership = membership_grant(user=user, school=school, role=Role.DSL, granted_by=by)
    stale_copy = Membership.objects.get(pk=membership.pk)
    membership_revoke(membership=membership, revoked_by=by)
    with pytest.raises(ValidationError, match="already been revoked"):
        membership_revoke(membership=stale_copy, revoked_by=other)
    assert Membership.objects.get(pk=membership.pk).revoked_by == by

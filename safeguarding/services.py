"""Writes to the core models. Each service is keyword-only and runs in one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from safeguarding.audit import save_audited
from safeguarding.models import Membership, Pupil, School, User
from safeguarding.roles import ROLE_PERMISSIONS, qualified
from safeguarding.signals import pupil_saved


def _active_roles(*, user: User, school: School) -> set[str]:
    return set(
        Membership.objects.filter(user=user, school=school, revoked_at__isnull=True).values_list(
            "role", flat=True
        )
    )


@transaction.atomic
def membership_grant(*, user: User, school: School, role: str, granted_by: User) -> Membership:
    """Give `user` a role in `school` and the school-level permissions it carries."""
    if role not in ROLE_PERMISSIONS:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if role in _active_roles(user=user, school=school):
        raise ValidationError({"role": f"{user} already has this role in {school}."})
    membership = save_audited(
        Membership(user=user, school=school, role=role, granted_by=granted_by), actor=granted_by
    )
    for codename in ROLE_PERMISSIONS[role]:
        assign_perm(qualified(codename), user, school)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, revoked_by: User) -> Membership:
    """End a role. Permissions another active role in the same school still gives stay."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.revoked_at is not None:
        raise ValidationError("This role has already been revoked.")
    membership.revoked_at = timezone.now()
    membership.revoked_by = revoked_by
    save_audited(membership, actor=revoked_by)
    still_granted: set[str] = set()
    for role in _active_roles(user=membership.user, school=membership.school):
        still_granted |= ROLE_PERMISSIONS[role]
    for codename in ROLE_PERMISSIONS[membership.role] - still_granted:
        remove_perm(qualified(codename), membership.user, membership.school)
    return membership


@transaction.atomic
def pupil_save(*, actor: User, pupil: Pupil) -> Pupil:
    """Save a pupil record, then tell the apps above (`safeguarding.signals.pupil_saved`):
    a pupil's date of birth and vulnerability are triage facts, so the incidents app
    re-triages the pupil's open incidents in the same transaction. The school's row is
    locked first, as a pupil import locks it, so an edit never lands between an import's
    reading of the roll and its writing (docs/pupil-import.md#applying)."""
    School.objects.select_for_update().filter(pk=pupil.school_id).first()
    save_audited(pupil, actor=actor)
    pupil_saved.send(sender=Pupil, actor=actor, pupil=pupil)
    return pupil

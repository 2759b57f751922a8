import pytest
from django.core.management import CommandError, call_command

from safeguarding.models import Membership, Role
from safeguarding.roles import qualified

pytestmark = pytest.mark.django_db


def test_grant_then_revoke_through_the_commands(people, capsys):
    call_command(
        "grant_role",
        people.nobody.email,
        people.school.urn,
        Role.DEPUTY_DSL,
        by=people.operator.email,
    )
    assert "is now Deputy designated safeguarding lead" in capsys.readouterr().out
    membership = Membership.objects.get(user=people.nobody, revoked_at__isnull=True)
    assert membership.granted_by == people.operator
    fresh = type(people.nobody).objects.get(pk=people.nobody.pk)
    assert fresh.has_perm(qualified("manage_incidents"), people.school)

    call_command(
        "revoke_role",
        people.nobody.email.upper(),
        people.school.urn,
        Role.DEPUTY_DSL,
        by=people.operator.email,
    )
    membership.refresh_from_db()
    assert membership.revoked_by == people.operator
    fresh = type(people.nobody).objects.get(pk=people.nobody.pk)
    assert not fresh.has_perm(qualified("manage_incidents"), people.school)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ghost@example.org", "URN", Role.DSL], "No user has the email address ghost@example.org"),
        (["dsl@riverside.example", "999999", Role.DSL], "No school has the URN 999999"),
    ],
)
def test_grant_errors_name_what_is_wrong(people, args, message):
    if args[1] == "URN":
        args[1] = people.school.urn
    with pytest.raises(CommandError, match=message):
        call_command("grant_role", *args, by=people.operator.email)


def test_granting_an_existing_role_is_refused(people):
    with pytest.raises(CommandError, match="already has this role"):
        call_command(
            "grant_role", people.dsl.email, people.school.urn, Role.DSL, by=people.operator.email
        )


def test_revoking_a_role_not_held_is_refused(people):
    with pytest.raises(CommandError, match="has no current headteacher role"):
        call_command(
            "revoke_role",
            people.dsl.email,
            people.school.urn,
            Role.HEADTEACHER,
            by=people.operator.email,
        )

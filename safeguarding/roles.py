"""Which actions each role may take in a school: the one table permissions come from.

Each action is a permission on `School` (its `Meta.permissions`), granted per school
with django-guardian when a role is granted (`safeguarding.services.membership_grant`).
A permission that no role maps to is granted to nobody, so an unmapped action fails
closed. docs/security.md prints the same table.
"""

from __future__ import annotations

from safeguarding.models import Role

VIEW_INCIDENTS = "view_incidents"
MANAGE_INCIDENTS = "manage_incidents"
VIEW_RESTRICTED_INCIDENTS = "view_restricted_incidents"
SIGN_OFF = "sign_off"
CHANGE_TRIAGE_POLICY = "change_triage_policy"
EXPORT_RECORDS = "export_records"
REPORT_CONCERN = "report_concern"
VIEW_CONCERNS = "view_concerns"
IMPORT_PUPILS = "import_pupils"
MANAGE_CALENDAR = "manage_calendar"
TRANSFER_RECORDS = "transfer_records"

HEADTEACHER_PERMISSIONS = frozenset(
    {
        VIEW_INCIDENTS,
        VIEW_RESTRICTED_INCIDENTS,
        SIGN_OFF,
        CHANGE_TRIAGE_POLICY,
        EXPORT_RECORDS,
        REPORT_CONCERN,
        VIEW_CONCERNS,
        MANAGE_CALENDAR,
    }
)
# The school's DSLs read, acknowledge and act on every concern staff report, keep the
# pupil list in step with the MIS (docs/pupil-import.md), set the school calendar
# (docs/calendar.md) and send and receive pupils' files (docs/transfers.md).
DSL_PERMISSIONS = frozenset(
    {
        VIEW_INCIDENTS,
        MANAGE_INCIDENTS,
        EXPORT_RECORDS,
        REPORT_CONCERN,
        VIEW_CONCERNS,
        IMPORT_PUPILS,
        MANAGE_CALENDAR,
        TRANSFER_RECORDS,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.DSL: DSL_PERMISSIONS,
    Role.DEPUTY_DSL: DSL_PERMISSIONS,
    Role.HEADTEACHER: HEADTEACHER_PERMISSIONS,
    # Named by the school while the headteacher is absent; signs off in their place.
    Role.ACTING_HEADTEACHER: HEADTEACHER_PERMISSIONS,
    # Staff report concerns and see only the ones they reported (docs/concerns.md).
    Role.STAFF: frozenset({REPORT_CONCERN}),
    # Imports the pupil list from the MIS and keeps the term dates, as in the MIS; no
    # incident, no concern.
    Role.DATA_MANAGER: frozenset({IMPORT_PUPILS, MANAGE_CALENDAR}),
    Role.TRUST_LEAD: frozenset({VIEW_INCIDENTS, CHANGE_TRIAGE_POLICY, EXPORT_RECORDS}),
}


def qualified(codename: str) -> str:
    """The permission's full name, as guardian and `user.has_perm` expect it."""
    return f"safeguarding.{codename}"


def roles_with(codename: str) -> list[str]:
    """The roles whose holders get `codename` in a school."""
    return [role for role, codenames in ROLE_PERMISSIONS.items() if codename in codenames]

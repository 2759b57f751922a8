"""Who has looked at or exported an incident's record, and when (issue 7 item 5).

Records about children are read only by those who need to; the school can show who has
read one. Every view of the incident page and its audit trail, every sign-off review,
download and export writes one `AccessLogEntry` here, the only writer. An entry is
written once and never changed or deleted (`WriteOnce`, `safeguarding.no_delete`), and
no page offers a form for it. The school's DSLs, who manage the record, and its
headteacher, who signs it off (002 §7.0), may read the log.
"""

from __future__ import annotations

from django.db.models import QuerySet

from incidents.access import may_manage
from incidents.models import AccessAction, AccessLogEntry, Incident
from safeguarding.access import holds
from safeguarding.models import User
from safeguarding.roles import SIGN_OFF

DETAIL_LENGTH = AccessLogEntry._meta.get_field("detail").max_length or 300


def access_record(
    *, user: User, incident: Incident, action: str, detail: str = ""
) -> AccessLogEntry:
    """Log one access: a single insert, inside the request's transaction, so a page that
    fails to render leaves no entry. A detail too long for the column is shortened."""
    if len(detail) > DETAIL_LENGTH:
        detail = detail[: DETAIL_LENGTH - 1] + "…"
    entry = AccessLogEntry(incident=incident, user=user, action=AccessAction(action), detail=detail)
    entry.save()
    return entry


def access_log_for(incident: Incident) -> QuerySet[AccessLogEntry]:
    """The incident's log, newest first, with who looked."""
    return (
        AccessLogEntry.objects.filter(incident=incident)
        .select_related("user")
        .order_by("-at", "-pk")
    )


def may_read_access_log(user: User, incident: Incident) -> bool:
    """The school's DSLs and deputies (who manage the record) and its headteacher or
    acting headteacher (who sign it off); not a trust lead or anyone else who only reads."""
    return may_manage(user, incident) or holds(user, SIGN_OFF, incident.school_id)

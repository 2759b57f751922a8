"""The caseload, the incident page and a pupil's chronology: read-only pages.

Thin views: the access helper answers 404 for anything the user may not read, and the
selectors in `incidents.case.selectors` build each page in a fixed number of queries.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from incidents.access import incident_for_user, may_manage
from incidents.access_log import access_record, may_read_access_log
from incidents.case.selectors import (
    caseload_for_user,
    incident_timeline,
    open_cases_for_user,
    pupil_chronology,
)
from incidents.concerns.selectors import concern_counts, waiting_for_user
from incidents.models import AccessAction, IncidentStatus
from incidents.people.selectors import people_involved, pupil_flags
from incidents.signoff.items import sign_off_items
from incidents.triage.selectors import newest_assessment
from pupils.selectors import record_changes
from referrals.timeliness import incident_timeliness
from safeguarding.access import (
    holds,
    memberships_for_user,
    pupil_for_user,
    pupil_search,
    pupils_for_user,
    school_for_user,
    schools_for_user,
)
from safeguarding.models import User
from safeguarding.roles import (
    EXPORT_RECORDS,
    IMPORT_PUPILS,
    MANAGE_CALENDAR,
    MANAGE_INCIDENTS,
    REPORT_CONCERN,
    SIGN_OFF,
    TRANSFER_RECORDS,
    VIEW_CONCERNS,
    VIEW_INCIDENTS,
)
from transfers.selectors import (
    incoming_rows,
    open_outgoing_rows,
    pupil_advance_shares,
    pupil_files_in,
    pupil_transfers,
    transfer_counts,
)

SEARCH_RESULTS = 50


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in person's dashboard. First, "Report a concern" for every school where
    they may (002 §3.2); a member of staff with no other role in one school goes straight
    to that page. Then the concerns waiting for a DSL, oldest first (counts only for a
    trust lead), their schools and role in each, the open incidents of every school they
    read with what is overdue, and a pupil search leading to a pupil's chronology."""
    user: User = request.user  # type: ignore[assignment]
    reporting = list(schools_for_user(user, REPORT_CONCERN))
    readable = set(schools_for_user(user, VIEW_INCIDENTS).values_list("pk", flat=True))
    concern_school_ids = set(schools_for_user(user, VIEW_CONCERNS).values_list("pk", flat=True))
    reads_concerns = bool(concern_school_ids)
    if len(reporting) == 1 and not readable and not reads_concerns:
        return redirect("concerns:report", school_id=reporting[0].pk)
    query = request.GET.get("q", "").strip()[:100]
    pupils = None
    if query:
        found = pupil_search(pupils_for_user(user), query).select_related("school")
        pupils = list(found[:SEARCH_RESULTS])
    waiting = waiting_for_user(user) if reads_concerns else []
    transfer_school_ids = set(schools_for_user(user, TRANSFER_RECORDS).values_list("pk", flat=True))
    today = timezone.localdate()
    return render(
        request,
        "safeguarding/home.html",
        {
            "memberships": memberships_for_user(user),
            "reporting_schools": reporting,
            "readable_school_ids": readable,
            "concern_school_ids": concern_school_ids,
            "waiting_concerns": waiting,
            "waiting_caption": f"Concerns waiting for a DSL ({len(waiting)}), oldest first",
            "concern_counts": [] if reads_concerns else concern_counts(user),
            "sign_off_school_ids": set(
                schools_for_user(user, SIGN_OFF).values_list("pk", flat=True)
            ),
            "import_school_ids": set(
                schools_for_user(user, IMPORT_PUPILS).values_list("pk", flat=True)
            ),
            "open_cases": open_cases_for_user(user) if readable else [],
            "transfer_school_ids": transfer_school_ids,
            "calendar_school_ids": set(
                schools_for_user(user, MANAGE_CALENDAR).values_list("pk", flat=True)
            ),
            "transfers_in": incoming_rows(user, today=today, waiting_only=True)
            if transfer_school_ids
            else [],
            "transfers_out": open_outgoing_rows(user, today=today) if transfer_school_ids else [],
            "transfer_counts": transfer_counts(user, today=today) if readable else [],
            "query": query,
            "pupils": pupils,
            "search_limit": SEARCH_RESULTS,
        },
    )


@require_GET
@login_required
def caseload(request: HttpRequest, school_id: int) -> HttpResponse:
    """One school's incidents for everyone who reads them, with a pupil search."""
    user: User = request.user  # type: ignore[assignment]
    school = school_for_user(user, school_id, VIEW_INCIDENTS)
    query = request.GET.get("q", "").strip()[:100]
    pupils = None
    if query:
        pupils = list(
            pupil_search(pupils_for_user(user).filter(school=school), query)[:SEARCH_RESULTS]
        )
    return render(
        request,
        "incidents/cases/caseload.html",
        {
            "school": school,
            "caseload": caseload_for_user(user, school),
            "query": query,
            "pupils": pupils,
            "search_limit": SEARCH_RESULTS,
            "may_log": holds(user, MANAGE_INCIDENTS, school.pk),
            "may_export": holds(user, EXPORT_RECORDS, school.pk),
        },
    )


@require_GET
@login_required
def pupil(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """A pupil's safeguarding chronology: the incidents the user may see, oldest first;
    then the pupil record's own changes (by hand or by an import from the MIS); where
    their file was sent, what was shared before the move, and files that arrived."""
    user: User = request.user  # type: ignore[assignment]
    found = pupil_for_user(user, pupil_id)
    may_transfer = holds(user, TRANSFER_RECORDS, found.school_id)
    return render(
        request,
        "incidents/cases/pupil.html",
        {
            "pupil": found,
            "age": found.age_on(timezone.localdate()),
            "flags": pupil_flags(found),
            "chronology": pupil_chronology(user, found),
            "record_changes": record_changes(found),
            "may_transfer": may_transfer,
            "transfers": pupil_transfers(user, found) if may_transfer else [],
            "advance_shares": pupil_advance_shares(user, found) if may_transfer else [],
            "files_in": pupil_files_in(user, found),
        },
    )


@require_GET
@login_required
def detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The incident: summary, triage, people involved and the whole record in order.
    Each view is logged, so the school can show who has read the record (issue 7)."""
    user: User = request.user  # type: ignore[assignment]
    incident = incident_for_user(user, incident_id)
    access_record(user=user, incident=incident, action=AccessAction.VIEWED)
    return render(
        request,
        "incidents/cases/detail.html",
        {
            "incident": incident,
            "assessment": newest_assessment(incident),
            "people": people_involved(incident),
            "timeline": incident_timeline(incident),
            "timeliness": incident_timeliness(incident),
            "sign_offs": sign_off_items([incident]),
            "may_read_access_log": may_read_access_log(user, incident),
            # Offers "Make a referral" beside an immediate-referral triage.
            "may_manage": may_manage(user, incident) and incident.status != IncidentStatus.CLOSED,
        },
    )

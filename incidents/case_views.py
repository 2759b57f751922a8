"""The caseload, the incident page and a pupil's chronology: read-only pages.

Thin views: the access helper answers 404 for anything the user may not read, and the
selectors in `incidents.case_selectors` build each page in a fixed number of queries.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from incidents.case_selectors import (
    caseload_for_user,
    incident_timeline,
    newest_assessment,
    people_involved,
    pupil_chronology,
    pupil_flags,
)
from incidents.selectors import incident_for_user
from safeguarding.access import (
    pupil_for_user,
    pupil_search,
    pupils_for_user,
    school_for_user,
    schools_for_user,
)
from safeguarding.models import User
from safeguarding.roles import MANAGE_INCIDENTS, VIEW_INCIDENTS

SEARCH_RESULTS = 50


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
            "may_log": schools_for_user(user, MANAGE_INCIDENTS).filter(pk=school.pk).exists(),
        },
    )


@require_GET
@login_required
def pupil(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """A pupil's safeguarding chronology: the incidents the user may see, oldest first."""
    user: User = request.user  # type: ignore[assignment]
    found = pupil_for_user(user, pupil_id)
    return render(
        request,
        "incidents/cases/pupil.html",
        {
            "pupil": found,
            "age": found.age_on(timezone.localdate()),
            "flags": pupil_flags(found),
            "chronology": pupil_chronology(user, found),
        },
    )


@require_GET
@login_required
def detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The incident: summary, triage, people involved and the whole record in order."""
    user: User = request.user  # type: ignore[assignment]
    incident = incident_for_user(user, incident_id)
    return render(
        request,
        "incidents/cases/detail.html",
        {
            "incident": incident,
            "assessment": newest_assessment(incident),
            "people": people_involved(incident),
            "timeline": incident_timeline(incident),
        },
    )

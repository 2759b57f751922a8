"""A school's referrals and how quickly its incidents were reviewed, decided and referred
(issue 6 item 8; 002 §7.0, "relevant referrals made in a timely manner").

Read-only: everyone who reads the school's incidents (DSLs, headteacher, trust lead) sees
it; anyone else is told there is no such school. Figures count only the incidents the
reader may see, so a restricted incident stays hidden from someone not allowed it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from referrals.summary.forms import DateRangeForm
from referrals.timeliness import school_summary
from safeguarding.access import holds, school_for_user
from safeguarding.roles import EXPORT_RECORDS, VIEW_INCIDENTS
from safeguarding.web.views import request_user


@require_GET
@login_required
def school(request: HttpRequest, school_id: int) -> HttpResponse:
    """The summary for a date range (the current school year unless dates are given)."""
    user = request_user(request)
    found = school_for_user(user, school_id, VIEW_INCIDENTS)
    form = DateRangeForm(request.GET, today=timezone.localdate())
    date_range = form.date_range()
    return render(
        request,
        "referrals/summary/school.html",
        {
            "school": found,
            "form": form,
            "summary": school_summary(user, found, *date_range) if date_range else None,
            "may_export": holds(user, EXPORT_RECORDS, found.pk),
        },
    )

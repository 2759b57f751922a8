"""An incident's audit trail and its access log (issue 7 items 5 and 6): read-only pages.

The audit trail shows every change to every part of the record, filtered by who made it
and when; anyone who reads the incident may see it, and their looking is logged. The
access log shows who has looked at or exported the record; only the school's DSLs and
headteacher may see it (others who read the incident get 403, anyone else 404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import dateformat
from django.views.decorators.http import require_GET

from incidents.access import incident_for_user
from incidents.access_log import access_log_for, access_record, may_read_access_log
from incidents.audit.trail import audit_entries, audit_people
from incidents.models import AccessAction
from safeguarding.models import User
from safeguarding.web.fields import DateField
from safeguarding.web.views import request_user
from safeguarding.web.widgets import Select

ACCESS_LOG_PAGE_SIZE = 100


class AuditFilterForm(forms.Form):
    """Who made the changes and between which dates, all optional. Sent by GET so a
    filtered trail can be bookmarked; each mistake is named on its field."""

    person = forms.TypedChoiceField(
        label="Changes made by",
        coerce=int,
        empty_value=None,
        required=False,
        widget=Select(),
        error_messages={"invalid_choice": "Choose a person from the list."},
    )
    date_from = DateField(
        label="From",
        required=False,
        help_text="Changes made on or after this date. For example, 1 3 2026.",
    )
    date_to = DateField(
        label="To",
        required=False,
        help_text="Changes made on or before this date. For example, 31 3 2026.",
    )

    def __init__(self, data: QueryDict, *, people: list[User]) -> None:
        super().__init__(data)
        self.people = {person.pk: person for person in people}
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            ("", "Anyone"),
            *((person.pk, str(person)) for person in people),
        ]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date.")
        return cleaned

    @property
    def in_words(self) -> str:
        """The filter given, in words ("changes by Dana Lead, from 1 March 2026"); "" for
        the whole trail or a filter that cannot be read."""
        if not self.is_valid():
            return ""
        person = self.cleaned_data["person"]
        parts = [f"changes by {self.people[person]}"] if person is not None else []
        for name, word in (("date_from", "from"), ("date_to", "to")):
            day: dt.date | None = self.cleaned_data[name]
            if day is not None:
                parts.append(f"{word} {dateformat.format(day, 'j F Y')}")
        return ", ".join(parts)


@require_GET
@login_required
def incident_audit(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The whole history of the record, oldest first; with a filter that cannot be read,
    the form says why and no entries are shown."""
    user = request_user(request)
    incident = incident_for_user(user, incident_id)
    form = AuditFilterForm(request.GET, people=audit_people(incident))
    entries = None
    if form.is_valid():
        entries = audit_entries(
            incident,
            person_id=form.cleaned_data["person"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    access_record(
        user=user,
        incident=incident,
        action=AccessAction.VIEWED_AUDIT,
        detail=f"Filtered: {form.in_words}" if form.in_words else "",
    )
    return render(
        request,
        "incidents/audit/incident.html",
        {"incident": incident, "form": form, "entries": entries},
    )


@require_GET
@login_required
def access_log(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Who has looked at or exported the record, newest first."""
    user = request_user(request)
    incident = incident_for_user(user, incident_id)
    if not may_read_access_log(user, incident):
        raise PermissionDenied("Only the school's DSLs and headteacher see who read a record.")
    # Every view of the record adds a row, so a long-running case's log runs to
    # thousands: shown a page at a time. A page number that is not one shows the first
    # page, one past the end the last (Paginator.get_page).
    log = Paginator(access_log_for(incident), ACCESS_LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "incidents/audit/access_log.html",
        {"incident": incident, "log": log},
    )

"""The school calendar page: terms, closure days and the bank holidays that apply,
with forms to add and remove (docs/calendar.md). For those who hold `manage_calendar`
in the school; for anyone else the school answers 404 like a missing one."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from safeguarding.access import school_for_user
from safeguarding.calendar.days import bank_holidays
from safeguarding.calendar.forms import ClosureDayForm, TermDateForm
from safeguarding.calendar.models import ClosureDay, TermDate
from safeguarding.calendar.services import (
    closure_day_add,
    closure_day_remove,
    term_date_add,
    term_date_remove,
)
from safeguarding.models import School
from safeguarding.roles import MANAGE_CALENDAR
from safeguarding.web.views import add_service_errors, request_user


def _page(
    request: HttpRequest,
    school: School,
    *,
    term_form: forms.Form | None = None,
    closure_form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    year = timezone.localdate().year
    return render(
        request,
        "safeguarding/calendar/calendar.html",
        {
            "school": school,
            "terms": TermDate.objects.filter(school=school, removed_at__isnull=True),
            "closures": ClosureDay.objects.filter(school=school, removed_at__isnull=True),
            "bank_holidays": bank_holidays(school.jurisdiction, [year, year + 1]),
            "term_form": term_form or TermDateForm(),
            "closure_form": closure_form or ClosureDayForm(),
        },
        status=status,
    )


@require_GET
@login_required
def calendar(request: HttpRequest, school_id: int) -> HttpResponse:
    return _page(request, school_for_user(request_user(request), school_id, MANAGE_CALENDAR))


def _add(
    request: HttpRequest,
    school_id: int,
    form_class: type[forms.Form],
    add: Callable[..., object],
    *,
    form_key: str,
    done: str,
) -> HttpResponse:
    """Access helper → form → service → redirect, for a term or a closure day; the
    page again with the form's errors (400) if it cannot be added."""
    user = request_user(request)
    school = school_for_user(user, school_id, MANAGE_CALENDAR)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            add(actor=user, school=school, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(request, done)
            return redirect("calendar:calendar", school.pk)
    return _page(request, school, **{form_key: form}, status=400)


@require_POST
@login_required
def term_add(request: HttpRequest, school_id: int) -> HttpResponse:
    return _add(
        request,
        school_id,
        TermDateForm,
        term_date_add,
        form_key="term_form",
        done="The term is added.",
    )


@require_POST
@login_required
def closure_add(request: HttpRequest, school_id: int) -> HttpResponse:
    return _add(
        request,
        school_id,
        ClosureDayForm,
        closure_day_add,
        form_key="closure_form",
        done="The closure day is added.",
    )


@require_POST
@login_required
def term_remove(request: HttpRequest, school_id: int, term_id: int) -> HttpResponse:
    user = request_user(request)
    school = school_for_user(user, school_id, MANAGE_CALENDAR)
    term = TermDate.objects.filter(school=school, pk=term_id, removed_at__isnull=True).first()
    if term is None:
        raise Http404("No such term.")
    term_date_remove(actor=user, term=term)
    messages.success(request, f"{term.name} is removed.")
    return redirect("calendar:calendar", school.pk)


@require_POST
@login_required
def closure_remove(request: HttpRequest, school_id: int, closure_id: int) -> HttpResponse:
    user = request_user(request)
    school = school_for_user(user, school_id, MANAGE_CALENDAR)
    closure = ClosureDay.objects.filter(
        school=school, pk=closure_id, removed_at__isnull=True
    ).first()
    if closure is None:
        raise Http404("No such closure day.")
    closure_day_remove(actor=user, closure=closure)
    messages.success(request, "The closure day is removed.")
    return redirect("calendar:calendar", school.pk)

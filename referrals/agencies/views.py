"""The agencies a school reaches about an incident, and how (issue 6 item 1; 002 §3.6–§3.7,
Annex C): police, children's social care / MASH, CEOP, IWF and Childline Report Remove,
Childline, NSPCC, CAMHS, another school, other.

Thin views: access helper → form → service → redirect. Everyone who reads the school's
incidents sees the directory (and the trust's defaults, marked as such). The school's
DSLs keep its own contacts; the trust lead keeps the trust's defaults, for every school
of the trust. A change from a page read before a colleague's save is refused, showing
what they changed; a contact of another school or trust is a 404 like a missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from referrals.agencies.forms import (
    FOR_SCHOOL,
    FOR_TRUST,
    ContactAddForm,
    ContactEditForm,
    ContactForm,
    RetireForm,
)
from referrals.agencies.selectors import changes_of, contact_of, directory, keeps_trust_defaults
from referrals.agencies.services import (
    RETIRED,
    agency_contact_add,
    agency_contact_retire,
    agency_contact_update,
)
from referrals.models import Agency, AgencyContact
from safeguarding.access import holds, school_for_user
from safeguarding.audit import StaleEditError
from safeguarding.models import School, User
from safeguarding.roles import MANAGE_INCIDENTS, VIEW_INCIDENTS
from safeguarding.web.views import add_service_errors, request_user, stale_changes

READ_ONLY = "You may read this page but not change it."
#: A contact's fields as a colleague's change shows them.
SHOWN = ("agency", "name", "phone", "email", "website", "notes", "retired_at")


@dataclass(frozen=True)
class Keeper:
    """What the signed-in person may keep up to date in this school's directory."""

    school_contacts: bool  # the school's DSLs and deputies
    trust_defaults: bool  # the trust lead, in a school of the trust

    @property
    def scopes(self) -> list[str]:
        """Whom a contact they add may be for, the school first."""
        return [
            scope
            for scope, allowed in (
                (FOR_SCHOOL, self.school_contacts),
                (FOR_TRUST, self.trust_defaults),
            )
            if allowed
        ]

    def may_change(self, contact: AgencyContact) -> bool:
        return self.trust_defaults if contact.trust_id is not None else self.school_contacts


def _school(request: HttpRequest, school_id: int) -> tuple[User, School, Keeper]:
    """The school (404 unless the user reads its incidents) and what they may change."""
    user = request_user(request)
    school = school_for_user(user, school_id, VIEW_INCIDENTS)
    keeper = Keeper(
        school_contacts=holds(user, MANAGE_INCIDENTS, school.pk),
        trust_defaults=keeps_trust_defaults(user, school),
    )
    return user, school, keeper


@require_http_methods(["GET", "POST"])
@login_required
def contacts(request: HttpRequest, school_id: int) -> HttpResponse:
    """The school's contacts and the trust's defaults by agency, and adding one."""
    user, school, keeper = _school(request, school_id)
    write = request.method == "POST"
    if write and not keeper.scopes:
        raise PermissionDenied(READ_ONLY)
    form = (
        ContactAddForm(
            request.POST if write else None, school_name=school.name, scopes=keeper.scopes
        )
        if keeper.scopes
        else None
    )
    if form is not None and write and form.is_valid():
        for_trust = form.scope() == FOR_TRUST
        try:
            contact = agency_contact_add(
                actor=user,
                school=None if for_trust else school,
                trust=school.trust if for_trust else None,
                **form.details(),
            )
        except ValidationError as error:
            add_service_errors(form, error, {"school": "for_whom", "trust": "for_whom"})
        else:
            where = (
                f"the defaults of every school of {school.trust}"
                if for_trust
                else f"{school.name}'s contacts"
            )
            messages.success(request, f"Added {contact.name} to {where}.")
            return redirect("agencies:list", school_id=school.pk)
    return render(
        request,
        "referrals/agencies/list.html",
        {"school": school, "directory": directory(school), "keeper": keeper, "form": form},
    )


def _contact(
    request: HttpRequest, school_id: int, contact_id: int
) -> tuple[User, School, AgencyContact, bool]:
    """The contact (404 unless it is the school's or its trust's default) and whether the
    user may change it; a reader who writes gets 403."""
    user, school, keeper = _school(request, school_id)
    contact = contact_of(school, contact_id)
    may_change = keeper.may_change(contact)
    if request.method == "POST" and not may_change:
        raise PermissionDenied(READ_ONLY)
    return user, school, contact, may_change


def _shown(field: str, value: Any) -> Any:
    """A recorded value as the DSL reads it."""
    if field == "agency" and value in Agency.values:
        return str(Agency(value).label)
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    return value


def _colleague_changes(error: StaleEditError, seen_version: int) -> list[dict[str, Any]]:
    """Every field of the contact a colleague changed since the page was read, not only
    those the refused form sends (a retirement shows on the edit form, and the reverse)."""
    current: AgencyContact = error.current  # type: ignore[assignment]
    seen = AgencyContact.history.filter(id=current.pk, version=seen_version).first()
    if seen is None:
        changes = error.changes
    else:
        changes = {
            field: (getattr(seen, field), getattr(current, field))
            for field in SHOWN
            if getattr(seen, field) != getattr(current, field)
        }
    shown = {
        field: (_shown(field, before), _shown(field, after))
        for field, (before, after) in changes.items()
    }
    return stale_changes(StaleEditError(current, shown), AgencyContact)


def _contact_page(
    request: HttpRequest,
    school: School,
    contact: AgencyContact,
    *,
    may_change: bool,
    form: Form,
    retire_form: Form,
    stale: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "referrals/agencies/edit.html",
        {
            "school": school,
            "contact": contact,
            "is_trust_default": contact.trust_id is not None,
            "may_change": may_change and contact.retired_at is None,
            "form": form,
            "retire_form": retire_form,
            "stale": stale,
            "changes": changes_of(contact),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, school_id: int, contact_id: int) -> HttpResponse:
    """A contact's details, and changing them (a retired contact is kept as it was)."""
    user, school, contact, may_change = _contact(request, school_id, contact_id)
    write = request.method == "POST"
    form = ContactEditForm(
        request.POST if write else None, initial=ContactForm.initial_for(contact)
    )
    stale: list[dict[str, Any]] | None = None
    status = 200
    if write:
        if contact.retired_at is not None:
            form.add_error(None, RETIRED)
            status = 409
        elif form.is_valid():
            version = form.cleaned_data["version"]
            try:
                contact = agency_contact_update(
                    actor=user, contact=contact, expected_version=version, **form.details()
                )
            except StaleEditError as error:
                # Show what the colleague changed; saving again now applies this form.
                stale = _colleague_changes(error, version)
                contact = contact_of(school, contact_id)
                resubmit = request.POST.copy()
                resubmit["version"] = str(contact.version)
                form = ContactEditForm(resubmit)
            except ValidationError as error:
                add_service_errors(form, error, {})
            else:
                messages.success(request, f"Saved the changes to {contact.name}.")
                return redirect("agencies:list", school_id=school.pk)
    return _contact_page(
        request,
        school,
        contact,
        may_change=may_change,
        form=form,
        retire_form=RetireForm(initial={"version": contact.version}),
        stale=stale,
        status=status,
    )


@require_http_methods(["POST"])
@login_required
def retire(request: HttpRequest, school_id: int, contact_id: int) -> HttpResponse:
    """No longer offered for new referrals; kept, so old referrals still name it."""
    user, school, contact, may_change = _contact(request, school_id, contact_id)
    form = RetireForm(request.POST)
    stale: list[dict[str, Any]] | None = None
    status = 200
    if contact.retired_at is not None:
        form.add_error(None, RETIRED)
        status = 409
    elif form.is_valid():
        version = form.cleaned_data["version"]
        try:
            agency_contact_retire(actor=user, contact=contact, expected_version=version)
        except StaleEditError as error:
            # Show what the colleague changed; retiring again now retires it as it is.
            stale = _colleague_changes(error, version)
            contact = contact_of(school, contact_id)
            form = RetireForm(initial={"version": contact.version})
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(request, f"Retired {contact.name}.")
            return redirect("agencies:list", school_id=school.pk)
    return _contact_page(
        request,
        school,
        contact,
        may_change=may_change,
        form=ContactEditForm(initial=ContactForm.initial_for(contact)),
        retire_form=form,
        stale=stale,
        status=status,
    )

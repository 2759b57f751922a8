"""Incident pages. Thin views: access helper → form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from incidents.access import incident_for_user
from incidents.restricted.forms import AccessGrantForm, TriagePolicyForm
from incidents.services import (
    restricted_access_grant,
    restricted_access_revoke,
    school_triage_policy_change,
)
from incidents.triage import rules as triage
from safeguarding.access import school_for_user, schools_for_user
from safeguarding.audit import StaleEditError
from safeguarding.models import User
from safeguarding.roles import CHANGE_TRIAGE_POLICY, VIEW_INCIDENTS
from safeguarding.web.views import may_manage as user_may_manage


@require_http_methods(["GET", "POST"])
@login_required
def triage_policy(request: HttpRequest, school_id: int) -> HttpResponse:
    """Which criteria the school triages by and what each means; headteachers and trust
    leads may change it (POST), everyone who reads the school's incidents may look."""
    user: User = request.user  # type: ignore[assignment]
    write = request.method == "POST"
    school = school_for_user(
        user, school_id, VIEW_INCIDENTS, write_codename=CHANGE_TRIAGE_POLICY if write else None
    )
    may_change = schools_for_user(user, CHANGE_TRIAGE_POLICY).filter(pk=school.pk).exists()
    form = TriagePolicyForm(
        request.POST if write else None, instance=school, initial={"version": school.version}
    )
    stale: StaleEditError | None = None
    if write and form.is_valid():
        try:
            school_triage_policy_change(
                actor=user,
                school=school,
                expected_version=form.cleaned_data["version"],
                **{field: form.cleaned_data[field] for field in TriagePolicyForm.Meta.fields},
            )
        except StaleEditError as error:
            # Show what the colleague changed; submitting again now applies this form.
            stale = error
            resubmit = request.POST.copy()
            resubmit["version"] = str(error.current.version)  # type: ignore[attr-defined]
            form = TriagePolicyForm(resubmit, instance=school)
        else:
            messages.success(request, "Triage policy changed; open incidents were re-triaged.")
            return redirect("incidents:triage_policy", school_id=school.pk)
    return render(
        request,
        "incidents/triage_policy.html",
        {
            "school": school,
            "form": form,
            "may_change": may_change,
            "stale": stale,
            "presets": [
                {
                    "id": name,
                    "label": rules.description,
                    "sources": rules.sources,
                    "criteria": set(rules.criteria),
                    "grooming_counts": rules.grooming_counts,
                    "unusual_content_counts": rules.unusual_content_counts,
                }
                for name, rules in triage.PRESETS.items()
            ],
            "criteria": [
                {"id": criterion, **triage.CRITERION_SUMMARIES[criterion]}
                for criterion in triage.CRITERIA
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def restricted_access(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Who may see a restricted incident, and granting it to a colleague (DSL, deputy)."""
    user: User = request.user  # type: ignore[assignment]
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    form = AccessGrantForm(request.POST if write else None, incident=incident)
    if write and form.is_valid():
        try:
            restricted_access_grant(
                actor=user,
                incident=incident,
                user=form.cleaned_data["user"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{form.cleaned_data['user']} can now see this incident.")
            return redirect("incidents:restricted_access", incident_id=incident.pk)
    may_manage = user_may_manage(user, incident)
    return render(
        request,
        "incidents/restricted_access.html",
        {
            "incident": incident,
            "form": form,
            "may_manage": may_manage,
            "grants": incident.access_grants.select_related("user", "granted_by", "revoked_by"),
        },
    )


@require_POST
@login_required
def restricted_access_end(request: HttpRequest, incident_id: int, grant_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    incident = incident_for_user(user, incident_id, write=True)
    grant = get_object_or_404(incident.access_grants, pk=grant_id, revoked_at__isnull=True)
    restricted_access_revoke(actor=user, grant=grant)
    messages.success(request, f"{grant.user} can no longer see this incident.")
    return redirect("incidents:restricted_access", incident_id=incident.pk)

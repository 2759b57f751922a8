"""The school's triage policy page: what each preset and criterion means, and changing
the preset (headteachers and trust leads). Access helper → form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from incidents.policy.forms import TriagePolicyForm
from incidents.policy.services import school_triage_policy_change
from incidents.triage.criteria import CRITERION_SUMMARIES
from incidents.triage.facts import CRITERIA, PRESETS
from safeguarding.access import holds, school_for_user
from safeguarding.audit import StaleEditError
from safeguarding.models import User
from safeguarding.roles import CHANGE_TRIAGE_POLICY, VIEW_INCIDENTS
from safeguarding.web.views import resubmitted


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
    may_change = holds(user, CHANGE_TRIAGE_POLICY, school.pk)
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
            resubmit = resubmitted(request.POST, error)
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
                for name, rules in PRESETS.items()
            ],
            "criteria": [
                {"id": criterion, **CRITERION_SUMMARIES[criterion]} for criterion in CRITERIA
            ],
        },
    )

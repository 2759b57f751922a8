"""Restricted incidents: who may see one, granting a named colleague access, and ending
it. Thin views: access helper → form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from incidents.access import incident_for_user
from incidents.access import may_manage as user_may_manage
from incidents.restricted.forms import AccessGrantForm
from incidents.restricted.services import restricted_access_grant, restricted_access_revoke
from safeguarding.models import User


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

"""The headteacher's sign-off queue and review page (002 §5.1, §7.0; issue 7).

The queue lists what awaits the headteacher of a school, oldest first. The review page
shows one item with the incident, the triage, the decision or viewing and the audit trail;
signing needs the password again and is bound to the digest of the record as shown.
Only a headteacher or acting headteacher of the school may open either (others who may
read the incident get 403; anyone else 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from incidents.access_log import access_record
from incidents.audit.trail import audit_entries
from incidents.models import AccessAction, SignOffAction
from incidents.people.selectors import people_involved
from incidents.signoff.forms import SignOffForm
from incidents.signoff.items import SignOffItem
from incidents.signoff.selectors import item_for_signer, queue, school_items, sent_back
from incidents.signoff.services import sign_off_record
from incidents.triage.selectors import newest_assessment
from safeguarding.access import school_for_user
from safeguarding.roles import SIGN_OFF, VIEW_INCIDENTS
from safeguarding.web.views import add_service_errors, request_user


@require_GET
@login_required
def sign_off_queue(request: HttpRequest, school_id: int) -> HttpResponse:
    user = request_user(request)
    school = school_for_user(user, school_id, VIEW_INCIDENTS, write_codename=SIGN_OFF)
    items = school_items(user, school)
    return render(
        request,
        "incidents/signoff/queue.html",
        {
            "school": school,
            "queue": queue(items),
            "sent_back": sent_back(items),
            "now": timezone.now(),
        },
    )


def _render_review(
    request: HttpRequest,
    item: SignOffItem,
    form: SignOffForm,
    *,
    changed: bool = False,
    status: int = 200,
) -> HttpResponse:
    incident = item.incident
    return render(
        request,
        "incidents/signoff/review.html",
        {
            "item": item,
            "incident": incident,
            "school": incident.school,
            "assessment": newest_assessment(incident),
            "people": people_involved(incident),
            "history": [
                {"sign_off": sign_off, "changes": item.changes_since(sign_off)}
                for sign_off in reversed(item.sign_offs)
            ],
            "entries": audit_entries(incident),
            "form": form,
            "changed": changed,
            "now": timezone.now(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def sign_off_review(
    request: HttpRequest, incident_id: int, kind: str, subject_id: int
) -> HttpResponse:
    """Review one item and sign it off, or send it back to the DSL with a comment."""
    user = request_user(request)
    item = item_for_signer(user, incident_id, kind, subject_id)
    if request.method == "GET":
        access_record(
            user=user,
            incident=item.incident,
            action=AccessAction.REVIEWED_SIGN_OFF,
            detail=f"{item.label} (digest {item.digest[:12]})",
        )
        return _render_review(
            request, item, SignOffForm(request=request, user=user, initial={"digest": item.digest})
        )
    form = SignOffForm(request.POST, request=request, user=user)
    if form.is_valid():
        try:
            sign_off = sign_off_record(
                actor=user,
                incident=item.incident,
                kind=item.kind,
                subject_id=item.subject_id,
                action=form.cleaned_data["action"],
                statement=form.cleaned_data["statement"],
                reviewed_digest=form.cleaned_data["digest"],
            )
        except ValidationError as error:
            if error.code == "changed":
                # Show the record as it now stands, keeping what was typed except the
                # password and the stale digest.
                data = request.POST.copy()
                data["digest"] = item.digest
                data["password"] = ""
                fresh = SignOffForm(data, request=request, user=user)
                fresh.errors.clear()
                fresh.add_error(None, error)
                return _render_review(request, item, fresh, changed=True, status=409)
            add_service_errors(form, error, {})
        else:
            done = (
                "signed off" if sign_off.action == SignOffAction.SIGNED else "sent back to the DSL"
            )
            messages.success(request, f"{item.label} of {item.incident.reference} {done}.")
            return redirect("signoff:queue", school_id=item.incident.school_id)
    return _render_review(request, item, form)

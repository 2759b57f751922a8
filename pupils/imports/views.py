"""Importing pupils: upload a file, see the preview, confirm it.

Thin views: access helper → form → service → redirect. The school answers 404 to
anyone who may not import its pupils, exactly as if it did not exist; an import of a
school they may not import for answers the same (docs/pupil-import.md#who-may-import).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pupils.imports.forms import ImportApplyForm, ImportUploadForm
from pupils.imports.plan import ImportPlan, field_label, plan_summary
from pupils.imports.reading.columns import FIELDS
from pupils.imports.selectors import (
    import_for_user,
    leavers_with_files,
    roll_counts,
    school_imports,
    with_safeguarding_records,
)
from pupils.imports.services import (
    StalePlanError,
    plan_for,
    pupil_import_answer,
    pupil_import_apply,
    pupil_import_read,
)
from pupils.imports.stored import roll_from_contents
from pupils.models import ImportFormat, PupilImport
from safeguarding.access import holds, school_for_user
from safeguarding.models import School, User
from safeguarding.roles import IMPORT_PUPILS, VIEW_INCIDENTS
from safeguarding.web.views import add_service_errors, request_user

RECENT_IMPORTS = 20


@require_http_methods(["GET", "POST"])
@login_required
def upload(request: HttpRequest, school_id: int) -> HttpResponse:
    """The upload form, the roll's counts and the school's recent imports."""
    user = request_user(request)
    school = school_for_user(user, school_id, IMPORT_PUPILS)
    write = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if write else ImportUploadForm()
    if write and form.is_valid():
        upload = form.cleaned_data["upload"]
        try:
            pupil_import = pupil_import_read(
                actor=user,
                school=school,
                data=upload.read(),
                file_name=upload.name or "",
                full_roll=form.cleaned_data["full_roll"],
                leaving_on=form.cleaned_data["leaving_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            return redirect("pupils:import", school_id=school.pk, import_id=pupil_import.pk)
    return render(
        request,
        "pupils/imports/upload.html",
        {
            "school": school,
            "form": form,
            "counts": roll_counts(school),
            "imports": school_imports(school)[:RECENT_IMPORTS],
            "csv_fields": FIELDS,
        },
    )


@require_GET
@login_required
def detail(request: HttpRequest, school_id: int, import_id: int) -> HttpResponse:
    """The preview of an import not yet applied, or what an applied one did."""
    user = request_user(request)
    school = school_for_user(user, school_id, IMPORT_PUPILS)
    pupil_import = import_for_user(user, school, import_id)
    return _detail(request, user, pupil_import, plan=plan_for(pupil_import))


@require_POST
@login_required
def apply(request: HttpRequest, school_id: int, import_id: int) -> HttpResponse:
    user = request_user(request)
    school = school_for_user(user, school_id, IMPORT_PUPILS)
    pupil_import = import_for_user(user, school, import_id)
    plan = plan_for(pupil_import)
    form = ImportApplyForm(request.POST, matches=plan.matches)
    here = redirect("pupils:import", school_id=school.pk, import_id=pupil_import.pk)
    if form.is_valid() and form.decisions() != _answers(plan):
        try:
            pupil_import_answer(actor=user, pupil_import=pupil_import, decisions=form.decisions())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, "Your answers are saved. Check what the import will now do, then confirm."
            )
        return here
    if form.is_valid():
        try:
            pupil_import_apply(
                actor=user,
                pupil_import=pupil_import,
                expected_digest=form.cleaned_data["digest"],
            )
        except StalePlanError:
            messages.error(
                request,
                "The pupil list changed after this preview was made (another import or an "
                "edit). Nothing was imported: check the preview below again.",
            )
            return here
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(request, f"Import {pupil_import.reference} was applied.")
            return here
    pupil_import.refresh_from_db()
    return _detail(request, user, pupil_import, plan=plan, form=form)


def _answers(plan: ImportPlan) -> dict[str, str]:
    """The answers kept on the import, as the form gives them."""
    return {str(match.row): match.decision for match in plan.matches}


@require_GET
@login_required
def leavers(request: HttpRequest, school_id: int) -> HttpResponse:
    """Pupils who left with a safeguarding file, whose file must follow them (KCSIE
    Annex C); for those who read the school's incidents only."""
    user = request_user(request)
    school = school_for_user(user, school_id, VIEW_INCIDENTS)
    return render(
        request,
        "pupils/imports/leavers.html",
        {"school": school, "pupils": leavers_with_files(school)},
    )


def _detail(
    request: HttpRequest,
    user: User,
    pupil_import: PupilImport,
    *,
    plan: ImportPlan,
    form: ImportApplyForm | None = None,
) -> HttpResponse:
    school: School = pupil_import.school
    if pupil_import.is_applied:
        form = None  # applied by a colleague meanwhile: nothing is left to confirm
    elif form is None:
        form = ImportApplyForm(initial={"digest": plan.digest()}, matches=plan.matches)
    reads_incidents = holds(user, VIEW_INCIDENTS, school.pk)
    shown = pupil_import.outcome if pupil_import.is_applied else plan_summary(plan)
    roll = roll_from_contents(pupil_import.contents)
    context: dict[str, Any] = {
        "school": school,
        "pupil_import": pupil_import,
        "roll": roll,
        "columns_read": [(field_label(name), heading) for name, heading in roll.columns.items()],
        "address_unchecked": bool(roll.destination and not school.dfe_number),
        "answers_needed": bool(plan.undecided) and not pupil_import.is_applied,
        "shown": shown,
        "form": form,
        "files_to_transfer": _leavers_with_files(shown) if reads_incidents else None,
        "link_pupils": reads_incidents,
        "arrivals_to_ask_about": (
            len(shown["new"]) if reads_incidents and pupil_import.format == ImportFormat.CTF else 0
        ),
    }
    return render(request, "pupils/imports/detail.html", context)


def _leavers_with_files(shown: dict[str, Any]) -> int:
    """How many of the import's leavers have a safeguarding file: only for someone who
    reads the school's incidents (a data manager must not learn who has a file)."""
    ids = [item["pupil_id"] for item in shown["leaving"] if item["pupil_id"]]
    return len(with_safeguarding_records(ids))

"""Documents attached to an incident: the list and upload form, download, withdrawal.

Thin views: access helper → form → service → redirect. Files are only ever served by
`document_download`, after the access check; they have no public URL.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from incidents.access import incident_for_user
from incidents.access import may_manage as user_may_manage
from incidents.access_log import access_record
from incidents.documents.forms import DocumentUploadForm, DocumentWithdrawForm
from incidents.documents.selectors import document_for_user, documents_for_user
from incidents.documents.services import (
    document_upload,
    document_withdraw,
    download_name,
    private_storage,
    stored_path,
)
from incidents.models import AccessAction, Incident, IncidentDocument
from safeguarding.models import User

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
@login_required
def incident_documents(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Everyone who reads the incident sees its documents; DSLs and deputies upload (POST)."""
    user: User = request.user  # type: ignore[assignment]
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    form = DocumentUploadForm(request.POST, request.FILES) if write else DocumentUploadForm()
    if write and form.is_valid():
        try:
            document = document_upload(
                actor=user,
                incident=incident,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"“{document.title}” was uploaded.")
            return redirect("documents:list", incident_id=incident.pk)
    return _documents_page(request, incident, upload_form=form)


@require_GET
@login_required
def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    """The file, as an attachment of the type detected at upload, never cached or sniffed.

    A withdrawn document can still be downloaded by those who read the incident: the
    record shows what was on file when decisions were made. Each download is logged
    once the file is found (issue 7).
    """
    user: User = request.user  # type: ignore[assignment]
    document = document_for_user(user, document_id)
    try:
        handle = private_storage().open(stored_path(document), "rb")
    except FileNotFoundError:
        logger.error(
            "Document %s has a record but no file %s in PRIVATE_FILES_ROOT.",
            document.pk,
            document.stored_name,
        )
        raise Http404("The document's file is missing; tell your operator.") from None
    logger.info("Document %s downloaded by user %s.", document.pk, user.pk)
    access_record(
        user=user,
        incident=document.incident,
        action=AccessAction.DOWNLOADED,
        detail=f"{document.title} ({document.original_name})",
    )
    content_type = document.media_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = FileResponse(
        handle, as_attachment=True, filename=download_name(document), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
@login_required
def document_withdraw_view(request: HttpRequest, document_id: int) -> HttpResponse:
    """Withdraw a document (DSLs and deputies): it stays listed and kept, marked withdrawn."""
    user: User = request.user  # type: ignore[assignment]
    document = document_for_user(user, document_id, write=True)
    form = DocumentWithdrawForm(request.POST, auto_id=_withdraw_auto_id(document))
    if form.is_valid():
        try:
            document_withdraw(actor=user, document=document, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, f"“{document.title}” was withdrawn. It is kept for the record."
            )
            return redirect("documents:list", incident_id=document.incident_id)
    return _documents_page(
        request, document.incident, upload_form=DocumentUploadForm(), withdrawal=(document, form)
    )


def _documents_page(
    request: HttpRequest,
    incident: Incident,
    *,
    upload_form: DocumentUploadForm,
    withdrawal: tuple[IncidentDocument, DocumentWithdrawForm] | None = None,
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    may_manage = user_may_manage(user, incident)
    documents = (
        documents_for_user(user)
        .filter(incident=incident)
        .select_related("uploaded_by", "withdrawn_by")
        .order_by("-uploaded_at", "-pk")
    )
    rows = []
    for document in documents:
        withdraw_form = None
        if may_manage and not document.is_withdrawn:
            if withdrawal is not None and withdrawal[0].pk == document.pk:
                withdraw_form = withdrawal[1]
            else:
                withdraw_form = DocumentWithdrawForm(auto_id=_withdraw_auto_id(document))
        rows.append({"document": document, "withdraw_form": withdraw_form})
    error_form: Form | None = upload_form if upload_form.errors else None
    if withdrawal is not None and withdrawal[1].errors:
        error_form = withdrawal[1]
    return render(
        request,
        "incidents/documents.html",
        {
            "incident": incident,
            "rows": rows,
            "may_manage": may_manage,
            "form": upload_form,
            "error_form": error_form,
        },
    )


def _withdraw_auto_id(document: IncidentDocument) -> str:
    """Each row's withdrawal form gets its own element ids; the field name stays `reason`."""
    return f"id_withdraw_{document.pk}_%s"


def _add_errors(form: Form, error: ValidationError) -> None:
    """Attach a service's refusal to the field it names (or the form, if not a field)."""
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)

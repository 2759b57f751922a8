"""The sending DSL's pages (docs/transfers.md): the school's transfers, starting one
for a leaving pupil, the transfer's page (progress, what goes, the passphrase once,
the receipt), a receipt recorded by hand, what was shared before the move.

Thin views: access helper → form → service → redirect. Only the school's DSLs
(`transfer_records`) reach them; a pupil or transfer of another school is a 404 like a
missing one, and a pupil the person reads but may not send is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguarding.access import holds, pupil_for_user, school_for_user
from safeguarding.models import Pupil
from safeguarding.roles import TRANSFER_RECORDS
from safeguarding.two_factor import recent_authentication_required
from safeguarding.web.views import add_service_errors, request_user
from transfers.access import outgoing_transfer_for_user
from transfers.models import Transfer, TransferStatus
from transfers.package.contents import pupil_file
from transfers.selectors import (
    incoming_rows,
    outgoing_rows,
    pupil_advance_shares,
    transfer_row,
)
from transfers.sending.forms import (
    ELSEWHERE,
    AdvanceShareForm,
    ReceiptByHandForm,
    SchoolSearchForm,
    TransferStartForm,
    receiving_choices,
)
from transfers.sending.services import (
    advance_share_record,
    passphrase_reveal,
    receipt_record_by_hand,
    transfer_start,
)

REFRESH_SECONDS = 3


def _sendable_pupil(request: HttpRequest, pupil_id: int) -> Pupil:
    user = request_user(request)
    pupil = pupil_for_user(user, pupil_id)
    if not holds(user, TRANSFER_RECORDS, pupil.school_id):
        raise PermissionDenied("Only the school's DSLs send a pupil's file.")
    return pupil


@require_GET
@login_required
def school_transfers(request: HttpRequest, school_id: int) -> HttpResponse:
    user = request_user(request)
    school = school_for_user(user, school_id, TRANSFER_RECORDS)
    today = timezone.localdate()
    return render(
        request,
        "transfers/list.html",
        {
            "school": school,
            "outgoing": outgoing_rows(user, today=today, school=school),
            "incoming": [
                row
                for row in incoming_rows(user, today=today)
                if row.transfer.receiving_school_id == school.pk
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def start(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """GET: find the new school; POST: start the transfer."""
    user = request_user(request)
    pupil = _sendable_pupil(request, pupil_id)
    search = SchoolSearchForm(request.GET or request.POST)
    query = search.cleaned_data["school_q"] if search.is_valid() else ""
    schools = receiving_choices(query, excluding=pupil.school)
    if request.method == "POST":
        form = TransferStartForm(request.POST, schools=schools)
        if form.is_valid():
            data = form.cleaned_data
            try:
                transfer = transfer_start(
                    actor=user,
                    pupil=pupil,
                    leaving_on=data["leaving_on"],
                    receiving_school=form.receiving_school,
                    receiving_name=data["receiving_name"] if data["receiving"] == ELSEWHERE else "",
                    receiving_urn=data["receiving_urn"] if data["receiving"] == ELSEWHERE else "",
                    receiving_dsl_name=data["receiving_dsl_name"],
                    receiving_dsl_email=data["receiving_dsl_email"]
                    if data["receiving"] == ELSEWHERE
                    else "",
                    note=data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error, {"pupil": "receiving"})
            else:
                return redirect("transfers:detail", transfer.pk)
        status = 400
    else:
        form = TransferStartForm(initial={"leaving_on": pupil.left_on}, schools=schools)
        status = 200
    return render(
        request,
        "transfers/start.html",
        {
            "pupil": pupil,
            "search": search,
            "query": query,
            "schools": schools,
            "form": form,
            "file": pupil_file(actor=user, pupil=pupil),
        },
        status=status,
    )


@require_GET
@login_required
def detail(request: HttpRequest, transfer_id: int) -> HttpResponse:
    user = request_user(request)
    transfer = outgoing_transfer_for_user(user, transfer_id)
    return _detail(request, transfer)


def _detail(
    request: HttpRequest,
    transfer: Transfer,
    *,
    passphrase: str = "",
    receipt_form: ReceiptByHandForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    updating = transfer.status == TransferStatus.PREPARING
    refreshing = updating and "static" not in request.GET
    response = render(
        request,
        "transfers/detail.html",
        {
            "transfer": transfer,
            "row": transfer_row(transfer, today=timezone.localdate()),
            "file": pupil_file(actor=user, pupil=transfer.pupil),
            "package": getattr(transfer, "package", None) if transfer.is_sent else None,
            "passphrase": passphrase,
            "receipt_form": receipt_form or ReceiptByHandForm(),
            "shares": pupil_advance_shares(user, transfer.pupil),
            "links": list(transfer.receipt_links.all()),
            "updating": updating,
            "refreshing": refreshing,
            "refresh_seconds": REFRESH_SECONDS,
        },
        status=status,
    )
    if refreshing:
        response["Refresh"] = str(REFRESH_SECONDS)
    if passphrase:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
@recent_authentication_required
def passphrase(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The passphrase, once, in this response only (not cached)."""
    user = request_user(request)
    transfer = outgoing_transfer_for_user(user, transfer_id)
    try:
        shown = passphrase_reveal(actor=user, transfer=transfer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("transfers:detail", transfer.pk)
    transfer.refresh_from_db()
    return _detail(request, transfer, passphrase=shown)


@require_POST
@login_required
def receipt_by_hand(request: HttpRequest, transfer_id: int) -> HttpResponse:
    user = request_user(request)
    transfer = outgoing_transfer_for_user(user, transfer_id)
    form = ReceiptByHandForm(request.POST)
    if form.is_valid():
        try:
            receipt_record_by_hand(
                actor=user,
                transfer=transfer,
                received_by_name=form.cleaned_data["received_by_name"],
                received_at=form.cleaned_data["received_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"received_at": "received_on"})
        else:
            messages.success(request, "The receipt is recorded.")
            return redirect("transfers:detail", transfer.pk)
    return _detail(request, transfer, receipt_form=form, status=400)


@require_GET
@login_required
@recent_authentication_required
def package(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The encrypted package, for the sender to pass on another secure way."""
    user = request_user(request)
    transfer = outgoing_transfer_for_user(user, transfer_id)
    if not transfer.is_sent:
        raise PermissionDenied("The package is not made yet.")
    response = HttpResponse(bytes(transfer.package.data), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{transfer.package_file_name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def advance_share(request: HttpRequest, pupil_id: int) -> HttpResponse:
    user = request_user(request)
    pupil = _sendable_pupil(request, pupil_id)
    form = AdvanceShareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            advance_share_record(actor=user, pupil=pupil, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(request, "What was shared is recorded.")
            return redirect("cases:pupil", pupil.pk)
    return render(
        request,
        "transfers/advance_share.html",
        {"pupil": pupil, "form": form, "shares": pupil_advance_shares(user, pupil)},
        status=400 if request.method == "POST" else 200,
    )

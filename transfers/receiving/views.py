"""The receiving side's pages (docs/transfers.md#receiving-a-file): a transfer sent to
a school here (confirm receipt, open with the passphrase, accept), a package imported
from another installation, a file that arrived, and the outside DSL's receipt page.

The receipt page needs no account: its token is the key, used once and expiring. A
token that is wrong, used or expired gets the same 404 page, which names nobody: the
page itself shows only the two schools, the reference and the package's digest.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguarding.access import school_for_user
from safeguarding.roles import TRANSFER_RECORDS
from safeguarding.web.views import request_user
from transfers.access import file_in_for_user, incoming_transfer_for_user
from transfers.models import ReceiptLink, Transfer, TransferStatus
from transfers.package.archive import OpenedPackage, PackageRefusedError
from transfers.receipts import receipt_token_digest
from transfers.receiving.forms import PackageImportForm, PassphraseForm, ReceiptLinkConfirmForm
from transfers.receiving.services import (
    incoming_accept,
    incoming_open,
    package_import,
    package_preview,
    receipt_confirm,
    receipt_link_confirm,
    receipt_link_download,
    receipt_link_for_token,
)
from transfers.selectors import transfer_row


def _incoming_page(
    request: HttpRequest,
    transfer: Transfer,
    *,
    form: PassphraseForm | None = None,
    opened: OpenedPackage | None = None,
    status: int = 200,
) -> HttpResponse:
    response = render(
        request,
        "transfers/incoming.html",
        {
            "transfer": transfer,
            "row": transfer_row(transfer, today=timezone.localdate()),
            "form": form or PassphraseForm(),
            "opened": opened,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def incoming(request: HttpRequest, transfer_id: int) -> HttpResponse:
    return _incoming_page(request, incoming_transfer_for_user(request_user(request), transfer_id))


@require_POST
@login_required
def confirm(request: HttpRequest, transfer_id: int) -> HttpResponse:
    user = request_user(request)
    transfer = incoming_transfer_for_user(user, transfer_id)
    try:
        receipt_confirm(actor=user, transfer=transfer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Receipt confirmed: the sending school can see it.")
    return redirect("transfers:incoming", transfer.pk)


def _refused(form: PassphraseForm, refused: PackageRefusedError) -> None:
    form.add_error(refused.field if refused.field in form.fields else None, str(refused))


@require_POST
@login_required
def open_incoming(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The passphrase opens the package: its records shown, nothing written yet."""
    user = request_user(request)
    transfer = incoming_transfer_for_user(user, transfer_id)
    form = PassphraseForm(request.POST)
    if form.is_valid():
        try:
            opened = incoming_open(
                actor=user, transfer=transfer, passphrase=form.cleaned_data["passphrase"]
            )
        except PackageRefusedError as refused:
            _refused(form, refused)
        else:
            return _incoming_page(request, transfer, opened=opened)
    return _incoming_page(request, transfer, form=form, status=400)


@require_POST
@login_required
def accept(request: HttpRequest, transfer_id: int) -> HttpResponse:
    user = request_user(request)
    transfer = incoming_transfer_for_user(user, transfer_id)
    form = PassphraseForm(request.POST)
    if form.is_valid():
        try:
            file = incoming_accept(
                actor=user, transfer=transfer, passphrase=form.cleaned_data["passphrase"]
            )
        except PackageRefusedError as refused:
            _refused(form, refused)
        except ValidationError as error:  # accepted already
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, "The pupil's file is now part of your school's records.")
            return redirect("transfers:file", file.pk)
    return _incoming_page(request, transfer, form=form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def import_package(request: HttpRequest, school_id: int) -> HttpResponse:
    """A package from another installation: upload with digest and passphrase to see
    it (preview), then the same again with "accept" to bring it in."""
    user = request_user(request)
    school = school_for_user(user, school_id, TRANSFER_RECORDS)
    form = (
        PackageImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else PackageImportForm()
    )
    opened = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "actor": user,
            "school": school,
            "data": data["package"],
            "passphrase": data["passphrase"],
            "sha256": data["sha256"],
        }
        try:
            if request.POST.get("action") == "accept":
                file = package_import(**arguments)
                messages.success(request, "The pupil's file is now part of your school's records.")
                return redirect("transfers:file", file.pk)
            opened = package_preview(**arguments)
        except PackageRefusedError as refused:
            _refused(form, refused)
    failed = request.method == "POST" and opened is None
    response = render(
        request,
        "transfers/import.html",
        {"school": school, "form": form, "opened": opened, "sha256": form.data.get("sha256", "")},
        status=400 if failed else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def file(request: HttpRequest, file_id: int) -> HttpResponse:
    found = file_in_for_user(request_user(request), file_id)
    return render(
        request,
        "transfers/file.html",
        {"file": found, "records": list(found.records.all())},
    )


@require_GET
@login_required
def file_pdf(request: HttpRequest, file_id: int) -> HttpResponse:
    found = file_in_for_user(request_user(request), file_id)
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="transferred-{found.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _link(token: str) -> ReceiptLink:
    if len(token) > 100:
        raise Http404("No such link.")
    link = receipt_link_for_token(receipt_token_digest(token))
    if link is None or link.transfer.status == TransferStatus.FAILED:
        raise Http404("No such link.")
    return link


@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    """The outside DSL's page: download the package, then confirm receipt (once)."""
    link = _link(token)
    form = ReceiptLinkConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request.POST.get("action") == "download":
            data = receipt_link_download(link=link)
            response = HttpResponse(data, content_type="application/octet-stream")
            response["Content-Disposition"] = (
                f'attachment; filename="{link.transfer.package_file_name}"'
            )
            response["Cache-Control"] = "no-store"
            return response
        if form.is_valid():
            try:
                receipt_link_confirm(
                    link=link, name=form.cleaned_data["name"], role=form.cleaned_data["role"]
                )
            except ValidationError:
                raise Http404("No such link.") from None
            response = render(request, "transfers/receipt_done.html", {"transfer": link.transfer})
            response["Cache-Control"] = "no-store"
            return response
    response = render(
        request,
        "transfers/receipt.html",
        {"link": link, "transfer": link.transfer, "form": form},
        status=400 if request.method == "POST" else 200,
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response

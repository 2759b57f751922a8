"""The transfer pages through the test client: starting one (finding the school, what
goes and what is withheld, the form's errors), the transfer's page with its passphrase
shown once, a receipt recorded by hand, the receiving DSL's confirm / open / accept, the
import of a package from another installation, and where transfers show on the home and
pupil pages.

Each package costs a scrypt encryption and each opening a decryption (about 1.3 s
each), so the journeys are few tests that each walk several steps."""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from safeguarding.audit import save_audited
from safeguarding.models import Pupil
from safeguarding.two_factor import REAUTHENTICATED_AT_KEY
from tests.safeguarding.uploads.samples import IMAGES
from transfers.models import Transfer, TransferredFile, TransferStatus
from transfers.sending.services import passphrase_reveal

pytestmark = pytest.mark.django_db

PASSPHRASE = re.compile(r"<code>([a-z]+(?:-[a-z]+){5})</code>")


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def error_link(field_id: str, label: str, message: str) -> str:
    """The error summary's entry: the field's label and message, linked to the field."""
    return f'<a href="#{field_id}">{label}: {message}</a>'


def recently_authenticated(client: Any) -> None:
    session = client.session
    session[REAUTHENTICATED_AT_KEY] = time.time()
    session.save()


def stale_authentication(client: Any) -> None:
    session = client.session
    session[REAUTHENTICATED_AT_KEY] = time.time() - settings.RECENT_AUTHENTICATION_MINUTES * 60 - 60
    session.save()


def leaving(day: dt.date, name: str = "leaving_on") -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


# --- Starting a transfer -------------------------------------------------------------


def test_the_start_page_finds_the_school_by_name_or_dfe_number_and_says_what_goes(
    client: Any, people: Any, leaver: Pupil, incident: Incident
) -> None:
    other = people.other_school
    other.dfe_number = "3514001"
    save_audited(other, actor=people.operator)
    client.force_login(people.dsl)
    url = reverse("transfers:start", args=[leaver.pk])
    for query in ("hillside", "351/4001"):
        page = client.get(url, {"school_q": query})
        assert page.status_code == 200
        assert f'value="{other.pk}"' in text(page), query
        assert "Hillside School (DfE 3514001)" in text(page), query
    nothing = client.get(url, {"school_q": "Nowhere Grammar"})
    assert f'value="{other.pk}"' not in text(nothing)
    assert "No school here matches “Nowhere Grammar”" in text(nothing)
    assert f'value="{people.school.pk}"' not in text(client.get(url, {"school_q": "Riverside"}))
    page = text(client.get(url))
    assert "What goes" in page and incident.reference in page
    assert "What is withheld, and why" in page
    assert "initials" in page  # other children's names


def test_starting_without_a_school_an_email_or_a_real_date_names_the_field(
    client: Any, people: Any, leaver: Pupil
) -> None:
    client.force_login(people.dsl)
    url = reverse("transfers:start", args=[leaver.pk])
    day = leaving(dt.date(2026, 11, 18))

    no_school = client.post(url, day)
    assert no_school.status_code == 400
    assert error_link(
        "id_receiving_0",
        "The school the pupil is going to",
        "Choose the new school, or give an outside school's details.",
    ) in text(no_school)

    outside = client.post(
        url,
        {**day, "receiving": "elsewhere", "receiving_name": "Elsewhere High"}
        | {"receiving_dsl_name": "Erin Elsewhere"},
    )
    assert outside.status_code == 400
    assert error_link(
        "id_receiving_dsl_email",
        "Email of their DSL",
        "Enter the email of the outside school's DSL.",
    ) in text(outside)

    bad_date = client.post(
        url,
        {
            "receiving": "elsewhere",
            "receiving_name": "Elsewhere High",
            "receiving_dsl_name": "Erin Elsewhere",
            "receiving_dsl_email": "dsl@elsewhere.example",
            **leaving(dt.date(2026, 2, 28)),
            "leaving_on_0": "31",
        },
    )
    assert bad_date.status_code == 400
    assert error_link("id_leaving_on_0", "Leaving date", "The date must be a real date.") in text(
        bad_date
    )
    assert not Transfer.objects.exists()


def test_a_transfer_started_shows_its_progress_then_the_package_and_the_passphrase_once(
    client: Any, people: Any, leaver: Pupil, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(people.dsl)
    start = reverse("transfers:start", args=[leaver.pk])
    with django_capture_on_commit_callbacks() as waiting:  # the package task, held back
        response = client.post(
            start,
            {
                "school_q": "Hillside",
                "receiving": str(people.other_school.pk),
                "note": "Ring me first.",
                **leaving(dt.date(2026, 11, 18)),
            },
        )
    transfer = Transfer.objects.get()
    detail = reverse("transfers:detail", args=[transfer.pk])
    assert response.status_code == 302 and response["Location"] == detail

    preparing = client.get(detail)
    assert transfer.status == TransferStatus.PREPARING
    assert "The package is being made" in text(preparing)
    assert "Records laid out: " in text(preparing)
    assert preparing["Refresh"]
    assert "Show the passphrase" not in text(preparing)

    for callback in waiting:  # the task runs: the package is made
        callback()
    transfer.refresh_from_db()
    made = text(client.get(detail))
    assert transfer.status == TransferStatus.SENT
    assert transfer.package.sha256 in made
    assert "Show the passphrase" in made

    passphrase = reverse("transfers:passphrase", args=[transfer.pk])
    stale_authentication(client)
    asked = client.post(passphrase, HTTP_REFERER=f"http://testserver{detail}")
    assert urlsplit(asked["Location"]).path == reverse("account:confirm_password")
    transfer.refresh_from_db()
    assert transfer.passphrase  # not shown, so still kept

    recently_authenticated(client)
    shown = client.post(passphrase)
    assert shown.status_code == 200
    assert shown["Cache-Control"] == "no-store"
    (words,) = PASSPHRASE.findall(text(shown))
    assert len(words.split("-")) == 6
    transfer.refresh_from_db()
    assert transfer.passphrase == "" and transfer.passphrase_shown_at is not None

    again = client.post(passphrase, follow=True)
    assert words not in text(again)
    assert PASSPHRASE.findall(text(again)) == []
    assert "The passphrase has been shown already, and is not kept." in text(again)
    assert words not in text(client.get(detail))

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    future = client.post(
        reverse("transfers:receipt_by_hand", args=[transfer.pk]),
        {"received_by_name": "Ms Shah, DSL", **leaving(tomorrow, "received_on")}
        | {"received_time": "10:00"},
    )
    assert future.status_code == 400
    assert error_link(
        "id_received_on_0",
        "Date receipt was confirmed",
        "The date receipt was confirmed cannot be in the future.",
    ) in text(future)
    transfer.refresh_from_db()
    assert not transfer.is_received


# --- Receiving it here ---------------------------------------------------------------


def test_the_receiving_dsl_confirms_opens_and_accepts_the_file(
    client: Any, people: Any, sent: Transfer, incident: Incident, leaver: Pupil
) -> None:
    words = passphrase_reveal(actor=people.dsl, transfer=sent)
    client.force_login(people.other_dsl)
    incoming = reverse("transfers:incoming", args=[sent.pk])
    page = text(client.get(incoming))
    assert sent.reference in page and "Confirm receipt" in page and "Not yet confirmed" in page

    confirmed = client.post(reverse("transfers:confirm", args=[sent.pk]), follow=True)
    assert "Receipt confirmed: the sending school can see it." in text(confirmed)
    sent.refresh_from_db()
    assert sent.is_received and sent.received_by == people.other_dsl

    opening = reverse("transfers:open", args=[sent.pk])
    wrong = client.post(opening, {"passphrase": "acorn-amber-anchor-apple-arrow-aspen"})
    assert wrong.status_code == 400
    assert "Passphrase: The passphrase does not open this package" in text(wrong)

    opened = text(client.post(opening, {"passphrase": words}))
    assert "The package opened, its digests check" in opened
    assert leaver.given_name in opened and leaver.upn in opened
    assert incident.reference in opened
    assert "Accept the pupil and their records" in opened
    assert not TransferredFile.objects.exists()  # nothing written yet

    accepted = client.post(reverse("transfers:accept", args=[sent.pk]), {"passphrase": words})
    file = TransferredFile.objects.get()
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("transfers:file", args=[file.pk])
    assert file.school == people.other_school and file.pupil.school == people.other_school
    page = text(client.get(accepted["Location"]))
    assert file.package_sha256 == sent.package.sha256
    assert file.package_sha256 in page and file.document_digest in page
    records = list(file.records.all())
    assert records and incident.reference in {record.reference for record in records}
    for record in records:
        assert record.reference in page and record.digest in page
    assert reverse("transfers:file_pdf", args=[file.pk]) in page

    pdf = client.get(reverse("transfers:file_pdf", args=[file.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    sent.refresh_from_db()
    assert sent.status == TransferStatus.ACCEPTED


# --- Importing a package from another installation -------------------------------------


def test_a_package_is_imported_checked_previewed_accepted_and_only_once(
    client: Any, people: Any, sent: Transfer, incident: Incident
) -> None:
    words = passphrase_reveal(actor=people.dsl, transfer=sent)
    data = bytes(sent.package.data)
    client.force_login(people.other_dsl)
    url = reverse("transfers:import", args=[people.other_school.pk])

    def upload(content: bytes, name: str = "transfer.age") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type="application/octet-stream")

    picture = client.post(
        url,
        {"package": upload(IMAGES["a PNG image"]), "sha256": "a" * 64, "passphrase": words},
    )
    assert picture.status_code == 400
    assert "The package file (.age): This file is a PNG image" in text(picture)

    changed = client.post(url, {"package": upload(data), "sha256": "0" * 64, "passphrase": words})
    assert changed.status_code == 400
    assert (
        "The package's SHA-256: The file's SHA-256 is not the one the sending school gave"
        in text(changed)
    )

    digest = sent.package.sha256
    spaced = " ".join(digest[i : i + 8] for i in range(0, 64, 8)).upper()
    preview = client.post(url, {"package": upload(data), "sha256": spaced, "passphrase": words})
    assert preview.status_code == 200
    assert "The package opened, its digests check" in text(preview)
    assert incident.reference in text(preview)
    assert not TransferredFile.objects.exists()

    accepted = client.post(
        url,
        {"package": upload(data), "sha256": digest, "passphrase": words, "action": "accept"},
    )
    file = TransferredFile.objects.get()
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("transfers:file", args=[file.pk])
    assert file.school == people.other_school and file.package_sha256 == digest

    twice = client.post(
        url,
        {"package": upload(data), "sha256": digest, "passphrase": words, "action": "accept"},
    )
    assert twice.status_code == 400
    assert "This package has been imported here already." in text(twice)
    assert TransferredFile.objects.count() == 1


# --- Where transfers show ------------------------------------------------------------


def test_the_home_and_pupil_pages_show_the_transfer_to_whom_it_concerns(
    client: Any, people: Any, sent: Transfer, leaver: Pupil
) -> None:
    client.force_login(people.other_dsl)
    theirs = text(client.get(reverse("home")))
    assert "Child protection files sent to your schools" in theirs
    assert reverse("transfers:incoming", args=[sent.pk]) in theirs
    assert sent.reference in theirs and people.school.name in theirs

    client.force_login(people.dsl)
    ours = text(client.get(reverse("home")))
    assert "Files you sent, waiting for receipt" in ours
    assert reverse("transfers:detail", args=[sent.pk]) in ours
    pupil = text(client.get(reverse("cases:pupil", args=[leaver.pk])))
    assert f"Transfer {sent.reference}" in pupil
    assert f"to {people.other_school.name}" in pupil

    client.force_login(people.trust_lead)
    lead = client.get(reverse("home"))
    page = text(lead)
    assert "Transfers of child protection files" in page
    counts = re.search(r'aria-label="Transfers of files".*?</table>', page, re.S)
    assert counts is not None
    row = re.search(rf"{people.school.name}</th>(.*?)</tr>", counts.group(0), re.S)
    assert row is not None
    # Due, sent, received, overdue: the one transfer, sent (overdue once its due date,
    # 25 November 2026, has passed on the real clock).
    due, sent_count, received, overdue = map(int, re.findall(r">\s*(\d+)\s*<", row.group(1)))
    assert (due, received) == (0, 0) and sent_count + overdue == 1
    for name in leaver.names:
        assert name not in page
    assert sent.reference not in page
    assert reverse("transfers:detail", args=[sent.pk]) not in page

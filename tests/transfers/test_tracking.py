"""Where a transfer stands, and the edges of sending and receiving one: overdue from the
day after the due date (weekends and years later too), a failed package that is not
going, the caseload pack's list, a failure that cannot undo a sent package, the MIS's
leaving date, a calendar that gives up, an outside school with no URN, and packages
from another system that are refused by name."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import warnings
import zipfile
from typing import Any

import pyrage
import pytest
from django.core.exceptions import ValidationError

from safeguarding.calendar.services import term_date_add
from safeguarding.models import Pupil
from safeguarding.services import pupil_save
from tests.incidents.packs.builders import contents_for
from transfers.models import Transfer, TransferredFile, TransferStatus
from transfers.package.archive import (
    DOCUMENT_NAME,
    README_NAME,
    PackageRefusedError,
    open_package,
    seal,
    sha256_of,
)
from transfers.package.document import canonical_digest
from transfers.receiving.services import package_import
from transfers.selectors import State, overdue_transfers, transfer_row
from transfers.sending import making
from transfers.sending.services import passphrase_reveal, transfer_start

from .conftest import start
from .test_outside_and_reminders import OUTSIDE

pytestmark = pytest.mark.django_db

#: A Friday: the file is due five school days later, on Friday 27 November 2026.
FRIDAY = dt.date(2026, 11, 20)


def started(people: Any, pupil: Pupil, leaving_on: dt.date = FRIDAY) -> Transfer:
    """A transfer whose package is not made (no commit in this test)."""
    return transfer_start(
        actor=people.dsl, pupil=pupil, leaving_on=leaving_on, receiving_school=people.other_school
    )


# --- Where it stands ----------------------------------------------------------------------


def test_overdue_from_the_day_after_the_due_date_even_at_the_weekend(
    people: Any, leaver: Pupil
) -> None:
    transfer = started(people, leaver)
    assert transfer.due_on == dt.date(2026, 11, 27)
    on = {day: transfer_row(transfer, today=dt.date(2026, 11, day)) for day in (25, 27, 28, 30)}
    assert on[25].days_left_text == "2 school days left" and not on[25].overdue
    assert on[27].days_left_text == "Due today" and not on[27].overdue
    # Saturday: no school day has passed since, but the due date has.
    assert on[28].overdue and on[28].days_left_text == "Overdue"
    assert on[30].overdue and on[30].days_left_text == "1 school day late"


def test_a_transfer_years_overdue_still_counts(people: Any, leaver: Pupil) -> None:
    row = transfer_row(started(people, leaver), today=dt.date(2031, 3, 3))
    assert row.overdue
    assert row.days_left is not None and row.days_left < -1000
    assert row.days_left_text == f"{-row.days_left} school days late"


def test_a_package_not_made_is_not_going_so_not_overdue(people: Any, leaver: Pupil) -> None:
    transfer = started(people, leaver)
    making._fail(transfer, RuntimeError("the disk"))
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.FAILED
    row = transfer_row(transfer, today=dt.date(2026, 12, 7))
    assert (row.state, row.days_left, row.days_left_text) == (State.FAILED, None, "")
    assert overdue_transfers(people.school, today=dt.date(2026, 12, 7)) == []


def test_a_failure_after_the_package_was_sent_changes_nothing(people: Any, sent: Transfer) -> None:
    """A second run of the task that fails must not undo the first one's package."""
    making._fail(sent, RuntimeError("a second run"))
    sent.refresh_from_db()
    assert sent.status == TransferStatus.SENT
    assert sent.error == ""
    assert passphrase_reveal(actor=people.dsl, transfer=sent)


def test_the_caseload_pack_lists_an_overdue_file_by_the_pupils_initials(
    people: Any, sent: Transfer, leaver: Pupil
) -> None:
    """Sent for 25 November with no receipt: overdue on the day the pack is made."""
    (listed,) = contents_for(people).transfers_overdue
    assert (listed.reference, listed.to) == (sent.reference, people.other_school.name)
    assert listed.pupil == leaver.initials
    assert listed.due_on == dt.date(2026, 11, 25)


# --- Starting -----------------------------------------------------------------------------


def test_a_leaving_date_from_the_mis_is_kept(people: Any, leaver: Pupil) -> None:
    leaver.left_on = dt.date(2026, 11, 13)
    pupil_save(actor=people.dsl, pupil=leaver)
    transfer = started(people, leaver)
    leaver.refresh_from_db()
    assert leaver.left_on == dt.date(2026, 11, 13)
    assert transfer.leaving_on == FRIDAY


def test_a_calendar_with_no_school_day_ahead_is_named_on_the_leaving_date(
    people: Any, leaver: Pupil
) -> None:
    for name, starts_on, ends_on in (
        ("Autumn 2026", dt.date(2026, 11, 2), dt.date(2026, 11, 20)),
        ("Autumn 2030, a typing slip", dt.date(2030, 11, 4), dt.date(2030, 11, 22)),
    ):
        term_date_add(
            actor=people.dsl, school=people.school, name=name, starts_on=starts_on, ends_on=ends_on
        )
    with pytest.raises(ValidationError) as refused:
        started(people, leaver)
    assert list(refused.value.message_dict) == ["leaving_on"]
    assert "No school day in three years" in refused.value.message_dict["leaving_on"][0]
    assert not Transfer.objects.exists()


def test_an_outside_school_whose_urn_is_not_known_gets_a_valid_package(
    people: Any, leaver: Pupil, django_capture_on_commit_callbacks: Any
) -> None:
    transfer = start(
        people, leaver, django_capture_on_commit_callbacks, **{**OUTSIDE, "receiving_urn": ""}
    )
    assert transfer.status == TransferStatus.SENT, transfer.error


# --- Packages from another system -----------------------------------------------------------


def resealed(sent: Transfer, passphrase: str, change: Any) -> tuple[bytes, str]:
    """The sent package opened, its document changed by `change` and its digest worked
    out again (as another system would write it), sealed with `passphrase`."""
    package = sent.package
    opened = open_package(
        bytes(package.data), passphrase=passphrase, expected_sha256=package.sha256
    )
    document = copy.deepcopy(opened.document)
    change(document)
    document["digest"] = canonical_digest(document)
    data = seal(document=document, pdf=opened.pdf, pdf_name=opened.pdf_name, passphrase=passphrase)
    return data, sha256_of(data)


def test_a_value_this_system_cannot_keep_is_refused_by_name(people: Any, sent: Transfer) -> None:
    passphrase = passphrase_reveal(actor=people.dsl, transfer=sent)

    def long_name(document: dict[str, Any]) -> None:
        document["transfer"]["from"]["name"] = "A" * 250

    data, digest = resealed(sent, passphrase, long_name)
    with pytest.raises(PackageRefusedError) as refused:
        package_import(
            actor=people.other_dsl,
            school=people.other_school,
            data=data,
            passphrase=passphrase,
            sha256=digest,
        )
    assert "cannot keep: origin_name:" in str(refused.value)
    assert not TransferredFile.objects.exists()


def zipped(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():  # a name twice is the point of one case
        warnings.simplefilter("ignore", UserWarning)
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            for name, content in members:
                archive.writestr(name, content)
    return buffer.getvalue()


DOCUMENT = json.dumps({"format": "safeguarding-transfer"}).encode()
PDF = b"%PDF-1.7 the pupil's file"


@pytest.mark.parametrize(
    "members",
    [
        [(README_NAME, b"r"), ("A.pdf", PDF), (DOCUMENT_NAME, DOCUMENT), ("x.txt", b"x")],
        [("A.pdf", PDF), (DOCUMENT_NAME, DOCUMENT), ("notes.txt", b"x")],
        [(README_NAME, b"r"), (DOCUMENT_NAME, DOCUMENT), (DOCUMENT_NAME, DOCUMENT)],
    ],
    ids=["a fourth file", "no README", "the document twice"],
)
def test_a_package_holding_anything_but_its_three_files_is_refused(
    members: list[tuple[str, bytes]],
) -> None:
    data = pyrage.passphrase.encrypt(zipped(members), "some-words")
    with pytest.raises(PackageRefusedError, match=r"should hold README\.txt, one PDF"):
        open_package(data, passphrase="some-words", expected_sha256=sha256_of(data))


def test_a_damaged_file_inside_the_package_is_refused() -> None:
    pdf = b"%PDF-1.7 " + b"the pupil's file " * 20
    plain = bytearray(
        zipped([(README_NAME, b"r"), ("A.pdf", pdf), (DOCUMENT_NAME, b'{"format": 1}')])
    )
    at = plain.index(b"the pupil's file")
    plain[at] ^= 0x01  # the stored PDF's bytes no longer match their CRC-32
    data = pyrage.passphrase.encrypt(bytes(plain), "some-words")
    with pytest.raises(PackageRefusedError, match="a file in it cannot be read"):
        open_package(data, passphrase="some-words", expected_sha256=sha256_of(data))

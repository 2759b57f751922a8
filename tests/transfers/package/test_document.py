"""The machine-readable document (issue 19; docs/transfer-format.md): it validates
against the published schema, carries the file with other children as initials, and
`verify_document` finds a changed field and a schema violation."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest

from tests.transfers.package.conftest import HIDDEN_NARRATIVE, Leaver
from transfers.package.contents import TransferFacts, pupil_file
from transfers.package.document import (
    canonical_digest,
    transfer_document,
    validator,
    verify_document,
)

pytestmark = pytest.mark.django_db

PDF_SHA256 = hashlib.sha256(b"the PDF").hexdigest()


@pytest.fixture
def document(named: Any, leaver: Leaver, transfer: TransferFacts) -> dict[str, Any]:
    file = pupil_file(actor=named.dsl, pupil=leaver.pupil)
    return transfer_document(pupil_file=file, transfer=transfer, pdf_sha256=PDF_SHA256, pdf_pages=9)


def test_the_document_validates_against_the_published_schema(document: dict[str, Any]) -> None:
    assert list(validator().iter_errors(document)) == []
    assert verify_document(document) == []
    # What a receiving system reads: the file survives a round trip through JSON text.
    assert verify_document(json.loads(json.dumps(document))) == []


def test_the_document_holds_the_transfer_the_pupil_and_every_record(
    document: dict[str, Any], leaver: Leaver, transfer: TransferFacts
) -> None:
    assert (document["format"], document["version"]) == ("safeguarding-transfer", 1)
    assert document["transfer"]["reference"] == transfer.reference
    assert document["transfer"]["to"]["dsl_name"] == "Rosalind Pemberton-Gage"
    assert document["transfer"]["made_at"][-6] in "+-"  # with its offset
    assert document["pupil"]["upn"] == leaver.pupil.upn
    assert document["pupil"]["legal_given_name"] == "Zephyrine"
    records = {record["reference"]: record for record in document["records"]}
    assert set(records) == {leaver.rich.reference, leaver.concern.reference}
    rich = records[leaver.rich.reference]
    assert rich["kind"] == "incident" and rich["pupil_roles"] == ["pictured"]
    kinds = {entry["kind"] for entry in rich["entries"]}
    assert kinds == {"decision", "referral", "parent_contact", "sign_off"}
    assert rich["history_digest"] == leaver.rich.history.order_by("-history_id")[0].chain_hash
    concern = records[leaver.concern.reference]
    assert concern["status"] == "closed" and concern["incident_reference"] is None
    assert [entry["kind"] for entry in concern["entries"]] == [
        "note",
        "acknowledgement",
        "concern_outcome",
    ]
    for record in document["records"]:
        assert record["digest"] == canonical_digest(record)
    assert document["pdf"] == {
        "file_name": f"{transfer.reference}.pdf",
        "sha256": PDF_SHA256,
        "pages": 9,
    }


def test_other_children_are_initials_and_the_pupil_and_staff_are_named(
    document: dict[str, Any],
) -> None:
    text = json.dumps(document, ensure_ascii=False)
    for other in ("Ruairi", "Featherstonhaugh", "Wilhelmina", "Throckmorton", "Hermione"):
        assert other not in text
    assert HIDDEN_NARRATIVE not in text
    assert "that RF had shared a photo" in text
    assert "WT was showing Zephyrine a phone" in text
    for kept in ("Zephyrine", "Okonkwo", "Imogen Quarrie", "Octavia Fennimore"):
        assert kept in text


def test_the_digests_are_of_the_canonical_json_without_the_digest(
    document: dict[str, Any],
) -> None:
    rest = {key: value for key, value in document.items() if key != "digest"}
    text = json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert document["digest"] == hashlib.sha256(text.encode()).hexdigest()


def test_a_changed_record_breaks_its_digest_and_the_documents(
    document: dict[str, Any],
) -> None:
    changed = copy.deepcopy(document)
    changed["records"][1]["entries"][0]["text"] = "Nothing happened."
    problems = verify_document(changed)
    reference = changed["records"][1]["reference"]
    assert problems == [
        f"$.records[1]: record {reference} does not match its digest",
        "$.digest: the document does not match its digest",
    ]


def test_a_changed_transfer_field_breaks_the_documents_digest(
    document: dict[str, Any],
) -> None:
    changed = copy.deepcopy(document)
    changed["transfer"]["to"]["urn"] = "654321"
    assert verify_document(changed) == ["$.digest: the document does not match its digest"]


def test_a_schema_violation_is_named_by_its_path(document: dict[str, Any]) -> None:
    changed = copy.deepcopy(document)
    changed["pupil"]["upn"] = "not a UPN"
    changed["records"][0]["opened_at"] = "2026-03-01 09:00"
    changed["pdf"]["sha256"] = "ABC"
    changed["extra"] = True
    problems = verify_document(changed)
    assert any(p.startswith("$.pupil.upn: 'not a UPN' does not match") for p in problems)
    assert any(p.startswith("$.records[0].opened_at:") for p in problems)
    assert any(p.startswith("$.pdf.sha256:") for p in problems)
    assert any(p.startswith("$: Additional properties") for p in problems)
    assert "$.digest: the document does not match its digest" in problems


def test_something_that_is_not_a_document_is_refused() -> None:
    assert verify_document([]) == ["$: [] is not of type 'object'"]


def test_a_date_that_cannot_be_is_refused_by_the_schema(document: dict[str, Any]) -> None:
    """The pattern lets 30 February through; the date-time format does not, so an
    importing school refuses it by name instead of failing on it later."""
    changed = copy.deepcopy(document)
    changed["records"][0]["opened_at"] = "2026-02-30T09:00:00+00:00"
    changed["pupil"]["date_of_birth"] = "2012-02-30"
    problems = verify_document(changed)
    assert any(
        p.startswith("$.records[0].opened_at: '2026-02-30T09:00:00+00:00' is not a")
        for p in problems
    )
    assert any(p.startswith("$.pupil.date_of_birth: '2012-02-30' is not a") for p in problems)


def test_a_receiving_school_without_a_urn_is_a_valid_document(document: dict[str, Any]) -> None:
    changed = copy.deepcopy(document)
    changed["transfer"]["to"]["urn"] = ""
    assert verify_document(changed) == ["$.digest: the document does not match its digest"]
    changed["transfer"]["from"]["urn"] = "12"
    assert any(
        p.startswith("$.transfer.from.urn: '12' does not match") for p in verify_document(changed)
    )

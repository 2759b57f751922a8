"""A DSL imports the example Common Transfer File from the home page: the preview names
the new, changed and rejected rows, confirming applies it, and the changed pupil's page
shows the change with the import named; at phone width the pages do not scroll sideways,
and every import page passes axe. A data manager reaches the same pages and is never told
who has a safeguarding file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pupils.models import PupilImport
from safeguarding.models import Pupil, School

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
CTF = Path(__file__).resolve().parents[2] / "docs" / "examples" / "pupils-ctf.xml"
UPLOAD = "Choose the file exported from your MIS"


def assert_fits_phone(page: Page, where: str) -> None:
    """No sideways scrolling of the page itself at 375 px (wide tables scroll inside
    their own region)."""
    page.set_viewport_size(PHONE)
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client + 1, f"{where} scrolls sideways at 375 px: {scroll} > {client}"
    page.set_viewport_size(DESKTOP)


def test_a_dsl_imports_the_example_ctf_and_sees_the_change_on_the_pupil(
    page: Page, demo, sign_in, live_server, axe_violations
):
    school = School.objects.get(dfe_number="3834021")
    page.set_viewport_size(DESKTOP)
    sign_in("dsl@riverside.example")

    # From the home page to the upload page.
    page.get_by_role("link", name=f"Import pupils of {school.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import pupils from your MIS")
    assert axe_violations(page) == []
    assert_fits_phone(page, "the upload page")

    # Upload the example CTF and check it.
    page.get_by_label(UPLOAD).set_input_files(CTF)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the import before it is applied"
    )
    pupil_import = PupilImport.objects.get(school=school, file_name="pupils-ctf.xml")
    assert not pupil_import.is_applied

    counts = page.locator("#counts")
    expect(counts).to_contain_text("4 new pupils")
    expect(counts).to_contain_text("1 changed")
    expect(counts).to_contain_text("1 row rejected")
    expect(page.get_by_text("Hillside Primary School (330/2101), 15 July 2026")).to_be_visible()

    rejected = page.locator("#rejected tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.locator("td").nth(0)).to_contain_text("Row 5: Samuel Osei")
    expect(rejected.locator("td").nth(1)).to_contain_text(
        "UPN: The check letter does not match the rest of the UPN"
    )

    changed = page.locator("#changed tbody tr")
    expect(changed).to_have_count(1)
    expect(changed.get_by_role("rowheader")).to_contain_text("D383402123006")
    expect(changed).to_contain_text("Preferred forename: (none) → Amy")
    expect(page.locator("#new tbody tr")).to_have_count(4)
    assert axe_violations(page) == []
    assert_fits_phone(page, "the preview")

    # Confirm: the import is applied and says what it did.
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Pupil import RA-P-.+-0001")
    )
    pupil_import.refresh_from_db()
    assert pupil_import.is_applied
    assert re.fullmatch(r"RA-P-.+-0001", pupil_import.reference)
    expect(page.get_by_text(f"Import {pupil_import.reference} was applied.")).to_be_visible()
    expect(page.get_by_role("heading", name="What the import did")).to_be_visible()
    expect(page.locator("#counts")).to_contain_text("4 new pupils")
    expect(page.locator("#counts")).to_contain_text("1 changed")
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)
    assert axe_violations(page) == []

    # Amara, now Amy, is found by her preferred name; her page shows the change.
    page.get_by_role("link", name="Safeguarding records").click()
    page.get_by_label("Find a pupil").fill("Amy Okafor")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Amy Okafor").click()
    history = page.locator("#record-changes")
    expect(history).to_contain_text("Changes to the pupil record")
    latest = history.locator("tbody tr").first
    expect(latest).to_contain_text(f"Pupil import {pupil_import.reference}")
    expect(latest).to_contain_text("Amy")


def without_rejected_row(tmp_path: Path) -> Path:
    """The example CTF without its mistyped UPN: a whole roll with a rejected row marks
    nobody as left (docs/pupil-import.md#whole-roll-and-leavers)."""
    text = CTF.read_text()
    start = text.rindex("<Pupil>", 0, text.index("X330210119005"))
    end = text.index("</Pupil>", start) + len("</Pupil>")
    assert "X330210119005" in text[start:end]
    path = tmp_path / "pupils-ctf.xml"
    path.write_text(text[:start] + text[end:])
    return path


def test_a_data_manager_imports_without_learning_who_has_a_safeguarding_file(
    page: Page, demo, sign_in, live_server, tmp_path
):
    """A full-roll import, so that pupils with a safeguarding file would leave: the DSL
    would be warned; the data manager is not, on the preview or once it is applied."""
    school = School.objects.get(dfe_number="3834021")
    page.set_viewport_size(DESKTOP)
    sign_in("data@riverside.example")
    leavers = re.compile("leavers|safeguarding file", re.I)
    expect(page.get_by_role("link", name=leavers)).to_have_count(0)

    page.get_by_role("link", name=f"Import pupils of {school.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import pupils from your MIS")
    expect(page.locator("main").get_by_text(leavers)).to_have_count(0)
    page.get_by_label(UPLOAD).set_input_files(without_rejected_row(tmp_path))
    page.get_by_label("This file lists every pupil on roll").check()
    dates = page.get_by_role("group", name="Leaving date for pupils not in the file")
    dates.get_by_label("Day").fill("22")
    dates.get_by_label("Month").fill("7")
    dates.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the import before it is applied"
    )
    pupil_import = PupilImport.objects.get(school=school, file_name="pupils-ctf.xml")
    assert pupil_import.full_roll

    # Pupils with a safeguarding file are among those leaving, yet nothing says so.
    leaving = page.locator("#leaving tbody tr")
    expect(leaving.first).to_be_visible()
    assert leaving.count() > 1
    assert Pupil.objects.filter(school=school, involvements__isnull=False).exists()
    for where in ("the preview", "the applied import"):
        main = page.locator("main")
        expect(main.get_by_text(leavers), where).to_have_count(0)
        expect(page.get_by_role("link", name=leavers), where).to_have_count(0)
        if where == "the preview":
            page.get_by_role("button", name="Confirm and import").click()
            expect(page.get_by_role("heading", name="What the import did")).to_be_visible()
    assert Pupil.objects.filter(
        school=school, left_on__isnull=False, involvements__isnull=False
    ).exists()

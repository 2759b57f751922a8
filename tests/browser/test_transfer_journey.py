"""Issue 19's "done when", in Chromium between the two demo schools: Riverside's DSL
sends Grace Holroyd's file to the Colegio, sees the passphrase once; the Colegio's DSL
is shown the file on their home page, confirms receipt, opens it with the passphrase
and accepts it; Riverside's DSL sees the receipt; and the package opens and verifies
from the command line. Every transfer page passes axe and fits a phone."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from transfers.models import Transfer, TransferStatus

from .test_pupil_import import DESKTOP, assert_fits_phone

pytestmark = pytest.mark.browser

RIVERSIDE_DSL = "dsl@riverside.example"
COSTA_DSL = "dsl@costadelsol.example"


def check(page: Page, axe_violations, where: str) -> None:
    assert axe_violations(page) == [], where
    assert_fits_phone(page, where)


def test_a_file_goes_from_one_demo_school_to_the_other_and_is_confirmed(
    page: Page, demo, sign_in, live_server, axe_violations, tmp_path: Path
):
    page.set_viewport_size(DESKTOP)
    sign_in(RIVERSIDE_DSL)
    page.get_by_role("link", name="Leavers with a safeguarding file of Riverside Academy").click()
    page.get_by_role("link", name="Grace Holroyd").click()
    page.get_by_role("link", name="Send this pupil's file to their new school").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Send the child protection file of Grace Holroyd"
    )
    expect(page.get_by_role("heading", name="What is withheld, and why")).to_be_visible()
    page.get_by_label("Find the new school by name or DfE number").fill("Costa")
    page.get_by_role("button", name="Find school").click()
    page.get_by_label(re.compile("Colegio Británico Costa del Sol")).check()
    page.get_by_label("Note for the new school (optional)").fill("Please ring me.")
    check(page, axe_violations, "the start page")
    page.get_by_role("button", name="Start the transfer").click()

    # The tests' task backend makes the package at once; the page shows it.
    transfer = Transfer.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(transfer.reference)
    assert transfer.status == TransferStatus.SENT
    expect(page.get_by_text(transfer.package.sha256)).to_be_visible()
    check(page, axe_violations, "the transfer page")
    page.get_by_role("button", name="Show the passphrase").click()
    passphrase = page.locator(".govuk-panel__body code").inner_text().strip()
    assert len(passphrase.split("-")) == 6
    page.goto(f"{live_server.url}/transfers/{transfer.pk}/")
    expect(page.get_by_text(passphrase)).to_have_count(0)
    expect(page.get_by_text(re.compile("The passphrase was shown on .* not kept"))).to_be_visible()

    # The Colegio's DSL is told on the home page.
    page.context.clear_cookies()
    sign_in(COSTA_DSL)
    page.get_by_role("link", name=transfer.reference).click()
    check(page, axe_violations, "the incoming transfer page")
    page.get_by_role("button", name="Confirm receipt").click()
    expect(page.get_by_text("Receipt confirmed: the sending school can see it.")).to_be_visible()
    page.get_by_label("Passphrase").fill("wrong-words-entirely")
    page.get_by_role("button", name="Open and check it").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The passphrase does not open")
    page.get_by_label("Passphrase").fill(passphrase)
    page.get_by_role("button", name="Open and check it").click()
    expect(page.get_by_text("The package opened, its digests check")).to_be_visible()
    expect(page.get_by_text("Grace Holroyd").first).to_be_visible()
    check(page, axe_violations, "the opened package")
    page.get_by_label("Passphrase").fill(passphrase)
    page.get_by_role("button", name="Accept the pupil and their records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("File transferred in: Grace Holroyd")
    expect(page.get_by_role("heading", name=re.compile(r"Records \(\d+\)"))).to_be_visible()
    check(page, axe_violations, "the transferred-in file")

    # Riverside's DSL sees the receipt.
    page.context.clear_cookies()
    sign_in(RIVERSIDE_DSL)
    page.goto(f"{live_server.url}/transfers/{transfer.pk}/")
    expect(page.get_by_text(re.compile("Confirmed .* by Claire Henderson"))).to_be_visible()
    expect(page.get_by_text("The new school has accepted the file.")).to_be_visible()

    # The package opens and verifies from the command line.
    transfer.refresh_from_db()
    package = tmp_path / transfer.package_file_name
    package.write_bytes(bytes(transfer.package.data))
    secret = tmp_path / "passphrase.txt"
    secret.write_text(passphrase + "\n")
    out = io.StringIO()
    call_command(
        "open_transfer",
        str(package),
        sha256=transfer.package.sha256,
        passphrase_file=str(secret),
        output=str(tmp_path / "opened"),
        stdout=out,
    )
    assert f"Package verified: SHA-256 {transfer.package.sha256}." in out.getvalue()
    assert (tmp_path / "opened" / f"{transfer.reference}.pdf").read_bytes().startswith(b"%PDF-")

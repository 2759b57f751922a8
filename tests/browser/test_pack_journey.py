"""End-to-end: the headteacher makes the school's caseload pack for an inspection and
downloads it (issue 8 item 3; 002 §7.0).

From the caseload the headteacher opens the pack's page, is told which field is missing
when the version is not chosen, asks for the full records for the default dates (this
school year so far), follows the progress page to the download, and the PDF holds the
school's incidents. axe-core checks every page, the error page included. The pack is
made while the request waits here: the tests run each task at once (the immediate
backend), once the request commits.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from incidents.models import Export, ExportStatus, Incident
from tests.browser.journey_steps import Journey

pytestmark = pytest.mark.browser

HEAD = "head@riverside.example"


def test_headteacher_makes_and_downloads_the_caseload_pack(
    page: Page, demo, sign_in, axe_violations
):
    j = Journey(page, axe_violations)
    sign_in(HEAD)
    page.get_by_role("link", name="Incidents of Riverside Academy").click()
    page.get_by_role("link", name="Caseload pack for an inspection (PDF)").click()
    j.visit("Caseload pack for an inspection")

    page.get_by_role("button", name="Make the pack").click()
    j.error("Choose the full records or the version for a partner agency.")
    assert not Export.objects.exists()

    page.get_by_label("Full records, for an inspector").check()
    page.get_by_role("button", name="Make the pack").click()
    j.visit("Caseload pack: ready to download")
    export = Export.objects.get()
    assert export.status == ExportStatus.READY
    expect(page.get_by_text(str(export.id))).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download the pack \(PDF")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    text = subprocess.run(
        ["pdftotext", download.value.path(), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Caseload pack" in text and "OFFICIAL-SENSITIVE" in text
    in_range = Incident.objects.filter(
        school__name="Riverside Academy",
        came_to_light_at__date__gte=export.date_from,
        came_to_light_at__date__lte=export.date_to,
    )
    assert in_range.exists()
    for reference in in_range.values_list("reference", flat=True):
        assert f"{reference}: summary" in text, reference

"""Upload, preview and confirm through HTTP, as a DSL and as a data manager."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pupils.models import ImportStatus, PupilImport
from safeguarding.models import Pupil
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory
from tests.pupils.imports.conftest import example
from tests.pupils.imports.reading.builders import csv_bytes, pupil, upn

pytestmark = pytest.mark.django_db


def upload(client, school, data, name="pupils.xml", **fields):
    return client.post(
        reverse("pupils:upload", kwargs={"school_id": school.pk}),
        {"upload": SimpleUploadedFile(name, data), **fields},
    )


def confirm(client, pupil_import, **answers):
    page = client.get(_detail_url(pupil_import))
    digest = page.context["form"]["digest"].value()
    return client.post(
        reverse(
            "pupils:apply",
            kwargs={"school_id": pupil_import.school_id, "import_id": pupil_import.pk},
        ),
        {"digest": digest, **answers},
    )


def _detail_url(pupil_import):
    return reverse(
        "pupils:import",
        kwargs={"school_id": pupil_import.school_id, "import_id": pupil_import.pk},
    )


def test_the_example_ctf_previews_then_applies(client, people, riverside):
    client.force_login(people.dsl)
    response = upload(client, riverside, example("pupils-ctf.xml"))
    pupil_import = PupilImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail_url(pupil_import)
    preview = client.get(_detail_url(pupil_import)).content.decode()
    assert "4 new pupils" in preview
    assert "1 changed" in preview
    assert "1 row rejected" in preview
    assert "The check letter does not match" in preview
    assert "Preferred forename: (none) → Amy" in preview
    assert "Hillside Primary School (330/2101)" in preview
    assert "4 pupils arrive from Hillside Primary School (330/2101)" in preview
    assert "Amara Okafor" in preview  # the changed pupil by the name on roll
    assert Pupil.objects.filter(school=riverside).count() == 1  # nothing written yet
    response = confirm(client, pupil_import)
    assert response.status_code == 302
    applied = client.get(response["Location"]).content.decode()
    assert "was applied" in applied
    assert "What the import did" in applied
    assert "Preferred forename: (none) → Amy" in applied
    assert Pupil.objects.filter(school=riverside).count() == 5
    amy = Pupil.objects.get(upn="D383402123006")
    assert amy.full_name == "Amy Okafor"
    assert amy.legal_name == "Amara Okafor"
    page = client.get(reverse("cases:pupil", kwargs={"pupil_id": amy.pk})).content.decode()
    assert pupil_import.reference in page
    assert "Legal name" in page


def test_a_refused_file_is_named_on_the_upload_field(client, people):
    client.force_login(people.dsl)
    response = upload(client, people.school, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "roll.csv")
    assert response.status_code == 200
    assert "PNG image" in response.context["form"].errors["upload"][0]
    assert not PupilImport.objects.exists()


def test_no_file_and_a_full_roll_without_a_date_are_named(client, people):
    client.force_login(people.dsl)
    response = client.post(
        reverse("pupils:upload", kwargs={"school_id": people.school.pk}), {"full_roll": "on"}
    )
    errors = response.context["form"].errors
    assert errors["upload"] == ["Choose the file to import."]
    assert errors["leaving_on"] == ["Enter the leaving date for pupils not in the file."]


def test_a_possible_match_needs_an_answer(client, people):
    PupilFactory(school=people.school, upn=upn(1), given_name="Zoë", family_name="Clarke",
                 date_of_birth=dt.date(2014, 11, 14), year_group="7")  # fmt: skip
    client.force_login(people.dsl)
    upload(client, people.school, csv_bytes([pupil(9)]), "roll.csv")
    pupil_import = PupilImport.objects.get()
    response = confirm(client, pupil_import)
    assert response.status_code == 200
    assert "Say whether row 2 is the same child" in response.content.decode()
    response = confirm(client, pupil_import, row_2="same")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Your answers are saved" in page
    assert upn(1) in page  # not yet applied: the answer's effect is shown first
    assert Pupil.objects.get().upn == upn(1)
    assert confirm(client, pupil_import, row_2="same").status_code == 302
    assert Pupil.objects.get().upn == upn(9)


def test_a_preview_made_stale_by_a_change_to_the_roll_is_not_applied(client, people):
    client.force_login(people.dsl)
    upload(client, people.school, csv_bytes([pupil(1)]), "roll.csv")
    pupil_import = PupilImport.objects.get()
    digest = client.get(_detail_url(pupil_import)).context["form"]["digest"].value()
    PupilFactory(school=people.school, upn=upn(1))
    response = client.post(
        reverse(
            "pupils:apply",
            kwargs={"school_id": pupil_import.school_id, "import_id": pupil_import.pk},
        ),
        {"digest": digest},
        follow=True,
    )
    assert "The pupil list changed after this preview was made" in response.content.decode()
    pupil_import.refresh_from_db()
    assert pupil_import.status == ImportStatus.PREVIEWED


def test_only_a_reader_of_incidents_is_told_a_leaver_has_a_safeguarding_file(
    client, people, data_manager
):
    leaver = PupilFactory(school=people.school, upn=upn(2))
    InvolvementFactory(incident=IncidentFactory(school=people.school), pupil=leaver)
    client.force_login(data_manager)
    upload(
        client,
        people.school,
        csv_bytes([pupil(1)]),
        "roll.csv",
        full_roll="on",
        leaving_on_0="1",
        leaving_on_1="9",
        leaving_on_2="2026",
    )
    pupil_import = PupilImport.objects.get()
    assert "safeguarding file" not in client.get(_detail_url(pupil_import)).content.decode()
    client.force_login(people.dsl)
    page = client.get(_detail_url(pupil_import)).content.decode()
    assert "1 leaving pupil has a safeguarding file" in page
    leavers = reverse("pupils:leavers", kwargs={"school_id": people.school.pk})
    assert client.get(leavers).status_code == 200


def test_another_schools_import_answers_like_a_missing_one(client, people):
    client.force_login(people.dsl)
    upload(client, people.school, csv_bytes([pupil(1)]), "roll.csv")
    pupil_import = PupilImport.objects.get()
    client.force_login(people.other_dsl)
    theirs = client.get(_detail_url(pupil_import))
    url = reverse("pupils:import", kwargs={"school_id": people.other_school.pk, "import_id": 999})
    missing = client.get(url)
    assert theirs.status_code == missing.status_code == 404


def test_a_data_manager_is_not_asked_about_arrivals_files(client, people, riverside, data_manager):
    client.force_login(data_manager)
    upload(client, riverside, example("pupils-ctf.xml"))
    page = client.get(_detail_url(PupilImport.objects.get())).content.decode()
    assert "4 new pupils" in page
    assert "child protection file" not in page
    assert "/pupils/" + str(Pupil.objects.get(upn="D383402123006").pk) not in page


def test_a_file_that_would_change_nothing_offers_nothing_to_confirm(client, people, riverside):
    client.force_login(people.dsl)
    upload(client, riverside, example("pupils-ctf.xml"))
    confirm(client, PupilImport.objects.get())
    upload(client, riverside, example("pupils-ctf.xml"))
    again = PupilImport.objects.order_by("-pk").first()
    page = client.get(_detail_url(again)).content.decode()
    assert "5 unchanged" in page
    assert "Nothing would change" in page
    assert "Confirm and import" not in page

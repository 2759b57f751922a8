"""Documents attached to incidents: who may list, upload, download and withdraw them;
files kept outside the web root by UUID; pictures and video refused by content."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from incidents.documents import services as document_services
from incidents.documents.services import document_upload, document_withdraw, private_storage
from incidents.models import IncidentDocument
from tests.factories import IncidentFactory
from tests.safeguarding.uploads.samples import IMAGES, VIDEOS, docx, pdf

pytestmark = pytest.mark.django_db

PDF = pdf()
PNG = IMAGES["a PNG image"]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Every test stores files in its own folder, never in the project's."""
    root = tmp_path / "private-files"
    settings.PRIVATE_FILES_ROOT = root
    return root


@pytest.fixture
def incident(people):
    return IncidentFactory(school=people.school, created_by=people.dsl, lead_dsl=people.dsl)


@pytest.fixture
def other_incident(people):
    return IncidentFactory(school=people.other_school, created_by=people.other_dsl)


def upload(people, incident, *, name="MASH referral.pdf", data=PDF, title="Referral form"):
    return document_upload(
        actor=people.dsl,
        incident=incident,
        title=title,
        kind="referral_form",
        upload=SimpleUploadedFile(name, data),
    )


@pytest.fixture
def document(people, incident):
    return upload(people, incident)


@pytest.fixture
def other_document(people, other_incident):
    return document_upload(
        actor=people.other_dsl,
        incident=other_incident,
        title="Their referral",
        kind="referral_form",
        upload=SimpleUploadedFile("theirs.pdf", PDF),
    )


def list_url(incident_id):
    return reverse("documents:list", kwargs={"incident_id": incident_id})


def download_url(document_id):
    return reverse("documents:download", kwargs={"document_id": document_id})


def withdraw_url(document_id):
    return reverse("documents:withdraw", kwargs={"document_id": document_id})


def upload_data(name="minutes.pdf", data=PDF, **fields):
    return {
        "title": "Strategy meeting minutes",
        "kind": "meeting_minutes",
        "upload": SimpleUploadedFile(name, data),
        **fields,
    }


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


# Permission matrix ------------------------------------------------------------------------

READERS = [("dsl", 200), ("deputy", 200), ("head", 200), ("trust_lead", 200)]
HIDDEN = [("staff", 404), ("other_dsl", 404), ("nobody", 404)]
WRITERS = [("dsl", 302), ("deputy", 302), ("head", 403), ("trust_lead", 403)]


@pytest.mark.parametrize(("who", "status"), READERS + HIDDEN)
def test_list_matrix(client, people, document, who, status):
    client.force_login(getattr(people, who))
    response = client.get(list_url(document.incident_id))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Referral form" in page
        assert ("Upload document" in page) is (who in ("dsl", "deputy"))
        assert ("Withdraw document" in page) is (who in ("dsl", "deputy"))


@pytest.mark.parametrize(("who", "status"), WRITERS + HIDDEN)
def test_upload_matrix(client, people, incident, private_root, who, status):
    client.force_login(getattr(people, who))
    response = client.post(list_url(incident.pk), upload_data())
    assert response.status_code == status
    created = IncidentDocument.objects.filter(title="Strategy meeting minutes")
    assert created.exists() is (status == 302)
    assert len(stored_files(private_root)) == (1 if status == 302 else 0)
    if status == 302:
        assert response["Location"] == list_url(incident.pk)
        assert created.get().uploaded_by == getattr(people, who)


@pytest.mark.parametrize(("who", "status"), READERS + HIDDEN)
def test_download_matrix(client, people, document, who, status):
    client.force_login(getattr(people, who))
    response = client.get(download_url(document.pk))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(("who", "status"), WRITERS + HIDDEN)
def test_withdraw_matrix(client, people, document, who, status):
    client.force_login(getattr(people, who))
    response = client.post(withdraw_url(document.pk), {"reason": "Uploaded twice."})
    assert response.status_code == status
    document.refresh_from_db()
    assert document.is_withdrawn is (status == 302)


def test_anonymous_is_sent_to_sign_in(client, document):
    responses = [
        client.get(list_url(document.incident_id)),
        client.post(list_url(document.incident_id), upload_data()),
        client.get(download_url(document.pk)),
        client.post(withdraw_url(document.pk), {"reason": "x"}),
    ]
    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert IncidentDocument.objects.count() == 1


def test_wrong_method_is_405(client, people, document):
    client.force_login(people.dsl)
    assert client.put(list_url(document.incident_id)).status_code == 405
    assert client.delete(list_url(document.incident_id)).status_code == 405
    assert client.post(download_url(document.pk)).status_code == 405
    assert client.delete(download_url(document.pk)).status_code == 405
    assert client.get(withdraw_url(document.pk)).status_code == 405


def test_another_schools_document_is_404_like_a_missing_one(client, people, other_document):
    client.force_login(people.dsl)
    missing = other_document.pk + 1000
    for send, url in ((client.get, download_url), (client.post, withdraw_url)):
        theirs = send(url(other_document.pk), {"reason": "x"})
        absent = send(url(missing), {"reason": "x"})
        assert theirs.status_code == absent.status_code == 404
        assert theirs.content == absent.content
    theirs = client.get(list_url(other_document.incident_id))
    absent = client.get(list_url(other_document.incident_id + 1000))
    assert theirs.status_code == absent.status_code == 404
    other_document.refresh_from_db()
    assert not other_document.is_withdrawn


@pytest.mark.parametrize(("who", "status"), [("dsl", 200), ("head", 200), ("colleague_dsl", 404)])
def test_a_restricted_incidents_documents_are_hidden_from_staff_not_granted(
    client, people, incident, document, who, status
):
    incident.restricted = True
    incident.save()
    client.force_login(getattr(people, who))
    assert client.get(list_url(incident.pk)).status_code == status
    assert client.get(download_url(document.pk)).status_code == status
    expected_post = {200: 302 if who == "dsl" else 403, 404: 404}[status]
    another = upload_data(name="notes.txt", data=b"Notes of the call.\n")
    assert client.post(list_url(incident.pk), another).status_code == expected_post
    assert client.post(withdraw_url(document.pk), {"reason": "x"}).status_code == expected_post


# Storage and download ----------------------------------------------------------------------


def test_an_upload_is_stored_outside_the_web_root_by_uuid(client, people, incident, private_root):
    client.force_login(people.dsl)
    name = "Pupil A referral – confidential.pdf"
    client.post(list_url(incident.pk), upload_data(name=name))
    document = IncidentDocument.objects.get()
    [path] = stored_files(private_root)
    assert path == private_root / "documents" / document.stored_name
    assert len(document.stored_name) == 32
    assert "referral" not in str(path).lower()
    assert path.read_bytes() == PDF
    assert path.stat().st_mode & 0o077 == 0  # readable by the application only
    assert document.original_name == name
    assert document.media_type == "application/pdf"
    assert document.size == len(PDF)
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()


def test_the_store_has_no_public_url(settings):
    with pytest.raises(NotImplementedError):
        private_storage().url("documents/x")


def test_the_store_refuses_a_folder_served_as_static_files(settings):
    settings.PRIVATE_FILES_ROOT = settings.BASE_DIR / "static" / "documents"
    with pytest.raises(ImproperlyConfigured, match="must not be inside"):
        private_storage()


def test_download_returns_the_exact_bytes_with_safe_headers(client, people, document):
    client.force_login(people.head)
    response = client.get(download_url(document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="MASH referral.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, private"


def test_the_download_name_is_made_safe_and_ends_in_the_detected_type(client, people, incident):
    text = b"Notes of the call with the police.\n"
    document = upload(people, incident, name='..\\..\\evil"\r\nX-Bad: 1<script>.html', data=text)
    client.force_login(people.dsl)
    response = client.get(download_url(document.pk))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="evil_X-Bad_ 1_script.txt"'
    assert "X-Bad" not in response.headers
    assert b"".join(response.streaming_content) == text


def test_a_missing_file_is_404_and_logged(client, people, document, private_root, caplog):
    (private_root / "documents" / document.stored_name).unlink()
    client.force_login(people.dsl)
    assert client.get(download_url(document.pk)).status_code == 404
    assert "no file" in caplog.text


# Refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["form.pdf", "notes.txt"])
@pytest.mark.parametrize("data", [*IMAGES.values(), *VIDEOS.values()], ids=[*IMAGES, *VIDEOS])
def test_every_picture_and_video_format_is_refused_by_the_service(
    people, incident, private_root, name, data
):
    with pytest.raises(ValidationError) as caught:
        upload(people, incident, name=name, data=data)
    [message] = caught.value.message_dict["upload"]
    assert "The product never stores pictures or video" in message
    assert IncidentDocument.objects.count() == 0
    assert stored_files(private_root) == []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("form.pdf", IMAGES["a JPEG image"], "This file is a JPEG image."),
        ("notes.txt", VIDEOS["an MP4 video"], "This file is an MP4 video."),
        ("IMG_0001.pdf", IMAGES["a HEIC/HEIF image"], "This file is a HEIC/HEIF image."),
        (
            "referral.docx",
            docx(**{"word/media/image1.png": PNG}),
            "This Word document (DOCX) contains pictures or video (word/media/image1.png).",
        ),
    ],
)
def test_a_refused_upload_stores_nothing_and_names_the_field(
    client, people, incident, private_root, name, data, message
):
    client.force_login(people.dsl)
    response = client.post(
        list_url(incident.pk),
        upload_data(name=name, data=data, title="Screenshot", kind="police_correspondence"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "possessing or sharing indecent images of a child is an offence" in page
    assert 'href="#id_upload"' in page  # the error summary links to the field
    assert "Upload a file: " + message in page
    assert "govuk-file-upload--error" in page
    assert "Error: Documents" in page
    # What the user typed is kept; only the file must be chosen again.
    assert 'value="Screenshot"' in page
    assert re.search(r'value="police_correspondence"\s+checked', page)
    assert IncidentDocument.objects.count() == 0
    assert stored_files(private_root) == []


def test_the_form_explains_why_pictures_are_refused_before_the_file_field(client, people, incident):
    client.force_login(people.dsl)
    page = client.get(list_url(incident.pk)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert page.index("Never upload pictures or video") < page.index('type="file"')
    assert page.index("(002 §2.0)") < page.index('type="file"')
    assert 'class="govuk-file-upload"' in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title for the document."),
        ({"kind": "selfie"}, "kind", "Select a valid choice"),
        ({"upload": ""}, "upload", "Choose the document to upload."),
        ({"upload": SimpleUploadedFile("empty.pdf", b"")}, "upload", "The selected file is empty"),
    ],
)
def test_bad_input_names_the_field(client, people, incident, private_root, fields, field, message):
    client.force_login(people.dsl)
    response = client.post(list_url(incident.pk), upload_data(**fields))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'href="#id_{field}' in page
    assert IncidentDocument.objects.count() == 0
    assert stored_files(private_root) == []


def test_a_file_over_the_size_limit_is_refused(client, people, incident, settings, private_root):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    client.force_login(people.dsl)
    response = client.post(list_url(incident.pk), upload_data(data=PDF + b" " * 1024 * 1024))
    assert "the largest document the product accepts is 1 MB" in response.content.decode()
    assert IncidentDocument.objects.count() == 0
    assert stored_files(private_root) == []


def test_the_same_file_twice_is_refused(people, incident, document):
    with pytest.raises(ValidationError) as caught:
        upload(people, incident, title="Again")
    assert caught.value.message_dict["upload"] == [
        "This file is already attached to this incident as “Referral form”."
    ]


def test_if_the_row_cannot_be_saved_the_stored_file_is_removed(
    people, incident, private_root, monkeypatch
):
    def fail(instance, *, actor):
        raise IntegrityError("simulated")

    monkeypatch.setattr(document_services, "save_audited", fail)
    with pytest.raises(IntegrityError):
        upload(people, incident)
    assert IncidentDocument.objects.count() == 0
    assert stored_files(private_root) == []


# Withdrawal ---------------------------------------------------------------------------------


def test_withdrawal_keeps_the_row_and_the_file_and_is_audited(
    client, people, document, private_root
):
    client.force_login(people.deputy)
    response = client.post(
        withdraw_url(document.pk), {"reason": "Uploaded to the wrong incident."}, follow=True
    )
    page = response.content.decode()
    assert "was withdrawn" in page
    assert "Withdrawn" in page
    assert "Uploaded to the wrong incident." in page
    assert "Dev Deputy" in page
    document.refresh_from_db()
    assert document.is_withdrawn
    assert document.withdrawn_by == people.deputy
    assert (private_root / "documents" / document.stored_name).read_bytes() == PDF
    latest = document.history.first()
    assert latest.history_user == people.deputy
    assert latest.withdrawn_reason == "Uploaded to the wrong incident."
    assert document.history.last().history_user == people.dsl  # the upload
    # Kept for the record: still listed and still downloadable by those who read it.
    assert client.get(download_url(document.pk)).status_code == 200


def test_withdrawal_needs_a_reason_naming_the_field(client, people, document):
    client.force_login(people.dsl)
    response = client.post(withdraw_url(document.pk), {"reason": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say why the document is being withdrawn." in page
    assert f'href="#id_withdraw_{document.pk}_reason"' in page
    assert "open" in page.split('class="govuk-details"')[1].split(">")[0]
    document.refresh_from_db()
    assert not document.is_withdrawn


def test_a_document_cannot_be_withdrawn_twice(people, document):
    document_withdraw(actor=people.dsl, document=document, reason="Superseded.")
    with pytest.raises(ValidationError, match="already withdrawn"):
        document_withdraw(actor=people.deputy, document=document, reason="Again.")


def test_a_withdrawn_document_can_be_uploaded_again(people, incident, document):
    document_withdraw(actor=people.dsl, document=document, reason="Wrong title.")
    again = upload(people, incident, title="Referral form (corrected title)")
    assert again.sha256 == document.sha256
    assert again.stored_name != document.stored_name


def test_the_list_page_query_count_does_not_grow(
    client, people, incident, django_assert_max_num_queries
):
    upload(people, incident, name="a.txt", data=b"one\n", title="One")
    client.force_login(people.dsl)
    with django_assert_max_num_queries(50) as one:
        client.get(list_url(incident.pk))
    for n in range(5):
        upload(people, incident, name=f"{n}.txt", data=f"note {n}\n".encode(), title=f"N{n}")
    document_withdraw(
        actor=people.dsl, document=IncidentDocument.objects.first(), reason="Superseded."
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(list_url(incident.pk))

"""The access log (issue 7 item 5): views of the incident page and downloads of its
documents are logged (who, what, when); an entry is written once and can never be
changed or deleted; the log page is read-only and shown only to the school's DSLs and
headteacher, newest first, in a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.access_log import access_log_for, access_record, may_read_access_log
from incidents.documents.services import document_upload, private_storage, stored_path
from incidents.models import AccessAction, AccessLogEntry, ImmutableRowError, Incident
from incidents.restricted.services import restricted_access_grant
from safeguarding.models import Role
from safeguarding.no_delete import HardDeleteRefusedError
from tests.conftest import grant
from tests.factories import IncidentFactory, UserFactory
from tests.safeguarding.uploads.samples import pdf

pytestmark = pytest.mark.django_db

MAY_READ_LOG = ("dsl", "deputy", "head")
ONLY_READ_INCIDENT = ("trust_lead",)
NOT_READERS = ("staff", "other_dsl", "nobody")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"


@pytest.fixture
def incident(people) -> Incident:
    return IncidentFactory(school=people.school, reference="RA-2026-0001", lead_dsl=people.dsl)


def log(incident: Incident) -> list[tuple[object, str, str]]:
    """The incident's entries, oldest first, as (who, action, detail)."""
    return [
        (entry.user, entry.action, entry.detail)
        for entry in AccessLogEntry.objects.filter(incident=incident).order_by("pk")
    ]


def log_page(incident: Incident) -> str:
    return reverse("audit:access", kwargs={"incident_id": incident.pk})


# --- the service -----------------------------------------------------------------------------


def test_access_record_writes_one_row_in_one_query(people, incident):
    with CaptureQueriesContext(connection) as captured:
        entry = access_record(
            user=people.head, incident=incident, action=AccessAction.EXPORTED, detail="PDF"
        )
    assert len(captured) == 1
    assert captured[0]["sql"].lstrip().upper().startswith("INSERT")
    assert log(incident) == [(people.head, "exported", "PDF")]
    assert entry.at is not None


def test_an_unknown_action_is_refused(people, incident):
    with pytest.raises(ValueError, match="peeked"):
        access_record(user=people.dsl, incident=incident, action="peeked")
    assert not AccessLogEntry.objects.exists()


def test_a_long_detail_is_shortened_to_fit(people, incident):
    entry = access_record(
        user=people.dsl, incident=incident, action=AccessAction.DOWNLOADED, detail="x" * 400
    )
    entry.refresh_from_db()
    assert len(entry.detail) == 300
    assert entry.detail.endswith("x…")


def test_an_entry_cannot_be_changed_or_deleted(people, incident):
    entry = access_record(user=people.dsl, incident=incident, action=AccessAction.VIEWED)
    entry.detail = "Nothing to see"
    with pytest.raises(ImmutableRowError):
        entry.save()
    # Each refused delete in its own savepoint, so the test can read the log afterwards.
    with pytest.raises(HardDeleteRefusedError), transaction.atomic():
        entry.delete()
    with pytest.raises(HardDeleteRefusedError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert log(incident) == [(people.dsl, "viewed", "")]


def test_the_log_is_newest_first(people, incident):
    for action in (AccessAction.VIEWED, AccessAction.VIEWED_AUDIT, AccessAction.EXPORTED):
        access_record(user=people.dsl, incident=incident, action=action)
    access_record(user=people.dsl, incident=IncidentFactory(school=people.school),
                  action=AccessAction.VIEWED)  # fmt: skip
    assert [entry.action for entry in access_log_for(incident)] == [
        "exported",
        "viewed_audit",
        "viewed",
    ]


# --- what is logged --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["dsl", "head", "trust_lead"])
def test_each_view_of_the_incident_page_is_logged(client, people, incident, who):
    user = getattr(people, who)
    client.force_login(user)
    detail = reverse("cases:detail", args=[incident.pk])
    assert client.get(detail).status_code == 200
    assert client.get(detail).status_code == 200
    assert log(incident) == [(user, "viewed", "")] * 2


@pytest.mark.parametrize("who", NOT_READERS)
def test_a_refused_view_is_not_logged(client, people, incident, who):
    client.force_login(getattr(people, who))
    assert client.get(reverse("cases:detail", args=[incident.pk])).status_code == 404
    assert not AccessLogEntry.objects.exists()


@pytest.fixture
def document(people, incident):
    return document_upload(
        actor=people.dsl,
        incident=incident,
        title="Referral form",
        kind="referral_form",
        upload=SimpleUploadedFile("form.pdf", pdf()),
    )


def test_a_download_is_logged_with_the_document(client, people, incident, document):
    client.force_login(people.head)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert log(incident) == [(people.head, "downloaded", "Referral form (form.pdf)")]


def test_a_download_whose_file_is_missing_is_not_logged(client, people, incident, document):
    private_storage().delete(stored_path(document))
    client.force_login(people.dsl)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    assert log(incident) == []


def test_viewing_the_log_is_not_itself_a_view_of_the_record(client, people, incident):
    client.force_login(people.dsl)
    assert client.get(log_page(incident)).status_code == 200
    assert log(incident) == []


# --- the log page ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", MAY_READ_LOG)
def test_dsls_and_the_headteacher_see_who_looked(client, people, incident, who):
    access_record(user=people.trust_lead, incident=incident, action=AccessAction.VIEWED)
    access_record(
        user=people.deputy,
        incident=incident,
        action=AccessAction.DOWNLOADED,
        detail="Referral form (form.pdf)",
    )
    client.force_login(getattr(people, who))
    response = client.get(log_page(incident))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Who has looked at RA-2026-0001" in html
    newest = html.index("Dev Deputy")
    assert newest < html.index("Tara Lead")
    assert "Downloaded a document" in html
    assert "Referral form (form.pdf)" in html
    assert "Viewed the incident page" in html
    assert "<form" not in html.split('id="main-content"')[1]  # nothing to change here


def test_an_acting_headteacher_sees_the_log(client, people, incident):
    acting = grant(UserFactory(full_name="Ada Acting"), people.school, Role.ACTING_HEADTEACHER,
                   people.operator)  # fmt: skip
    assert may_read_access_log(acting, incident)
    client.force_login(acting)
    assert client.get(log_page(incident)).status_code == 200


@pytest.mark.parametrize("who", ONLY_READ_INCIDENT)
def test_those_who_only_read_the_incident_are_refused(client, people, incident, who):
    client.force_login(getattr(people, who))
    assert client.get(reverse("cases:detail", args=[incident.pk])).status_code == 200
    assert client.get(log_page(incident)).status_code == 403


@pytest.mark.parametrize("who", NOT_READERS)
def test_everyone_else_is_told_there_is_no_such_incident(client, people, incident, who):
    client.force_login(getattr(people, who))
    assert client.get(log_page(incident)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, incident):
    response = client.get(log_page(incident))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["anonymous", *MAY_READ_LOG, *ONLY_READ_INCIDENT, *NOT_READERS])
def test_the_log_page_is_read_only(client, people, incident, who):
    if who != "anonymous":
        client.force_login(getattr(people, who))
    for method in (client.post, client.put, client.delete):
        assert method(log_page(incident)).status_code == 405
    assert not AccessLogEntry.objects.exists()


def test_another_schools_incident_answers_like_a_missing_one(client, people):
    client.force_login(people.dsl)
    theirs = client.get(log_page(IncidentFactory(school=people.other_school)))
    missing = client.get(reverse("audit:access", kwargs={"incident_id": 999_999}))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_a_restricted_incidents_log_follows_its_access(client, people):
    restricted = IncidentFactory(
        school=people.school, restricted=True, lead_dsl=people.colleague_dsl
    )
    client.force_login(people.dsl)
    assert client.get(log_page(restricted)).status_code == 404
    restricted_access_grant(
        actor=people.colleague_dsl, incident=restricted, user=people.dsl, reason="Covering"
    )
    assert client.get(log_page(restricted)).status_code == 200
    client.force_login(people.head)
    assert client.get(log_page(restricted)).status_code == 200


def test_the_log_page_makes_the_same_queries_for_1_and_30_entries(client, people, incident):
    client.force_login(people.dsl)
    access_record(user=people.trust_lead, incident=incident, action=AccessAction.VIEWED)
    client.get(log_page(incident))  # warm the caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(log_page(incident)).status_code == 200
        return len(captured)

    one = queries()
    others = [UserFactory() for _ in range(5)]
    for n in range(29):
        access_record(user=others[n % 5], incident=incident, action=AccessAction.VIEWED)
    assert AccessLogEntry.objects.filter(incident=incident).count() == 30
    assert queries() == one


def test_a_long_log_is_shown_a_hundred_entries_a_page(client, people, incident):
    for n in range(105):
        access_record(
            user=people.trust_lead, incident=incident, action=AccessAction.VIEWED, detail=f"#{n}"
        )
    client.force_login(people.dsl)

    def rows(query: str) -> list[str]:
        html = client.get(log_page(incident) + query).content.decode()
        return re.findall(r"<td class=\"govuk-table__cell\">(#\d+)</td>", html)

    first = client.get(log_page(incident)).content.decode()
    assert "Entries 1 to 100 of 105, page 1 of 2." in first
    assert 'href="?page=2"' in first and "Older entries" in first
    assert rows("") == [f"#{n}" for n in range(104, 4, -1)]  # the newest hundred
    second = client.get(log_page(incident) + "?page=2").content.decode()
    assert "Entries 101 to 105 of 105, page 2 of 2." in second
    assert 'href="?page=1"' in second and "Newer entries" in second
    assert rows("?page=2") == ["#4", "#3", "#2", "#1", "#0"]
    assert rows("?page=nonsense") == rows("")
    assert rows("?page=99") == rows("?page=2")

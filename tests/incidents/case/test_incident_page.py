"""The incident page and `incident_timeline`: the people with their age on the
incident date, the record in the order things happened (backdated entries
included), an entry for every kind of record, and a query count that does not grow."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.case.selectors import incident_timeline
from incidents.documents.services import document_upload
from incidents.models import (
    ContactMethod,
    DecisionKind,
    DecisionOutcome,
    DeletionRequest,
    DeviceSeizure,
    ImageryViewing,
    Interview,
    OnlineReport,
    RiskAssessment,
)
from incidents.services import decision_record, parent_contact_record
from referrals.flow.services import referral_record
from referrals.models import Agency
from tests.clock import ago
from tests.factories import IncidentFactory
from tests.incidents.case.builders import busy_incident, get, queries, respond_to
from tests.safeguarding.uploads.test_checks import pdf

pytestmark = pytest.mark.django_db

# --- The incident page -------------------------------------------------------------------


def test_incident_page_shows_people_with_their_age_on_the_incident_date(
    client, people, involvement, incident
):
    pupil = involvement.pupil
    pupil.date_of_birth = incident.incident_date.replace(year=incident.incident_date.year - 14)
    pupil.looked_after, pupil.social_care = True, "current"
    pupil.save()
    response = get(client, people.deputy, reverse("cases:detail", args=[incident.pk]))
    html = response.content.decode()
    assert reverse("cases:pupil", args=[pupil.pk]) in html
    assert re.search(r'<td class="govuk-table__cell">\s*14\s*</td>', html)
    assert "Looked after" in html
    assert reverse("documents:list", args=[incident.pk]) in html
    assert reverse("incidents:restricted_access", args=[incident.pk]) in html


def test_timeline_places_a_backdated_decision_before_an_earlier_recorded_one(
    client, people, incident
):
    decision_record(
        actor=people.dsl,
        incident=incident,
        kind=DecisionKind.REVIEW,
        outcome=DecisionOutcome.REFER_POLICE,
        rationale="Second meeting: refer",
        decided_at=ago(hours=2),
    )
    decision_record(
        actor=people.deputy,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="First meeting, written up late",
        decided_at=ago(days=1),
    )
    entries = incident_timeline(incident)
    assert [e.kind for e in entries] == ["Incident", "Decision", "Decision"]
    assert entries[1].recorded_by == "Dev Deputy"
    html = get(client, people.head, reverse("cases:detail", args=[incident.pk])).content.decode()
    assert html.index("First meeting, written up late") < html.index("Second meeting: refer")
    assert "by Dev Deputy" in html
    assert "by Dana Lead" in html


def test_timeline_has_every_kind_of_entry(client, people, incident, involvement):
    parent_contact_record(
        actor=people.deputy,
        incident=incident,
        involvement=involvement,
        informed=False,
        not_informed_reasons="Risk at home",
        agreed_with="Duty social worker",
    )
    referral_record(
        actor=people.dsl,
        incident=incident,
        agency=Agency.POLICE,
        made_at=ago(days=1),
        method=ContactMethod.PHONE,
        reasons="Adult involved",
        reference_number="LOG-42",
    )
    document = document_upload(
        actor=people.dsl,
        incident=incident,
        title="Referral form",
        kind="referral_form",
        upload=SimpleUploadedFile("form.pdf", pdf()),
    )
    html = get(client, people.dsl, reverse("cases:detail", args=[incident.pk])).content.decode()
    for text in (
        "Incident logged",
        "Chloe Hirst added",
        "Decision not to inform parents",
        "Risk at home",
        "Duty social worker",
        "Referral to Police",
        "LOG-42",
        "Awaited",
        "Document attached: Referral form",
        reverse("documents:download", args=[document.pk]),
    ):
        assert text in html, text


def test_the_timeline_has_an_entry_for_every_response_record(client, people, incident, involvement):
    respond_to(people, incident, involvement)
    titles = [entry.title for entry in incident_timeline(incident)]
    for model in (RiskAssessment, ImageryViewing, DeviceSeizure, DeletionRequest, Interview,
                  OnlineReport):  # fmt: skip
        assert model.objects.filter(incident=incident).count() == 1
    assert titles == [
        "Incident logged",
        "Risk assessment (002 §3.4, Annex A)",
        "Imagery viewed by Dana Lead",
        "Conversation with Chloe Hirst",
        "Reported for take-down: Snapchat",
        "Device taken from Chloe Hirst",
        "Chloe Hirst asked to delete the imagery",
        "Snapchat: removed",
        "Chloe Hirst's device handed to the police",
        "Chloe Hirst confirmed deleting the imagery",
        "Chloe Hirst added",  # recorded now; everything else is backdated
    ]


# --- Query counts ------------------------------------------------------------------------


def test_incident_page_makes_the_same_queries_for_1_and_10_entries(client, people):
    client.force_login(people.dsl)
    quiet = IncidentFactory(school=people.school)
    one = queries(client, reverse("cases:detail", args=[quiet.pk]))
    assert len(incident_timeline(quiet)) == 1
    busy = busy_incident(people, 2)
    document_upload(
        actor=people.dsl,
        incident=busy,
        title="Referral form",
        kind="referral_form",
        upload=SimpleUploadedFile("form.pdf", pdf()),
    )
    busy.triage_assessments.create(
        policy="all", facts={}, result={}, immediate_referral=False, recommendation="x"
    )
    for pictured in busy.involvements.all():
        respond_to(people, busy, pictured)
    assert len(incident_timeline(busy)) >= 25
    assert queries(client, reverse("cases:detail", args=[busy.pk])) == one

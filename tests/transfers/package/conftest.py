"""Fixtures of the transfer package tests: the staff with names no label contains, a
pupil leaving with a file (an incident of every kind of record, a concern with its
steps, a document), what the DSL may not see of it, and the facts of the transfer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from incidents.concerns.services import (
    concern_acknowledge,
    concern_note_add,
    concern_refer_to_wider_procedures,
    concern_report,
)
from incidents.documents.services import document_upload
from incidents.models import Concern, Incident
from safeguarding.audit import save_audited
from safeguarding.models import Pupil
from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory
from tests.incidents.exports.test_record import PUPILS, STAFF_NAMES, rich_incident
from tests.safeguarding.uploads.samples import pdf
from transfers.package.contents import SchoolFacts, TransferFacts

#: Another child named in the concern, who is not moving.
CONCERN_OTHER = ("Wilhelmina", "Throckmorton")
#: A child only in the restricted incident the DSL may not see.
HIDDEN_PUPIL = ("Hermione", "Quillfeather")
HIDDEN_NARRATIVE = "Only the lead DSL of this restricted incident may read this."
DOCUMENT_TITLE = "Police letter of 3 March"


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"


@pytest.fixture
def named(people: Any) -> Any:
    for who, name in STAFF_NAMES.items():
        user = getattr(people, who)
        user.full_name = name
        save_audited(user, actor=people.operator)
    return people


@dataclass
class Leaver:
    """A pupil leaving with a file, and what must and must not be in it."""

    pupil: Pupil
    rich: Incident
    concern: Concern
    restricted: Incident
    unrelated: Incident


def leaver_with_a_file(people: Any) -> Leaver:
    rich = rich_incident(people)
    given, family = PUPILS["pictured"]
    pupil = Pupil.objects.get(given_name=given, family_name=family)
    other: Any = PupilFactory(
        school=people.school, given_name=CONCERN_OTHER[0], family_name=CONCERN_OTHER[1]
    )
    concern = concern_report(
        actor=people.staff,
        school=people.school,
        pupils=[pupil, other],
        unnamed_pupils="",
        happened_at=ago(days=30),
        account="Wilhelmina Throckmorton was showing Zephyrine a phone in the lunch queue.",
        location="Dining hall",
        child_words="Zephyrine said: leave me alone, Wilhelmina.",
    )
    concern_note_add(
        actor=people.staff, concern=concern, text="Wilhelmina came back later to apologise."
    )
    concern_acknowledge(actor=people.dsl, concern=concern)
    concern_refer_to_wider_procedures(
        actor=people.dsl,
        concern=concern,
        reason="A falling out between Zephyrine and Wilhelmina Throckmorton; no imagery.",
    )
    document_upload(
        actor=people.dsl,
        incident=rich,
        title=DOCUMENT_TITLE,
        kind="police_correspondence",
        upload=SimpleUploadedFile("letter.pdf", pdf()),
    )
    restricted: Any = IncidentFactory(
        school=people.school,
        restricted=True,
        lead_dsl=people.colleague_dsl,
        created_by=people.colleague_dsl,
        came_to_light_at=ago(days=3),
        narrative=HIDDEN_NARRATIVE,
    )
    InvolvementFactory(incident=restricted, pupil=pupil)
    InvolvementFactory(
        incident=restricted, pupil__given_name=HIDDEN_PUPIL[0], pupil__family_name=HIDDEN_PUPIL[1]
    )
    # An incident of the school the pupil is not in.
    unrelated: Any = IncidentFactory(
        school=people.school, created_by=people.dsl, came_to_light_at=ago(days=5)
    )
    InvolvementFactory(incident=unrelated, pupil__given_name="Niamh", pupil__family_name="O'Dowd")
    return Leaver(
        pupil=pupil,
        rich=rich,
        concern=Concern.objects.get(pk=concern.pk),
        restricted=restricted,
        unrelated=unrelated,
    )


@pytest.fixture
def leaver(named: Any) -> Leaver:
    return leaver_with_a_file(named)


def transfer_facts(people: Any, reference: str = "RA-T-2026-0001") -> TransferFacts:
    school = people.school
    return TransferFacts(
        reference=reference,
        sending=SchoolFacts(name=school.name, urn=school.urn, dfe_number=school.dfe_number),
        receiving=SchoolFacts(name="Meadow Vale High School", urn="123456", dfe_number="3834321"),
        receiving_dsl="Rosalind Pemberton-Gage",
        leaving_on=timezone.localdate() + dt.timedelta(days=7),
        due_on=timezone.localdate() + dt.timedelta(days=12),
        note="She starts at Meadow Vale after half term; please call me before then.",
        made_at=timezone.now(),
        made_by=f"{STAFF_NAMES['dsl']}, Designated safeguarding lead",
    )


@pytest.fixture
def transfer(named: Any) -> TransferFacts:
    return transfer_facts(named)

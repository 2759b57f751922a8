"""What goes in a pupil's child protection file (issue 19): exactly the incidents and
concerns the sender may see, every item of each kind in date order, what is withheld,
the transfer redactor, and a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.exports.redaction import Redactor
from incidents.models import ContactMethod, DecisionKind, DecisionOutcome, Incident
from incidents.services import decision_record, parent_contact_record
from referrals.flow.services import referral_record
from referrals.models import Agency
from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory
from tests.transfers.package.conftest import (
    DOCUMENT_TITLE,
    HIDDEN_NARRATIVE,
    Leaver,
)
from transfers.package.contents import ITEM_KINDS, pupil_file

pytestmark = pytest.mark.django_db


def test_the_file_holds_what_the_sender_may_see_and_nothing_else(
    named: Any, leaver: Leaver
) -> None:
    file = pupil_file(actor=named.dsl, pupil=leaver.pupil)
    assert file.incidents == [leaver.rich]
    assert file.concerns == [leaver.concern]
    references = {item.reference for item in file.items}
    assert references == {leaver.rich.reference, leaver.concern.reference}
    assert leaver.restricted.reference not in references
    assert leaver.unrelated.reference not in references
    assert all(HIDDEN_NARRATIVE not in item.text for item in file.items)


def test_the_headteacher_sees_the_restricted_incident_too(named: Any, leaver: Leaver) -> None:
    file = pupil_file(actor=named.head, pupil=leaver.pupil)
    assert file.incidents == [leaver.rich, leaver.restricted]


def test_someone_outside_the_school_gets_an_empty_file(named: Any, leaver: Leaver) -> None:
    file = pupil_file(actor=named.other_dsl, pupil=leaver.pupil)
    assert (file.incidents, file.concerns, file.items) == ([], [], [])


def test_every_kind_of_item_is_listed_in_date_order(named: Any, leaver: Leaver) -> None:
    file = pupil_file(actor=named.dsl, pupil=leaver.pupil)
    rich = leaver.rich
    counts = {kind: sum(1 for item in file.items if item.kind == kind) for kind in ITEM_KINDS}
    assert counts == {
        "concern": 1,
        "incident": 1,
        "note": 1,
        "acknowledgement": 1,
        "escalation": 0,
        "concern_outcome": 1,
        "decision": rich.decisions.count(),
        "referral": rich.referrals.count(),
        # Only the transferring pupil's parents: the other child's are about them.
        "parent_contact": rich.parent_contacts.filter(involvement__pupil=leaver.pupil).count(),
        "sign_off": rich.sign_offs.count(),
    }
    assert counts["parent_contact"] == 2
    assert counts["decision"] >= 1 and counts["sign_off"] >= 2
    whens = [item.when for item in file.items]
    assert whens == sorted(whens)
    assert file.items[0].kind == "concern"
    assert all(len(item.history_digest) == 64 for item in file.items)
    newest = rich.history.order_by("-history_id").first()
    assert file.record_item(rich.reference).history_digest == newest.chain_hash


def test_other_childrens_names_are_initials_and_the_pupils_and_staff_names_stay(
    named: Any, leaver: Leaver
) -> None:
    file = pupil_file(actor=named.dsl, pupil=leaver.pupil)
    text = " ".join(f"{item.summary} {item.text} {item.author}" for item in file.items)
    for other in ("Ruairi", "Featherstonhaugh", "Wilhelmina", "Throckmorton"):
        assert other not in text
    assert "Zephyrine told Imogen Quarrie at break that RF had shared a photo" in text
    assert "WT was showing Zephyrine a phone" in text
    for kept in ("Zephyrine", "Imogen Quarrie", "Octavia Fennimore", "Leopold Tremayne"):
        assert kept in text


def test_what_is_withheld_names_each_document_and_the_access_log(
    named: Any, leaver: Leaver
) -> None:
    file = pupil_file(actor=named.dsl, pupil=leaver.pupil)
    withheld = " ".join(item.what for item in file.withheld)
    assert f"Document “{DOCUMENT_TITLE}” (Police correspondence), attached to " in withheld
    assert leaver.rich.reference in withheld
    for what in ("initials", "access log", "audit trail", "imagery itself", "restricted"):
        assert what in withheld
    assert all(item.why for item in file.withheld)


def test_the_transfer_redactor_keeps_a_name_the_pupil_shares(named: Any) -> None:
    pupil: Any = PupilFactory(school=named.school, given_name="Ruby", family_name="Ashworth")
    other: Any = PupilFactory(school=named.school, given_name="Ruby", family_name="Kettleborough")
    staff_namesake: Any = PupilFactory(school=named.school, given_name="Imogen", family_name="Moss")
    redactor = Redactor.for_transfer(named.school, pupil, [pupil, other, staff_namesake])
    assert redactor("Ruby Kettleborough and Ruby Ashworth; Kettleborough left.") == (
        "RK and Ruby Ashworth; RK left."
    )
    assert redactor("Imogen Quarrie spoke to Imogen Moss; Moss cried.") == (
        "Imogen Quarrie spoke to IM; IM cried."
    )


# --- Queries -------------------------------------------------------------------------------


def _pupil_with_incidents(people: Any, n: int) -> Any:
    pupil = PupilFactory(school=people.school)
    for _ in range(n):
        incident: Any = IncidentFactory(
            school=people.school, created_by=people.dsl, came_to_light_at=ago(days=9)
        )
        involvement: Any = InvolvementFactory(incident=incident, pupil=pupil)
        InvolvementFactory(incident=incident)
        decision_record(
            actor=people.dsl,
            incident=incident,
            kind=DecisionKind.REVIEW,
            outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
            rationale="Managed in school.",
            decided_at=ago(days=8),
        )
        parent_contact_record(
            actor=people.dsl,
            incident=incident,
            involvement=involvement,
            informed=True,
            contact_name="A parent",
            method=ContactMethod.PHONE,
            contacted_at=ago(days=7),
        )
        referral_record(
            actor=people.dsl,
            incident=incident,
            agency=Agency.POLICE,
            made_at=ago(days=6),
            method=ContactMethod.PHONE,
            reasons="Reasons",
        )
        assert isinstance(incident, Incident)
    return pupil


def _queries(actor: Any, pupil: Any) -> int:
    pupil_file(actor=actor, pupil=pupil)  # warm the caches
    with CaptureQueriesContext(connection) as captured:
        file = pupil_file(actor=actor, pupil=pupil)
    assert file.items
    return len(captured)


def test_the_file_takes_the_same_queries_for_one_incident_as_for_five(named: Any) -> None:
    one = _queries(named.dsl, _pupil_with_incidents(named, 1))
    five = _queries(named.dsl, _pupil_with_incidents(named, 5))
    assert one == five
    assert five <= 30

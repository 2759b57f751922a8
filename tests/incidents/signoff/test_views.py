"""The headteacher's sign-off: the items, the binding digest, the queue and the review
page (issue 7 items 1–3; 002 §5.1, §7.0)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.closure.services import incident_close
from incidents.models import (
    AccessAction,
    AccessLogEntry,
    Decision,
    DecisionOutcome,
    ImmutableRowError,
    Incident,
    IncidentStatus,
    SignOff,
    SignOffAction,
    SignOffKind,
    ViewingReason,
)
from incidents.review.services import decision_update, initial_review_record
from incidents.signoff.items import (
    ItemState,
    canonical_text,
    digest_of,
    sign_off_item,
    sign_off_items,
)
from incidents.signoff.services import sign_off_record
from incidents.viewing.services import imagery_viewing_record
from safeguarding.canonical import sha256_hex
from safeguarding.models import Role, Sex, User
from safeguarding.no_delete import HardDeleteRefusedError
from safeguarding.services import membership_grant
from tests.conftest import grant
from tests.factories import PASSWORD, IncidentFactory, InvolvementFactory, UserFactory

# --- Fixtures ------------------------------------------------------------------------------


def decide(people, incident: Incident, outcome: str = DecisionOutcome.MANAGE_IN_SCHOOL) -> Decision:
    incident.refresh_from_db()
    return initial_review_record(
        actor=people.dsl,
        incident=incident,
        expected_version=incident.version,
        decided_at=timezone.now() - dt.timedelta(hours=2),
        attendees="Dana Lead (DSL), Hannah Head",
        answers={},
        outcome=outcome,
        rationale="A consensual exchange between two 16-year-olds; no aggravating factors.",
        against_triage_reason="",
    )


@pytest.fixture
def decision(people, incident) -> Decision:
    return decide(people, incident)


def item_of(decision: Decision):
    incident = Incident.objects.select_related("school").get(pk=decision.incident_id)
    return sign_off_item(incident, SignOffKind.DECISION, decision.pk)


def sign(people, decision: Decision, *, who: User | None = None, action=SignOffAction.SIGNED):
    item = item_of(decision)
    return sign_off_record(
        actor=who or people.head,
        incident=item.incident,
        kind=item.kind,
        subject_id=item.subject_id,
        action=action,
        statement="I have read the rationale and agree the case is managed in school.",
        reviewed_digest=item.digest,
    )


def correct(people, decision: Decision, rationale: str) -> Decision:
    decision.refresh_from_db()
    return decision_update(
        actor=people.dsl,
        decision=decision,
        expected_version=decision.version,
        rationale=rationale,
        against_triage_reason="",
        attendees=decision.attendees,
    )


# --- Items and states ----------------------------------------------------------------------


def test_a_decision_not_to_refer_awaits_the_headteacher(people, decision):
    item = item_of(decision)
    assert item.state == ItemState.AWAITING
    assert item.queue_reason == "New"
    assert item.waiting_since == decision.recorded_at


def test_a_decision_to_refer_needs_no_sign_off_unless_the_school_adds_it(people, incident):
    referral = decide(people, incident, DecisionOutcome.REFER_POLICE)
    incident.refresh_from_db()
    assert sign_off_items([incident]) == []
    people.school.sign_off_decisions_to_refer = True
    people.school.save()
    incident = Incident.objects.select_related("school").get(pk=incident.pk)
    [item] = sign_off_items([incident])
    assert (item.kind, item.subject_id) == (SignOffKind.DECISION_TO_REFER, referral.pk)


def test_viewings_and_closures_are_items(people, incident):
    pictured = incident.involvements.get()
    people.dsl.sex = Sex.FEMALE  # the viewer is of the pictured pupil's sex (002 §5.1)
    people.dsl.save()
    viewing = imagery_viewing_record(
        actor=people.dsl,
        incident=incident,
        pictured=pictured,
        viewer=people.dsl,
        reason=ViewingReason.UNAVOIDABLE,
        reason_details="She showed it to her form tutor on her phone.",
        viewed_at=timezone.now() - dt.timedelta(days=1),
        present="No one else",
        headteacher_informed_at=timezone.now() - dt.timedelta(hours=20),
        what_followed="Phone switched off and locked away.",
    )
    incident.refresh_from_db()
    incident_close(
        actor=people.dsl,
        incident=incident,
        expected_version=incident.version,
        outcome_summary="Managed in school; images deleted.",
    )
    incident = Incident.objects.select_related("school").get(pk=incident.pk)
    kinds = {(item.kind, item.subject_id) for item in sign_off_items([incident])}
    assert kinds == {(SignOffKind.VIEWING, viewing.pk), (SignOffKind.CLOSURE, incident.pk)}


def test_signing_stores_the_canonical_record_and_its_sha256(people, decision):
    sign_off = sign(people, decision)
    assert sign_off.digest == sha256_hex(sign_off.canonical)
    signed = json.loads(sign_off.canonical)
    assert signed["subject"]["fields"]["rationale"].startswith("A consensual exchange")
    newest = Decision.history.filter(id=decision.pk).latest("history_id").history_id
    assert signed["history"]["incidents.decision"][str(decision.pk)] == newest
    assert item_of(decision).state == ItemState.SIGNED


def test_a_change_after_signing_supersedes_and_returns_the_item(people, decision):
    sign_off = sign(people, decision)
    correct(people, decision, "Both pupils are 16 and the exchange was consensual.")
    item = item_of(decision)
    assert item.state == ItemState.AWAITING
    assert item.queue_reason == "Changed since it was signed off"
    assert item.superseded == [sign_off]
    assert "Decision: Rationale changed" in item.changes_since(sign_off)
    assert item.waiting_since > sign_off.signed_at


def test_a_change_before_signing_does_not_supersede(people, decision):
    correct(people, decision, "Both pupils are 16 and the exchange was consensual.")
    sign(people, decision)
    item = item_of(decision)
    assert item.state == ItemState.SIGNED
    assert item.superseded == []


def test_a_person_added_after_signing_supersedes(people, incident, decision):
    sign_off = sign(people, decision)
    InvolvementFactory(incident=incident)
    item = item_of(decision)
    assert item.state == ItemState.AWAITING
    assert "Involvement: 1 added" in item.changes_since(sign_off)


def test_closing_the_case_does_not_supersede_the_decision(people, incident, decision):
    sign(people, decision)
    incident.refresh_from_db()
    incident_close(
        actor=people.dsl,
        incident=incident,
        expected_version=incident.version,
        outcome_summary="Managed in school.",
    )
    assert item_of(decision).state == ItemState.SIGNED


def test_sending_back_puts_the_item_with_the_dsl_until_it_changes(people, decision):
    sign(people, decision, action=SignOffAction.RETURNED)
    assert item_of(decision).state == ItemState.RETURNED
    correct(people, decision, "Reworded after the headteacher's comment.")
    item = item_of(decision)
    assert item.state == ItemState.AWAITING
    assert item.queue_reason == "Changed since it was sent back"


def test_a_signed_item_cannot_be_signed_twice_as_it_stands(people, decision):
    sign(people, decision)
    with pytest.raises(ValidationError, match="already signed off"):
        sign(people, decision)


def test_a_record_changed_while_reviewing_is_not_signed(people, decision):
    reviewed = item_of(decision)
    correct(people, decision, "Changed by the DSL meanwhile.")
    with pytest.raises(ValidationError) as caught:
        sign_off_record(
            actor=people.head,
            incident=reviewed.incident,
            kind=reviewed.kind,
            subject_id=reviewed.subject_id,
            action=SignOffAction.SIGNED,
            statement="Agreed.",
            reviewed_digest=reviewed.digest,
        )
    assert caught.value.code == "changed"
    assert not SignOff.objects.exists()


@pytest.mark.parametrize("who", ["dsl", "deputy", "trust_lead", "staff", "other_dsl"])
def test_only_a_headteacher_of_the_school_signs(people, decision, who):
    with pytest.raises(PermissionDenied):
        sign(people, decision, who=getattr(people, who))
    assert not SignOff.objects.exists()


def test_another_schools_headteacher_cannot_sign(people, decision):
    other_head = grant(UserFactory(), people.other_school, Role.HEADTEACHER, people.operator)
    with pytest.raises(PermissionDenied):
        sign(people, decision, who=other_head)


def test_a_named_acting_headteacher_signs(people, decision):
    acting = UserFactory(full_name="Andy Acting")
    membership_grant(
        user=acting, school=people.school, role=Role.ACTING_HEADTEACHER, granted_by=people.operator
    )
    assert sign(people, decision, who=acting).signed_by == acting


def test_a_statement_is_required(people, decision):
    item = item_of(decision)
    with pytest.raises(ValidationError) as caught:
        sign_off_record(
            actor=people.head,
            incident=item.incident,
            kind=item.kind,
            subject_id=item.subject_id,
            action=SignOffAction.SIGNED,
            statement="  ",
            reviewed_digest=item.digest,
        )
    assert "statement" in caught.value.message_dict


def test_a_sign_off_is_never_changed_or_deleted(people, decision):
    sign_off = sign(people, decision)
    sign_off.statement = "Rewritten."
    with pytest.raises(ImmutableRowError):
        sign_off.save()
    with pytest.raises(HardDeleteRefusedError), transaction.atomic():
        SignOff.objects.get(pk=sign_off.pk).delete()
    assert SignOff.objects.get(pk=sign_off.pk).statement.startswith("I have read")


# --- The canonical form ----------------------------------------------------------------------


def _fixed_record() -> tuple[Incident, Decision]:
    """Unsaved rows with fixed ids and times: the canonical text depends on nothing else."""
    when = dt.datetime(2026, 3, 3, 10, 42, 7, 123456, tzinfo=dt.UTC)
    incident = Incident(
        pk=7,
        school_id=3,
        reference="RA-2026-0007",
        came_to_light_how="disclosure_pupil",
        came_to_light_at=when,
        narrative="Told her tutor.",
        created_at=when,
        created_by_id=5,
    )
    decision = Decision(
        pk=11,
        incident_id=7,
        kind="initial_review",
        outcome="manage_in_school",
        rationale="Consensual; both 16.",
        decided_at=when,
        decided_by_id=5,
        recorded_at=when,
    )
    return incident, decision


def test_the_digest_is_pinned_and_does_not_depend_on_order_or_timezone():
    incident, decision = _fixed_record()
    newest = {"incidents.decision": {11: 40}, "incidents.involvement": {9: 31, 8: 30}}
    text = canonical_text(
        kind=SignOffKind.DECISION, incident=incident, subject=decision, newest=newest
    )
    reordered = {
        "incidents.involvement": {8: 30, 9: 31},
        "incidents.decision": {11: 40},
    }
    decision.decided_at = decision.decided_at.astimezone(dt.timezone(dt.timedelta(hours=1)))
    again = canonical_text(
        kind=SignOffKind.DECISION, incident=incident, subject=decision, newest=reordered
    )
    assert again == text
    assert '"decided_at":"2026-03-03T10:42:07.123456Z"' in text
    assert digest_of(text) == sha256_hex(text)
    assert digest_of(text) == PINNED_DIGEST


PINNED_DIGEST = "b832300a172deed6eb4ccfd49a8140a45d9c0eba3bb2ac69459735deace35c2a"


# --- HTTP ------------------------------------------------------------------------------------


def queue_url(school_id: int) -> str:
    return reverse("signoff:queue", kwargs={"school_id": school_id})


def review_url(decision: Decision) -> str:
    return reverse(
        "signoff:review",
        kwargs={
            "incident_id": decision.incident_id,
            "kind": SignOffKind.DECISION,
            "subject_id": decision.pk,
        },
    )


def form(decision: Decision, **overrides) -> dict[str, str]:
    return {
        "action": SignOffAction.SIGNED,
        "statement": "Agreed: managed in school.",
        "password": PASSWORD,
        "digest": item_of(decision).digest,
        **overrides,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("head", 200),
        *[(reader, 403) for reader in ("dsl", "deputy", "trust_lead")],
        *[(stranger, 404) for stranger in ("staff", "other_dsl", "nobody")],
    ],
)
def test_matrix(client, people, decision, who, status):
    client.force_login(getattr(people, who))
    assert client.get(queue_url(people.school.pk)).status_code == status
    assert client.get(review_url(decision)).status_code == status
    assert client.post(review_url(decision), form(decision)).status_code in (
        (302,) if who == "head" else (status,)
    )
    assert client.put(review_url(decision)).status_code == 405
    assert SignOff.objects.count() == (1 if who == "head" else 0)


def test_anonymous_is_sent_to_sign_in(client, people, decision):
    for response in (client.get(queue_url(people.school.pk)), client.get(review_url(decision))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_unknown_items_are_404(client, people, decision):
    client.force_login(people.head)
    args = {"incident_id": decision.incident_id, "subject_id": decision.pk}
    for kind in ("viewing", "closure", "nonsense"):
        assert (
            client.get(reverse("signoff:review", kwargs={**args, "kind": kind})).status_code == 404
        )
    other = IncidentFactory(school=people.school, status=IncidentStatus.AWAITING_REVIEW)
    wrong = {"incident_id": other.pk, "kind": "decision", "subject_id": decision.pk}
    assert client.get(reverse("signoff:review", kwargs=wrong)).status_code == 404


def test_the_queue_lists_items_oldest_first_with_how_long_they_waited(client, people, decision):
    newer = IncidentFactory(school=people.school, status=IncidentStatus.AWAITING_REVIEW)
    InvolvementFactory(incident=newer)
    decide(people, newer)
    client.force_login(people.head)
    page = client.get(queue_url(people.school.pk)).content.decode()
    assert "2 items awaiting sign-off" in page
    assert page.index(decision.incident.reference) < page.index(newer.reference)
    assert "Waited" in page


def test_the_queue_costs_the_same_for_one_item_or_many(client, people):
    counts = []
    for extra in (1, 6):
        for _ in range(extra):
            incident = IncidentFactory(school=people.school, status=IncidentStatus.AWAITING_REVIEW)
            InvolvementFactory(incident=incident)
            decide(people, incident)
        client.force_login(people.head)
        client.get(queue_url(people.school.pk))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(queue_url(people.school.pk))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_review_page_shows_the_decision_and_its_trail_and_logs_the_review(
    client, people, decision
):
    correct(people, decision, "Both are 16; consensual; no aggravating factors.")
    client.force_login(people.head)
    page = client.get(review_url(decision)).content.decode()
    assert "Both are 16; consensual; no aggravating factors." in page
    assert "Triage" in page
    assert "Rationale changed by Dana Lead" in page
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action) == (people.head, AccessAction.REVIEWED_SIGN_OFF)


def test_signing_needs_the_password_again(client, people, decision):
    client.force_login(people.head)
    response = client.post(review_url(decision), form(decision, password="not my password"))
    assert response.status_code == 200
    assert "Your password" in response.content.decode()
    assert "Agreed: managed in school." in response.content.decode()
    assert not SignOff.objects.exists()
    response = client.post(review_url(decision), form(decision, password=""))
    assert not SignOff.objects.exists()
    response = client.post(review_url(decision), form(decision))
    assert response.status_code == 302
    assert response["Location"] == queue_url(people.school.pk)
    assert SignOff.objects.get().signed_by == people.head


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("statement", "", "Enter your statement, or why you are sending it back."),
        ("action", "approve", "Choose whether to sign off or send back."),
        ("digest", "abc", "The page was incomplete"),
    ],
)
def test_bad_input_names_the_field(client, people, decision, field, value, message):
    client.force_login(people.head)
    response = client.post(review_url(decision), form(decision, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SignOff.objects.exists()


def test_a_record_changed_while_the_head_reviewed_is_refused_and_shown(client, people, decision):
    client.force_login(people.head)
    data = form(decision)
    correct(people, decision, "Changed while the headteacher was reading.")
    response = client.post(review_url(decision), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "The record changed while you were reviewing it" in page
    assert "Changed while the headteacher was reading." in page
    assert not SignOff.objects.exists()


def test_the_head_sees_a_superseded_sign_off_and_signs_again(client, people, decision):
    client.force_login(people.head)
    client.post(review_url(decision), form(decision))
    correct(people, decision, "Reworded.")
    assert decision.incident.reference in client.get(queue_url(people.school.pk)).content.decode()
    page = client.get(review_url(decision)).content.decode()
    assert "Superseded" in page
    assert "Decision: Rationale changed" in page
    assert client.post(review_url(decision), form(decision)).status_code == 302
    assert SignOff.objects.count() == 2
    assert (
        "Nothing awaits your sign-off." in client.get(queue_url(people.school.pk)).content.decode()
    )


def test_a_sent_back_item_shows_on_the_dsls_dashboard(client, people, decision):
    client.force_login(people.head)
    client.post(
        review_url(decision),
        form(decision, action=SignOffAction.RETURNED, statement="Say what the parents were told."),
    )
    client.force_login(people.dsl)
    assert "Sent back by the headteacher" in client.get(reverse("home")).content.decode()


# --- Correcting a decision --------------------------------------------------------------------


def correct_url(decision: Decision) -> str:
    return reverse(
        "review:correct", kwargs={"incident_id": decision.incident_id, "decision_id": decision.pk}
    )


def correction(decision: Decision, **overrides) -> dict[str, object]:
    decision.refresh_from_db()
    return {
        "attendees": decision.attendees,
        "rationale": "Corrected wording.",
        "against_triage_reason": "",
        "version": decision.version,
        **overrides,
    }


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [
        *[(writer, 200, 302) for writer in ("dsl", "deputy")],
        *[(reader, 403, 403) for reader in ("head", "trust_lead")],
        *[(stranger, 404, 404) for stranger in ("staff", "other_dsl")],
    ],
)
def test_correction_matrix(client, people, decision, who, get_status, post_status):
    client.force_login(getattr(people, who))
    assert client.get(correct_url(decision)).status_code == get_status
    assert client.post(correct_url(decision), correction(decision)).status_code == post_status
    decision.refresh_from_db()
    assert (decision.rationale == "Corrected wording.") == (post_status == 302)


def test_a_correction_keeps_the_old_wording_in_the_history(client, people, decision):
    client.force_login(people.dsl)
    client.post(correct_url(decision), correction(decision))
    rationales = list(
        Decision.history.filter(id=decision.pk)
        .order_by("history_id")
        .values_list("rationale", flat=True)
    )
    assert rationales[0].startswith("A consensual exchange")
    assert rationales[-1] == "Corrected wording."


def test_a_stale_correction_is_refused_showing_the_change(client, people, decision):
    client.force_login(people.dsl)
    stale = correction(decision, rationale="Mine.")
    correct(people, decision, "The colleague's wording.")
    response = client.post(correct_url(decision), stale)
    page = response.content.decode()
    assert "Someone else changed this decision" in page
    assert "The colleague&#x27;s wording." in page
    decision.refresh_from_db()
    assert decision.rationale == "The colleague's wording."


def test_a_correction_needs_a_rationale(client, people, decision):
    client.force_login(people.dsl)
    response = client.post(correct_url(decision), correction(decision, rationale=""))
    assert "Enter why the meeting made this decision." in response.content.decode()

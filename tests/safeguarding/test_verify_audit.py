"""`manage.py verify_audit`: the whole audit trail, the headteacher's sign-off digests, and
the exit status a scheduler alerts on (issue 7 item 4)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection, models
from django.utils import timezone

from incidents.models import (
    Decision,
    DecisionKind,
    DecisionOutcome,
    Incident,
    SignOff,
    SignOffAction,
    SignOffKind,
)
from incidents.review.services import decision_update
from incidents.services import decision_record
from safeguarding.audit import save_audited
from safeguarding.canonical import canonical_json, sha256_hex
from safeguarding.history_chain import verify_sign_offs
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

HistoricalDecision: type[models.Model] = Decision.history.model
OUTSIDE = "outside the application"


def sql(model: type[models.Model], statement: str, params: list[Any]) -> None:
    """Run `statement` as raw SQL, with `{table}` standing for `model`'s table."""
    quoted = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=quoted), params)


def newest_history_id(record: models.Model) -> int:
    return record.history.order_by("-history_id").values_list("history_id", flat=True).first()


@pytest.fixture
def incident(people) -> Incident:
    return IncidentFactory(school=people.school, reference="RA-2026-0042")


@pytest.fixture
def decision(people, incident) -> Decision:
    return decision_record(
        actor=people.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="Consensual, same age, no aggravating factors.",
        decided_at=timezone.now() - dt.timedelta(hours=3),
    )


def sign_off(people, decision: Decision, history: dict[str, dict[str, int]]) -> SignOff:
    """A sign-off of `decision` whose canonical text names the history rows `history`,
    written as the application writes it; the real canonical form has more in it."""
    canonical = canonical_json(
        {
            "format": 1,
            "kind": SignOffKind.DECISION,
            "subject": {"model": "incidents.decision", "id": decision.pk},
            "history": history,
        }
    )
    return save_audited(
        SignOff(
            incident=decision.incident,
            kind=SignOffKind.DECISION,
            subject_id=decision.pk,
            action=SignOffAction.SIGNED,
            statement="I agree the case can be managed in school.",
            canonical=canonical,
            digest=sha256_hex(canonical),
            signed_by=people.head,
        ),
        actor=people.head,
    )


@pytest.fixture
def signed(people, decision) -> SignOff:
    return sign_off(
        people, decision, {"incidents.decision": {str(decision.pk): newest_history_id(decision)}}
    )


def verify() -> tuple[str, list[str]]:
    """Run the command; its output, and its problems (empty when it verified)."""
    out = io.StringIO()
    failure: CommandError | None = None
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as raised:
        failure = raised
    output = out.getvalue()
    if failure is None:
        return output, []
    problems = output.splitlines()[1:]
    assert str(failure).startswith(f"Audit trail does not verify: {len(problems)} problem")
    return output, problems


def sign_off_problem(signed: SignOff, text: str) -> str:
    return f"sign-off {signed.pk} of incident RA-2026-0042 (id {signed.incident_id}): {text}"


# --- A clean trail ------------------------------------------------------------------------


def test_a_clean_database_verifies_and_says_what_was_checked(people, signed):
    output, problems = verify()
    assert problems == []
    assert output.startswith("Audit trail verified: ")
    assert " 1 sign-offs" in output
    assert " 0 history rows" not in output


def test_a_sign_off_made_before_a_later_change_still_verifies(people, decision, signed):
    """A superseded sign-off is not tampering: the history row it names is still there."""
    decision_update(
        actor=people.dsl,
        decision=decision,
        expected_version=decision.version,
        rationale="Corrected after the meeting.",
        against_triage_reason="",
        attendees="",
    )
    assert verify()[1] == []


def test_a_sign_off_without_history_references_verifies(people, decision):
    """Empty values are left out of the canonical text, so a sign-off that named no part's
    history has no "history" key at all."""
    sign_off(people, decision, {})
    assert verify()[1] == []


# --- Exit status ----------------------------------------------------------------------------


def test_the_command_exits_zero_when_the_trail_verifies(signed, capsys):
    execute_from_command_line(["manage.py", "verify_audit"])
    assert "Audit trail verified" in capsys.readouterr().out


def test_the_command_exits_non_zero_naming_the_record(decision, capsys):
    sql(Decision, "UPDATE {table} SET rationale = %s WHERE id = %s", ["Rewritten.", decision.pk])
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "verify_audit"])
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert f"incidents.decision {decision.pk}: the record does not match" in captured.out
    assert "Audit trail does not verify: 1 problem (first: incidents.decision" in captured.err


def test_each_problem_is_on_its_own_line(people, decision):
    other = decision_record(
        actor=people.dsl,
        incident=IncidentFactory(school=people.school),
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.REFER_POLICE,
        rationale="Adult involved.",
        decided_at=timezone.now(),
    )
    for record in (decision, other):
        sql(Decision, "UPDATE {table} SET attendees = 'X' WHERE id = %s", [record.pk])
    output, problems = verify()
    assert output.startswith("Checked ")
    assert [problem.split(":")[0] for problem in problems] == [
        f"incidents.decision {decision.pk}",
        f"incidents.decision {other.pk}",
    ]


# --- Sign-offs ------------------------------------------------------------------------------


def test_a_sign_off_whose_digest_was_changed_is_named(signed):
    sql(SignOff, "UPDATE {table} SET digest = %s WHERE id = %s", ["0" * 64, signed.pk])
    problems = verify()[1]
    assert (
        sign_off_problem(
            signed, f"its digest does not match its canonical text (changed {OUTSIDE})"
        )
        in problems
    )
    assert any(
        p.startswith(f"incidents.signoff {signed.pk}: the record does not match") for p in problems
    )


def test_a_sign_off_whose_canonical_text_was_changed_is_named(signed):
    changed = signed.canonical.replace('"kind":"decision"', '"kind":"viewing"')
    assert changed != signed.canonical
    sql(SignOff, "UPDATE {table} SET canonical = %s WHERE id = %s", [changed, signed.pk])
    assert (
        sign_off_problem(
            signed, f"its digest does not match its canonical text (changed {OUTSIDE})"
        )
        in verify()[1]
    )


def test_a_sign_off_whose_text_is_not_ascii_is_named(signed):
    sql(SignOff, "UPDATE {table} SET canonical = %s WHERE id = %s", ['{"é":1}', signed.pk])
    assert (
        sign_off_problem(
            signed, f"its digest does not match its canonical text (changed {OUTSIDE})"
        )
        in verify()[1]
    )


@pytest.mark.parametrize(
    "canonical",
    [
        "not json",
        '["a list"]',
        '{"history":["a list"]}',
        '{"history":{"incidents.decision":{"x":1}}}',
    ],
)
def test_a_sign_off_rewritten_with_a_matching_digest_but_no_canonical_form_is_named(
    signed, canonical
):
    sql(
        SignOff,
        "UPDATE {table} SET canonical = %s, digest = %s WHERE id = %s",
        [canonical, sha256_hex(canonical), signed.pk],
    )
    problems = verify()[1]
    assert sign_off_problem(signed, "its canonical text is not in the canonical form") in problems
    # The live row no longer matches the sign-off's own history either.
    assert any(
        p.startswith(f"incidents.signoff {signed.pk}: the record does not") for p in problems
    )


def test_a_sign_off_relying_on_a_deleted_history_row_is_named(people, decision, signed):
    relied_on = newest_history_id(decision)
    decision_update(
        actor=people.dsl,
        decision=decision,
        expected_version=decision.version,
        rationale="Corrected after the meeting.",
        against_triage_reason="",
        attendees="",
    )
    sql(HistoricalDecision, "DELETE FROM {table} WHERE history_id = %s", [relied_on])
    problems = verify()[1]
    assert (
        sign_off_problem(
            signed,
            f"it relied on history row {relied_on} of incidents.decision {decision.pk}, "
            f"which no longer exists (removed {OUTSIDE})",
        )
        in problems
    )
    assert (
        f"incidents.decision {decision.pk}: history row {newest_history_id(decision)} "
        in (problems[0])
    )
    assert len(problems) == 2


def test_sign_offs_naming_history_that_is_not_theirs_are_named(people, decision):
    """Caught even if the canonical text and digest were forged together."""
    other = IncidentFactory(school=people.school)
    wrong_record = sign_off(
        people, decision, {"incidents.decision": {"999": newest_history_id(decision)}}
    )
    unknown = sign_off(people, decision, {"incidents.nothing": {str(decision.pk): 1}})
    missing = sign_off(people, decision, {"incidents.incident": {str(other.pk): 10**9}})
    report = verify_sign_offs(SignOff)
    assert report.sign_offs == 3
    assert report.problems == [
        sign_off_problem(
            wrong_record,
            f"it relied on history row {newest_history_id(decision)} of incidents.decision 999, "
            f"which now belongs to record {decision.pk} (changed {OUTSIDE})",
        ),
        sign_off_problem(unknown, "it names incidents.nothing, which has no audited history"),
        sign_off_problem(
            missing,
            f"it relied on history row {10**9} of incidents.incident {other.pk}, "
            f"which no longer exists (removed {OUTSIDE})",
        ),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_command_reads_one_snapshot_outside_a_transaction(people, signed):
    """As run by a scheduler: it opens its own (on PostgreSQL, repeatable-read) transaction."""
    assert not connection.in_atomic_block
    output, problems = verify()
    assert problems == []
    assert output.startswith("Audit trail verified: ")

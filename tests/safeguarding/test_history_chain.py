"""The hash chain of history rows, and what its verification catches (issue 7 item 4).

Tampering is simulated as someone with access to the database would do it: with raw SQL,
or for a forged row the history table's own manager, so no history row or hash is written
for it by the application.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.models import Decision, DecisionKind, DecisionOutcome, Export, ExportKind
from incidents.review.services import decision_update
from incidents.services import decision_record
from safeguarding.audit import save_audited
from safeguarding.canonical import canonical_json
from safeguarding.history_chain import (
    _in_order,
    chained_history_models,
    row_hash,
    tracked_fields,
    verify_audit_trail,
    verify_history,
)
from safeguarding.models import User
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

HistoricalDecision: type[models.Model] = Decision.history.model
HistoricalExport: type[models.Model] = Export.history.model

KNOWN_ROW: dict[str, Any] = {
    "history_id": 7,
    "id": 3,
    "rationale": "Managed in school",
    "decided_at": dt.datetime(2026, 3, 3, 10, 42, tzinfo=dt.UTC),
    "history_type": "+",
    "attendees": "",
    "history_user_id": 2,
    "chain_hash": "not part of the hash",
}


# --- Helpers -------------------------------------------------------------------------------


def sql(model: type[models.Model], statement: str, params: list[Any]) -> None:
    """Run `statement` as raw SQL, with `{table}` standing for `model`'s table and
    `{columns}` for its columns other than the primary key."""
    quote = connection.ops.quote_name
    quoted = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields if not f.primary_key)
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=quoted, columns=columns), params)


def history_ids(decision: Decision) -> list[int]:
    return list(decision.history.order_by("history_id").values_list("history_id", flat=True))


def decision_with_corrections(people, corrections: int = 2) -> Decision:
    """A decision recorded, then its rationale corrected: 1 + `corrections` history rows."""
    actor = people.dsl
    decision = decision_record(
        actor=actor,
        incident=IncidentFactory(school=people.school),
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="Consensual, same age, no aggravating factors.",
        decided_at=timezone.now() - dt.timedelta(hours=3),
    )
    for n in range(corrections):
        decision = decision_update(
            actor=actor,
            decision=decision,
            expected_version=decision.version,
            rationale=f"Consensual, same age, no aggravating factors (correction {n + 1}).",
            against_triage_reason="",
            attendees="Dana Lead (DSL)",
        )
    return decision


@pytest.fixture
def decision(people) -> Decision:
    return decision_with_corrections(people)


def problems_for(history_model: type[models.Model]) -> list[str]:
    return verify_history(history_model).problems


# --- The hash itself -----------------------------------------------------------------------


def test_a_known_row_has_a_fixed_hash():
    """Pins the format: sha256(previous hash + newline + canonical text), the first row of
    a record chaining to the empty string. Changing it would break every stored chain."""
    text = (
        '{"model":"incidents.decision","row":{"decided_at":"2026-03-03T10:42:00.000000Z",'
        '"history_id":7,"history_type":"+","history_user_id":2,"id":3,'
        '"rationale":"Managed in school"}}'
    )
    without_hash = {key: value for key, value in KNOWN_ROW.items() if key != "chain_hash"}
    assert canonical_json({"model": "incidents.decision", "row": without_hash}) == text
    first = row_hash("incidents.decision", "", KNOWN_ROW)
    assert first == hashlib.sha256(("\n" + text).encode("ascii")).hexdigest()
    assert first == "196a6d15120470082f68aa15e824d18d32fdff06545f5c2536f2fef0d0051e9d"
    second = {**KNOWN_ROW, "history_id": 8, "history_type": "~"}
    assert (
        row_hash("incidents.decision", first, second)
        == "b4061d59bdc779e03b7fdf8d0f2ea56a297807c462d0c80df317a8eeb9cd4342"
    )


def test_the_same_values_in_another_order_give_the_same_hash():
    reordered = dict(reversed(list(KNOWN_ROW.items())))
    assert list(reordered) != list(KNOWN_ROW)
    assert row_hash("incidents.decision", "", reordered) == row_hash(
        "incidents.decision", "", KNOWN_ROW
    )


def test_a_datetime_in_another_timezone_gives_the_same_canonical_text_and_hash():
    london_summer = KNOWN_ROW["decided_at"].astimezone(ZoneInfo("Europe/London"))
    tokyo = KNOWN_ROW["decided_at"].astimezone(ZoneInfo("Asia/Tokyo"))
    assert tokyo.hour != london_summer.hour
    texts = {
        canonical_json({"at": moment}) for moment in (KNOWN_ROW["decided_at"], london_summer, tokyo)
    }
    assert texts == {'{"at":"2026-03-03T10:42:00.000000Z"}'}
    assert row_hash("incidents.decision", "", {**KNOWN_ROW, "decided_at": tokyo}) == row_hash(
        "incidents.decision", "", KNOWN_ROW
    )


def test_the_label_and_the_previous_hash_are_part_of_the_hash():
    """A row copied to another model, or spliced into another record's chain, does not
    keep its hash."""
    base = row_hash("incidents.decision", "", KNOWN_ROW)
    assert row_hash("incidents.interview", "", KNOWN_ROW) != base
    assert row_hash("incidents.decision", "0" * 64, KNOWN_ROW) != base


def test_each_row_written_by_the_application_chains_to_the_previous_row_of_its_record(
    decision,
):
    rows = list(decision.history.order_by("history_id").values())
    assert len(rows) == 3
    previous = ""
    for row in rows:
        assert row["chain_hash"] == row_hash("incidents.decision", previous, row)
        previous = row["chain_hash"]


# --- Verification: a clean trail ----------------------------------------------------------


def test_every_domain_history_model_is_verified():
    labels = {model.instance_type._meta.label_lower for model in chained_history_models()}
    assert {
        "safeguarding.user",
        "safeguarding.school",
        "incidents.incident",
        "incidents.decision",
        "incidents.signoff",
        "referrals.referral",
    } <= labels


def test_what_the_application_writes_verifies(people, decision):
    report = verify_audit_trail()
    assert report.problems == []
    assert report.verified
    assert report.models == len(chained_history_models())
    decision_history = verify_history(HistoricalDecision)
    assert (decision_history.history_rows, decision_history.records) == (3, 1)


def test_a_field_left_out_of_the_history_is_not_compared(people):
    """A user's password hash and last sign-in change without a history row by design
    (`excluded_fields`), so changing them is not tampering with the audit trail."""
    assert "password" not in tracked_fields(User.history.model)
    sql(
        User,
        "UPDATE {table} SET password = %s, last_login = %s WHERE id = %s",
        ["pbkdf2_sha256$1$changed$x", timezone.now(), people.dsl.pk],
    )
    assert problems_for(User.history.model) == []


def test_records_with_uuid_ids_are_merged_in_the_databases_order(people):
    """Exports have UUID ids: the database's order and Python's must agree for the merge."""
    exports = [
        save_audited(
            Export(
                kind=ExportKind.INCIDENT,
                school=people.school,
                incident=IncidentFactory(school=people.school),
                requested_by=people.dsl,
            ),
            actor=people.dsl,
        )
        for _ in range(8)
    ]
    report = verify_history(HistoricalExport)
    assert (report.records, report.problems) == (8, [])
    tampered = max(exports, key=lambda export: export.pk)
    sql(
        Export,
        "UPDATE {table} SET done = 5 WHERE id = %s",
        [Export._meta.pk.get_db_prep_value(tampered.pk, connection)],
    )
    assert problems_for(HistoricalExport) == [
        f"incidents.export {tampered.pk}: the record does not match its newest history row "
        f"{tampered.history.get().history_id} in done (changed outside the application, or a "
        "newer history row was removed)"
    ]


def test_ids_the_database_orders_unlike_python_stop_the_check():
    class Rows:
        def iterator(self, chunk_size: int) -> Any:
            return iter([{"id": "b"}, {"id": "a"}])

    with pytest.raises(RuntimeError, match="does not order record ids as Python does"):
        list(_in_order("incidents.example", "id", Rows()))


def test_verification_costs_the_same_queries_for_one_record_or_many(people):
    decision_with_corrections(people, corrections=0)
    with CaptureQueriesContext(connection) as one:
        verify_history(HistoricalDecision)
    for _ in range(5):
        decision_with_corrections(people)
    with CaptureQueriesContext(connection) as six:
        report = verify_history(HistoricalDecision)
    assert report.records == 6
    assert len(six) == len(one)


# --- Verification: what it catches --------------------------------------------------------


def test_a_history_row_changed_with_raw_sql_is_named(decision):
    middle = history_ids(decision)[1]
    sql(
        HistoricalDecision,
        "UPDATE {table} SET rationale = %s WHERE history_id = %s",
        ["Nothing to see here.", middle],
    )
    assert problems_for(HistoricalDecision) == [
        f"incidents.decision {decision.pk}: history row {middle} does not match its hash "
        "(changed outside the application, or a row before it was removed or inserted)"
    ]


def test_a_hash_rewritten_with_raw_sql_is_named_with_the_row_chained_to_it(decision):
    first, second, _ = history_ids(decision)
    sql(
        HistoricalDecision,
        "UPDATE {table} SET chain_hash = %s WHERE history_id = %s",
        ["f" * 64, first],
    )
    reason = "(changed outside the application, or a row before it was removed or inserted)"
    assert problems_for(HistoricalDecision) == [
        f"incidents.decision {decision.pk}: history row {first} does not match its hash {reason}",
        f"incidents.decision {decision.pk}: history row {second} does not match its hash {reason}",
    ]


def test_a_history_row_without_a_hash_is_named(decision):
    newest = history_ids(decision)[-1]
    sql(HistoricalDecision, "UPDATE {table} SET chain_hash = '' WHERE history_id = %s", [newest])
    assert problems_for(HistoricalDecision) == [
        f"incidents.decision {decision.pk}: history row {newest} has no hash "
        "(written outside the application)"
    ]


def test_a_live_row_changed_with_raw_sql_is_named_with_the_fields(decision):
    sql(
        Decision,
        "UPDATE {table} SET rationale = %s, attendees = %s WHERE id = %s",
        ["Rewritten afterwards.", "Nobody", decision.pk],
    )
    newest = history_ids(decision)[-1]
    assert problems_for(HistoricalDecision) == [
        f"incidents.decision {decision.pk}: the record does not match its newest history row "
        f"{newest} in attendees, rationale (changed outside the application, or a newer "
        "history row was removed)"
    ]


@pytest.mark.parametrize("position", [0, 1], ids=["first", "middle"])
def test_a_deleted_history_row_breaks_the_chain_at_the_next_row(decision, position):
    ids = history_ids(decision)
    sql(HistoricalDecision, "DELETE FROM {table} WHERE history_id = %s", [ids[position]])
    assert problems_for(HistoricalDecision) == [
        f"incidents.decision {decision.pk}: history row {ids[position + 1]} does not match its "
        "hash (changed outside the application, or a row before it was removed or inserted)"
    ]


def test_a_deleted_newest_history_row_is_caught_by_the_live_row(decision):
    """The chain of what is left is intact; the live row holds the removed row's values."""
    ids = history_ids(decision)
    sql(HistoricalDecision, "DELETE FROM {table} WHERE history_id = %s", [ids[-1]])
    assert problems_for(HistoricalDecision) == [
        f"incidents.decision {decision.pk}: the record does not match its newest history row "
        f"{ids[-2]} in rationale, version (changed outside the application, or a newer "
        "history row was removed)"
    ]


def test_a_record_whose_history_was_all_deleted_is_named(decision):
    sql(HistoricalDecision, "DELETE FROM {table} WHERE id = %s", [decision.pk])
    assert problems_for(HistoricalDecision) == [
        f"incidents.decision {decision.pk}: the record has no history "
        "(written outside the application)"
    ]


def test_a_live_row_deleted_with_raw_sql_is_named(decision):
    sql(Decision, "DELETE FROM {table} WHERE id = %s", [decision.pk])
    newest = history_ids(decision)[-1]
    assert problems_for(HistoricalDecision) == [
        f"incidents.decision {decision.pk}: the record is missing but its newest history row "
        f"{newest} does not record a deletion (removed outside the application)"
    ]


def test_an_inserted_history_row_is_named(decision):
    """A copy of an old row, its hash and all, added as the record's newest row."""
    first = history_ids(decision)[0]
    sql(
        HistoricalDecision,
        "INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} WHERE history_id = %s",
        [first],
    )
    inserted = history_ids(decision)[-1]
    problems = problems_for(HistoricalDecision)
    assert problems[0] == (
        f"incidents.decision {decision.pk}: history row {inserted} does not match its hash "
        "(changed outside the application, or a row before it was removed or inserted)"
    )
    assert f"does not match its newest history row {inserted} in" in problems[1]
    assert len(problems) == 2


def test_a_forged_row_with_a_correct_hash_is_still_caught_by_the_live_row(decision):
    """Someone who knows the algorithm can append a row that chains; the live record still
    holds the true values, so the forgery shows."""
    newest = decision.history.order_by("-history_id").values().first()
    forged = {**newest, "history_id": newest["history_id"] + 1000, "rationale": "Forged."}
    forged["chain_hash"] = row_hash("incidents.decision", newest["chain_hash"], forged)
    HistoricalDecision._default_manager.create(**forged)
    assert problems_for(HistoricalDecision) == [
        f"incidents.decision {decision.pk}: the record does not match its newest history row "
        f"{forged['history_id']} in rationale (changed outside the application, or a newer "
        "history row was removed)"
    ]


def test_a_problem_in_one_record_does_not_implicate_another(people, decision):
    other = decision_with_corrections(people)
    sql(
        HistoricalDecision,
        "UPDATE {table} SET rationale = %s WHERE history_id = %s",
        ["Nothing to see here.", history_ids(decision)[0]],
    )
    report = verify_history(HistoricalDecision)
    assert report.records == 2
    assert len(report.problems) == 1
    assert report.problems[0].startswith(f"incidents.decision {decision.pk}: ")
    assert not any(f"incidents.decision {other.pk}:" in p for p in report.problems)

"""What the school must or should do (incidents/triage/obligations.py): when each
obligation applies, what its reason says, and the fixed order they come in."""

from __future__ import annotations

from incidents.triage.obligations import OBLIGATIONS
from tests.incidents.triage.facts_builders import (
    EVERYTHING,
    facts,
    obligation_reason,
    obligations,
    pair,
    person,
    with_policy,
)

# --------------------------------------------------------------------------- obligations


def test_parents_are_informed_and_the_imagery_left_alone_always() -> None:
    for data in (pair(), EVERYTHING):
        found = obligations(data)
        assert found[0] == "inform_parents_unless_risk"
        assert found[-1] == "do_not_view_copy_or_share"
    assert "002 §3.5" in obligation_reason(pair(), "inform_parents_unless_risk")
    assert "002 §5.1" in obligation_reason(pair(), "do_not_view_copy_or_share")


def test_the_headteacher_signs_off_unless_an_immediate_referral() -> None:
    assert "headteacher_sign_off_if_not_referred" in obligations(pair())
    assert "headteacher_sign_off_if_not_referred" in obligations(pair(sharing={"malicious": True}))
    assert "headteacher_sign_off_if_not_referred" not in obligations(
        pair({"at_immediate_risk": True})
    )
    assert "002 §7.0" in obligation_reason(pair(), "headteacher_sign_off_if_not_referred")


def test_social_care_must_be_contacted_for_a_child_they_are_involved_with() -> None:
    data = facts(
        person("A", age=15, roles=["pictured"], looked_after=True),
        person("B", age=15, roles=["recipient"], social_care="current"),
    )
    assert obligation_reason(data, "must_contact_social_care") == (
        "Children's social care are currently involved with A, B: they must be told "
        "about the incident (002 §4.0)"
    )
    assert "should_contact_social_care" not in obligations(data)


def test_social_care_should_be_contacted_for_a_child_they_were_involved_with() -> None:
    data = pair({"social_care": "previous"})
    assert obligation_reason(data, "should_contact_social_care") == (
        "Children's social care have been involved with A in the past: contact them "
        "about the incident (002 §4.0)"
    )
    assert "must_contact_social_care" not in obligations(data)


def test_social_care_obligations_are_for_children() -> None:
    data = facts(
        person("A", age=16, roles=["pictured"]),
        person("B", age=30, social_care="current"),
        person("C", age=30, social_care="previous"),
    )
    found = obligations(data)
    assert "must_contact_social_care" not in found
    assert "should_contact_social_care" not in found


def test_brook_traffic_light_for_an_experimental_incident_with_a_child_of_12() -> None:
    data = facts(person("A", date_of_birth="2012-03-11", roles=["pictured"]))
    assert obligation_reason(data, "brook_traffic_light") == (
        "The incident looks experimental (experimental_attention_seeking) and A was 12 on "
        "2025-03-10: use the existing safeguarding procedures and a tool such as the Brook "
        "Sexual Behaviours Traffic Light Tool (004)"
    )
    data = facts(person("A", date_of_birth="2012-03-10", roles=["pictured"]))
    assert "brook_traffic_light" not in obligations(data)


def test_brook_traffic_light_for_an_experimental_incident_with_a_vulnerable_child() -> None:
    data = pair({"child_protection_history": True}, sharing={"relationship": True})
    assert "A has a child-protection history" in obligation_reason(data, "brook_traffic_light")
    assert "experimental_romantic" in obligation_reason(data, "brook_traffic_light")


def test_brook_traffic_light_counts_send_only_by_policy() -> None:
    assert "brook_traffic_light" not in obligations(pair({"send": True}))
    data = with_policy(pair({"send": True}), send_counts_as_vulnerable=True)
    assert "brook_traffic_light" in obligations(data)


def test_no_brook_traffic_light_for_an_aggravated_incident() -> None:
    data = facts(person("A", age=12, roles=["pictured"]), sharing={"malicious": True})
    assert "brook_traffic_light" not in obligations(data)


def test_report_remove_when_shared_widely_or_posted_online() -> None:
    assert obligation_reason(pair(sharing={"posted_online": True}), "report_remove") == (
        "Because the imagery was posted online, help the child use the Internet Watch "
        "Foundation and Childline's Report Remove tool to get it taken down (003; 000; 002 §8.0)"
    )
    assert "report_remove" in obligations(pair(sharing={"shared_widely": True}))
    assert "report_remove" not in obligations(pair())


def test_ceop_report_for_an_adult_an_unknown_contact_or_grooming() -> None:
    data = facts(
        person("A", age=15, roles=["pictured"], groomed=True),
        person("B", age=19),
        person("C", kind="unknown"),
    )
    assert obligation_reason(with_policy(data, unknown_age_is_adult=False), "ceop_report") == (
        "Because A was groomed; B is an adult; C is an online contact of unknown age, report "
        "to CEOP (the National Crime Agency's Child Exploitation and Online Protection "
        "command) (003; 000)"
    )
    assert "ceop_report" in obligations(with_policy(pair({"groomed": True}), preset="ukccis-2016"))
    assert "ceop_report" not in obligations(pair())


def test_call_999_when_a_child_is_at_immediate_risk() -> None:
    assert obligation_reason(
        pair({"at_immediate_risk": True}), "call_999_if_in_immediate_danger"
    ) == (
        "Because A is at immediate risk of harm, call the police on 999 if they are in "
        "immediate danger (003)"
    )
    assert "call_999_if_in_immediate_danger" not in obligations(pair())


def test_obligations_come_in_a_fixed_order() -> None:
    data = facts(
        person("A", age=12, roles=["pictured"], looked_after=True, at_immediate_risk=True),
        person("B", age=12, social_care="previous", groomed=True),
        sharing={"posted_online": True, "relationship": True},
    )
    assert obligations(data) == [
        "inform_parents_unless_risk",
        "must_contact_social_care",
        "should_contact_social_care",
        "report_remove",
        "ceop_report",
        "call_999_if_in_immediate_danger",
        "do_not_view_copy_or_share",
    ]
    assert obligations(data) == [name for name in OBLIGATIONS if name in obligations(data)]

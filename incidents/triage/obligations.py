"""What the school must or should do about an incident, each with its reason and the
guidance it comes from.

The obligations run last, once the criteria and the typology are known, because two
depend on them: the headteacher signs off a decision not to refer only when no
criterion fired, and the Brook traffic light is for an experimental incident only.
`ALWAYS_OBLIGATIONS` are the two that hold for any imagery, in scope or not.
"""

from __future__ import annotations

from incidents.triage.context import Context, Test, refs, vulnerabilities
from incidents.triage.criteria import immediate_risk_of_harm, wide_distribution

__all__ = ["ALWAYS_OBLIGATIONS", "OBLIGATIONS", "OBLIGATION_RULES"]

# --------------------------------------------------------------------------- obligations


def _inform_parents_unless_risk(ctx: Context) -> str | None:
    """Always (000; 002 §3.5; 003)."""
    return (
        "Tell the parents or carers of the children involved at an early stage, unless "
        "that would put a child at risk; a decision not to tell them needs written "
        "reasons and is usually agreed with social care or the police (000; 002 §3.5; 003)"
    )


def _headteacher_sign_off_if_not_referred(ctx: Context) -> str | None:
    """Unless an immediate referral is due (002 §3.3, §7.0)."""
    if ctx.immediate:
        return None
    return (
        "No immediate-referral criterion fired: if the school decides not to refer to the "
        "police or social care, record why and have the headteacher sign it off "
        "(002 §3.3; 002 §7.0)"
    )


def _must_contact_social_care(ctx: Context) -> str | None:
    """A child with current social-care involvement (002 §4.0)."""
    current = [s for s in ctx.minors if s.person.social_care == "current"]
    if not current:
        return None
    return (
        f"Children's social care are currently involved with {refs(current)}: they must "
        "be told about the incident (002 §4.0)"
    )


def _should_contact_social_care(ctx: Context) -> str | None:
    """A child with previous social-care involvement (002 §4.0)."""
    previous = [s for s in ctx.minors if s.person.social_care == "previous"]
    if not previous:
        return None
    return (
        f"Children's social care have been involved with {refs(previous)} in the past: "
        "contact them about the incident (002 §4.0)"
    )


def _brook_traffic_light(ctx: Context) -> str | None:
    """Experimental, and a child aged 12 or under or vulnerable (004)."""
    if not ctx.typology.startswith("experimental_"):
        return None
    parts = [s.age_text() for s in ctx.minors if s.age is not None and s.age <= 12]
    for s in ctx.minors:
        parts.extend(vulnerabilities(s, ctx.policy))
    if not parts:
        return None
    return (
        f"The incident looks experimental ({ctx.typology}) and {'; '.join(parts)}: use "
        "the existing safeguarding procedures and a tool such as the Brook Sexual "
        "Behaviours Traffic Light Tool (004)"
    )


def _report_remove(ctx: Context) -> str | None:
    """Shared widely or posted online (003; 000; 002 §8.0)."""
    found = wide_distribution(ctx)
    if found is None:
        return None
    return (
        f"Because {found}, help the child use the Internet Watch Foundation and "
        "Childline's Report Remove tool to get it taken down (003; 000; 002 §8.0)"
    )


def _ceop_report(ctx: Context) -> str | None:
    """An adult or an online contact of unknown age, or grooming: report to CEOP
    (003; 000), whatever the policy says about unknown ages or grooming."""
    parts = []
    for s in ctx.people:
        if s.adult:
            parts.append(f"{s.ref} is an adult")
        elif s.person.kind == "unknown":
            parts.append(f"{s.ref} is an online contact of unknown age")
        if s.person.groomed:
            parts.append(f"{s.ref} was groomed")
    if not parts:
        return None
    return (
        f"Because {'; '.join(parts)}, report to CEOP (the National Crime Agency's Child "
        "Exploitation and Online Protection command) (003; 000)"
    )


def _call_999_if_in_immediate_danger(ctx: Context) -> str | None:
    """A child at immediate risk (003: "If you think a child is in immediate danger,
    contact the police on 999")."""
    found = immediate_risk_of_harm(ctx)
    if found is None:
        return None
    return f"Because {found}, call the police on 999 if they are in immediate danger (003)"


def _do_not_view_copy_or_share(ctx: Context) -> str | None:
    """Always (000; 002 §5.1; 003; 004)."""
    return (
        "Do not view, copy, print, forward or share the imagery: decide from what you are "
        "told about it (000; 002 §5.1; 003; 004)"
    )


OBLIGATION_RULES: tuple[tuple[str, Test], ...] = (
    ("inform_parents_unless_risk", _inform_parents_unless_risk),
    ("headteacher_sign_off_if_not_referred", _headteacher_sign_off_if_not_referred),
    ("must_contact_social_care", _must_contact_social_care),
    ("should_contact_social_care", _should_contact_social_care),
    ("brook_traffic_light", _brook_traffic_light),
    ("report_remove", _report_remove),
    ("ceop_report", _ceop_report),
    ("call_999_if_in_immediate_danger", _call_999_if_in_immediate_danger),
    ("do_not_view_copy_or_share", _do_not_view_copy_or_share),
)
OBLIGATIONS: tuple[str, ...] = tuple(name for name, _ in OBLIGATION_RULES)
ALWAYS_OBLIGATIONS: tuple[str, ...] = ("inform_parents_unless_risk", "do_not_view_copy_or_share")
"""The obligations docs/triage.md#output-the-assessment-json says hold always, also when
the incident is out of scope."""

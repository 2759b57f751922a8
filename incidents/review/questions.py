"""The initial review meeting's questions (002 §3.3), and when a decision departs from
the triage.

The answers are stored on `Decision.review_answers` as
`{key: {"answer": "yes" | "no" | "not_known", "note": str}}`, keyed by `QUESTIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from incidents.models import DecisionOutcome


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    citation: str


IMMEDIATE_RISK = "immediate_risk"
REFERRAL_NEEDED = "referral_needed"
VIEW_IMAGERY = "view_imagery"
FURTHER_INFORMATION = "further_information"
SHARED_WIDELY = "shared_widely"
CONTACT_OTHERS = "contact_others"
CONTACT_PARENTS = "contact_parents"

QUESTIONS: list[Question] = [
    Question(
        IMMEDIATE_RISK,
        "Is there an immediate risk to a pupil or pupils?",
        "002 §3.3",
    ),
    Question(
        REFERRAL_NEEDED,
        "Should a referral be made to the police or social care?",
        "002 §3.3",
    ),
    Question(
        VIEW_IMAGERY,
        "Is there a need to view the imagery in order to safeguard the child? "
        "In most cases, you should not view imagery.",
        "002 §3.3",
    ),
    Question(
        FURTHER_INFORMATION,
        "Is further information required to decide on the best response?",
        "002 §3.3",
    ),
    Question(
        SHARED_WIDELY,
        "Has the imagery been shared widely? Say on what platforms in the note.",
        "002 §3.3",
    ),
    Question(
        CONTACT_OTHERS,
        "Is there a need to contact another school, setting or individual?",
        "002 §3.3",
    ),
    Question(
        CONTACT_PARENTS,
        "Should the parents or carers of the pupils involved be contacted? In most cases, yes.",
        "002 §3.3",
    ),
]
QUESTION_KEYS = [question.key for question in QUESTIONS]

# Triage recommendations (incidents.triage.rules) under which a decision not to refer departs
# from the triage. Referring is never against it: a DSL may always refer (002 §3.3).
REFERRAL_RECOMMENDATIONS = frozenset({"immediate_referral", "referral_recommended"})


def against_triage(outcome: str, recommendation: str | None) -> bool:
    """Whether deciding `outcome` goes against the triage's `recommendation`."""
    return outcome in DecisionOutcome.not_referred() and recommendation in REFERRAL_RECOMMENDATIONS

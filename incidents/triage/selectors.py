"""Reads of stored triage assessments: the newest one, and its outcome in words."""

from __future__ import annotations

from incidents.models import Incident, TriageAssessment

TRIAGE_OUTCOMES: dict[str, str] = {
    "immediate_referral": "Immediate referral",
    "referral_recommended": "Referral recommended",
    "school_may_manage": "School may manage",
}
NOT_TRIAGED = "Not yet triaged"
OUT_OF_SCOPE = "Out of scope"


def triage_outcome_label(assessed: bool, recommendation: str | None) -> str:
    """The newest triage outcome in words; an assessment without a recommendation is
    one that found the imagery is not youth produced
    (docs/triage.md#out-of-scope-adults-pictured)."""
    if not assessed:
        return NOT_TRIAGED
    return TRIAGE_OUTCOMES.get(recommendation or "", OUT_OF_SCOPE)


def newest_assessment(incident: Incident) -> TriageAssessment | None:
    return incident.triage_assessments.order_by("-assessed_at", "-pk").first()

"""Changing a school's triage policy, which re-triages its open incidents."""

from __future__ import annotations

from django.db import transaction

from incidents.models import Incident
from incidents.triage.services import open_incidents_refresh
from safeguarding.audit import update_audited
from safeguarding.models import School, User


@transaction.atomic
def school_triage_policy_change(
    *,
    actor: User,
    school: School,
    expected_version: int,
    triage_preset: str,
    significant_age_gap_years: int,
    unknown_age_is_adult: bool,
    send_counts_as_vulnerable: bool,
) -> School:
    """Change which criteria the school triages by, and re-triage its open incidents.

    A headteacher or trust lead decision (docs/triage.md); audited like every change.
    """
    updated = update_audited(
        school,
        actor=actor,
        expected_version=expected_version,
        changes={
            "triage_preset": triage_preset,
            "significant_age_gap_years": significant_age_gap_years,
            "unknown_age_is_adult": unknown_age_is_adult,
            "send_counts_as_vulnerable": send_counts_as_vulnerable,
        },
    )
    open_incidents_refresh(actor=actor, incidents=Incident.objects.filter(school=updated))
    return updated

"""Reads for the initial review page, from an incident the view has already access-checked."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from incidents.models import Decision, DecisionKind, Incident


def initial_reviews(incident: Incident) -> QuerySet[Decision]:
    """The initial review decisions recorded for the incident, oldest first."""
    return Decision.objects.filter(
        incident=incident, kind=DecisionKind.INITIAL_REVIEW
    ).select_related("decided_by")


def decision_for_incident(incident: Incident, pk: int) -> Decision:
    """One decision of an access-checked incident, or 404 as for any missing record."""
    try:
        return Decision.objects.select_related("decided_by").get(incident=incident, pk=pk)
    except Decision.DoesNotExist:
        raise Http404("No such decision.") from None

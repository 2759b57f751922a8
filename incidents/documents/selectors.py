"""Reads of incident documents, limited to what the user may see.

A document is visible exactly when its incident is (`incidents.access`), so a
restricted incident's documents are as hidden as the incident itself.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from incidents.access import incident_for_user, incidents_for_user
from incidents.models import IncidentDocument
from safeguarding.models import User


def documents_for_user(user: User) -> QuerySet[IncidentDocument]:
    return IncidentDocument.objects.filter(incident__in=incidents_for_user(user))


def document_for_user(user: User, pk: int, *, write: bool = False) -> IncidentDocument:
    """The one way views get a document.

    Not visible: 404, the same answer as a missing document, so a guessed id reveals
    nothing. Visible but read-only for this user and `write`: 403, decided by the
    incident's own access helper so the two can never disagree.
    """
    try:
        document = (
            documents_for_user(user)
            .select_related("incident", "incident__school", "uploaded_by", "withdrawn_by")
            .get(pk=pk)
        )
    except IncidentDocument.DoesNotExist:
        raise Http404("No such document.") from None
    if write:
        document.incident = incident_for_user(user, document.incident_id, write=True)
    return document

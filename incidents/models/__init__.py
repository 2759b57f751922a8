"""Incidents of sharing nudes and semi-nudes, and what the school recorded about them.

The imagery itself is never stored, only described in words: possessing or
distributing it is an offence (002 §2.0, §5.1). Every model keeps its history, and no
row is ever deleted by the application.

The models sit in one module per part of the record; every name is re-exported here,
so `from incidents.models import Incident` works wherever it is written and the app
label and migrations are unchanged.
"""

from incidents.models.concern import (
    CONCERN_TEXT_MAX,
    INCIDENT_OUTCOMES,
    Concern,
    ConcernAcknowledgement,
    ConcernEscalation,
    ConcernNote,
    ConcernOutcome,
    ConcernOutcomeKind,
    ConcernPupil,
)
from incidents.models.decisions import (
    ContactMethod,
    Decision,
    DecisionKind,
    DecisionOutcome,
    ParentContact,
    ParentContactPurpose,
    RiskAssessment,
    TriageAssessment,
)
from incidents.models.followup import (
    DocumentKind,
    IncidentDocument,
    Interview,
    OnlineReport,
    ReportChannel,
    ReportOutcome,
)
from incidents.models.imagery import (
    DeletionRequest,
    DeviceSeizure,
    ImageryViewing,
    ViewingReason,
)
from incidents.models.incident import (
    ADULT_AGE,
    ROLE_FIELDS,
    CameToLight,
    Incident,
    IncidentStatus,
    Involvement,
    InvolvementRole,
    PersonKind,
)
from incidents.models.record import (
    AccessAction,
    AccessLogEntry,
    Export,
    ExportKind,
    ExportStatus,
    ImmutableRowError,
    IncidentAccessGrant,
    Reopening,
    SignOff,
    SignOffAction,
    SignOffKind,
    WriteOnce,
)

__all__ = [
    "ADULT_AGE",
    "CONCERN_TEXT_MAX",
    "INCIDENT_OUTCOMES",
    "ROLE_FIELDS",
    "AccessAction",
    "AccessLogEntry",
    "CameToLight",
    "Concern",
    "ConcernAcknowledgement",
    "ConcernEscalation",
    "ConcernNote",
    "ConcernOutcome",
    "ConcernOutcomeKind",
    "ConcernPupil",
    "ContactMethod",
    "Decision",
    "DecisionKind",
    "DecisionOutcome",
    "DeletionRequest",
    "DeviceSeizure",
    "DocumentKind",
    "Export",
    "ExportKind",
    "ExportStatus",
    "ImageryViewing",
    "ImmutableRowError",
    "Incident",
    "IncidentAccessGrant",
    "IncidentDocument",
    "IncidentStatus",
    "Interview",
    "Involvement",
    "InvolvementRole",
    "OnlineReport",
    "ParentContact",
    "ParentContactPurpose",
    "PersonKind",
    "Reopening",
    "ReportChannel",
    "ReportOutcome",
    "RiskAssessment",
    "SignOff",
    "SignOffAction",
    "SignOffKind",
    "TriageAssessment",
    "ViewingReason",
    "WriteOnce",
]

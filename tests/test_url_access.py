"""Every URL of the project, for anonymous, every role and a user of another school.

Each named URL pattern must have a rule in RULES; a new view without one fails
`test_every_url_pattern_has_a_rule`. A rule says, for GET and for POST, what each
person gets: the page (200), a redirect (302), read-only refusal (403), "no such
record" (404, identical for another school's and a missing record), or wrong method
(405). Requests are made with empty form data, so allowed writes answer with the form's
errors (200) and change nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from incidents.concerns.services import concern_report
from incidents.documents.services import document_upload
from incidents.models import (
    ContactMethod,
    Decision,
    DecisionKind,
    DecisionOutcome,
    Export,
    ExportKind,
    ExportStatus,
    ReportChannel,
)
from incidents.packs.services import pack_path
from incidents.restricted.services import restricted_access_grant
from incidents.takedown.services import online_report_record
from pupils.imports.services import pupil_import_read
from referrals.flow.services import referral_record
from referrals.models import Agency
from safeguarding.audit import save_audited
from safeguarding.calendar.services import closure_day_add, term_date_add
from safeguarding.models import Role
from safeguarding.services import membership_grant
from tests.factories import (
    AgencyContactFactory,
    DeletionRequestFactory,
    DeviceSeizureFactory,
    IncidentFactory,
    InvolvementFactory,
    PupilFactory,
    UserFactory,
    valid_upn,
)
from tests.safeguarding.uploads.samples import pdf
from transfers.models import Transfer, TransferredFile
from transfers.receiving.services import incoming_accept
from transfers.sending.services import passphrase_reveal, transfer_start

pytestmark = pytest.mark.django_db

WHO = ("anonymous", "dsl", "deputy", "head", "staff", "trust_lead", "other_dsl", "nobody")
READERS = {"dsl": 200, "deputy": 200, "head": 200, "trust_lead": 200}
NOT_FOUND = {"staff": 404, "other_dsl": 404, "nobody": 404}
MANAGERS = {"dsl": 200, "deputy": 200}  # empty form: errors shown, nothing changed
SIGNED_IN = {who: 200 for who in WHO if who != "anonymous"}
LOGIN = {"anonymous": "login"}


@dataclass(frozen=True)
class Rule:
    kwargs: Callable[[Any], dict[str, Any]] = lambda ctx: {}
    get: dict[str, int | str] = field(default_factory=dict)
    post: dict[str, int | str] = field(default_factory=dict)
    missing: Callable[[Any], dict[str, Any]] | None = None  # kwargs naming no record
    # Who stands outside the record, and who would reach it, for the missing test: the
    # DSL of the other school, and ours; for a transfer arriving, the other way round.
    outsider: str = "other_dsl"
    insider: str = "dsl"


def only(methods_status: int, **overrides: int | str) -> dict[str, int | str]:
    return {**dict.fromkeys(WHO, methods_status), **overrides}


SCHOOL = {
    "kwargs": lambda ctx: {"school_id": ctx.school.pk},
    "missing": lambda ctx: {"school_id": 999_999},
}
CONCERN = {
    "kwargs": lambda ctx: {"concern_id": ctx.concern.pk},
    "missing": lambda ctx: {"concern_id": 999_999},
}
# The school's DSLs, deputies and headteacher read concerns; staff only their own (the
# `staff` person reported ctx.concern); a trust lead gets counts only, on the home page.
CONCERN_READERS = {"dsl": 200, "deputy": 200, "head": 200}
NOT_CONCERN_READERS = {"staff": 404, "trust_lead": 404, "other_dsl": 404, "nobody": 404}
CONCERN_ACTORS_ONLY = {
    "head": 403,
    "staff": 403,
    "trust_lead": 404,
    "other_dsl": 404,
    "nobody": 404,
}

# A data manager imports the school's pupils and keeps its calendar, and reaches nothing
# else: everywhere but the import and calendar pages they get what a person with no role
# there gets (test_a_data_manager_reaches_only_the_pupil_import).
IMPORTERS = {"dsl": 200, "deputy": 200}
NOT_IMPORTERS = {"head": 404, "staff": 404, "trust_lead": 404, "other_dsl": 404, "nobody": 404}
DATA_MANAGER: dict[str, dict[str, int | str]] = {
    "pupils:upload": {"get": 200, "post": 200},
    "pupils:import": {"get": 200, "post": 405},
    "pupils:apply": {"get": 405, "post": 200},
    "calendar:calendar": {"get": 200, "post": 405},
    "calendar:term_add": {"get": 405, "post": 400},
    "calendar:closure_add": {"get": 405, "post": 400},
    "calendar:term_remove": {"get": 405, "post": 302},
    "calendar:closure_remove": {"get": 405, "post": 302},
}
PUPIL_IMPORT = {
    "kwargs": lambda ctx: {"school_id": ctx.school.pk, "import_id": ctx.pupil_import.pk},
    "missing": lambda ctx: {"school_id": ctx.school.pk, "import_id": 999_999},
}


# A transfer from people.school to people.other_school, its package made: the sending
# school's DSLs see it (transfer_records), nobody else, not its headteacher nor the
# trust lead (they get counts on the home page); a pupil they read but may not send is
# a 403 (read-only). The same transfer arriving is the receiving school's DSL's alone.
SENDERS = {"dsl": 200, "deputy": 200}
NOT_SENDERS = {
    "head": 404,
    "staff": 404,
    "trust_lead": 404,
    "other_dsl": 404,
    "nobody": 404,
}
READ_ONLY_SENDERS = {**NOT_SENDERS, "head": 403, "trust_lead": 403}
OUTGOING = {
    "kwargs": lambda ctx: {"transfer_id": outgoing(ctx).pk},
    "missing": lambda ctx: {"transfer_id": 999_999},
}
RECEIVER = {who: 404 for who in WHO if who != "anonymous"}
INCOMING = {
    "kwargs": lambda ctx: {"transfer_id": outgoing(ctx).pk},
    "missing": lambda ctx: {"transfer_id": 999_999},
    "outsider": "dsl",
    "insider": "other_dsl",
}
FILE_IN = {
    "kwargs": lambda ctx: {"file_id": file_in(ctx).pk},
    "missing": lambda ctx: {"file_id": 999_999},
}
# The school calendar: whoever holds manage_calendar (DSLs, headteacher, data manager).
CALENDAR_KEEPERS = {"dsl": 200, "deputy": 200, "head": 200}
NOT_CALENDAR_KEEPERS = {"staff": 404, "trust_lead": 404, "other_dsl": 404, "nobody": 404}

RULES: dict[str, Rule] = {
    "pupils:upload": Rule(
        **SCHOOL,
        get={**LOGIN, **IMPORTERS, **NOT_IMPORTERS},
        post={**LOGIN, **IMPORTERS, **NOT_IMPORTERS},
    ),
    "pupils:import": Rule(
        **PUPIL_IMPORT, get={**LOGIN, **IMPORTERS, **NOT_IMPORTERS}, post=only(405)
    ),
    # Empty form: the missing digest is named, nothing is applied.
    "pupils:apply": Rule(
        **PUPIL_IMPORT, get=only(405), post={**LOGIN, **IMPORTERS, **NOT_IMPORTERS}
    ),
    "pupils:leavers": Rule(**SCHOOL, get={**LOGIN, **READERS, **NOT_FOUND}, post=only(405)),
    "concerns:report": Rule(
        **SCHOOL,
        get={**LOGIN, **CONCERN_READERS, **NOT_CONCERN_READERS, "staff": 200},
        post={**LOGIN, **CONCERN_READERS, **NOT_CONCERN_READERS, "staff": 200},
    ),
    "concerns:list": Rule(
        **SCHOOL, get={**LOGIN, **CONCERN_READERS, **NOT_CONCERN_READERS}, post=only(405)
    ),
    # Read by everyone who reads concerns; changed by the headteacher.
    "concerns:settings": Rule(
        **SCHOOL,
        get={**LOGIN, **CONCERN_READERS, **NOT_CONCERN_READERS},
        post={**LOGIN, "dsl": 403, "deputy": 403, "head": 200, **NOT_CONCERN_READERS},
    ),
    "concerns:mine": Rule(get={**LOGIN, **SIGNED_IN}, post=only(405)),
    "concerns:detail": Rule(
        **CONCERN,
        get={**LOGIN, **CONCERN_READERS, **NOT_CONCERN_READERS, "staff": 200},
        post=only(405),
    ),
    "concerns:note": Rule(
        **CONCERN,
        get=only(405),
        post={**LOGIN, "dsl": 403, "deputy": 403, "head": 403, **NOT_CONCERN_READERS, "staff": 200},
    ),
    "concerns:acknowledge": Rule(
        **CONCERN, get=only(405), post={**LOGIN, "dsl": 302, "deputy": 302, **CONCERN_ACTORS_ONLY}
    ),
    # An empty form is a valid choice here: no pupil given a role yet.
    "concerns:open_incident": Rule(
        **CONCERN,
        get={**LOGIN, **MANAGERS, **CONCERN_ACTORS_ONLY},
        post={**LOGIN, "dsl": 302, "deputy": 302, **CONCERN_ACTORS_ONLY},
    ),
    "concerns:add_to_incident": Rule(
        **CONCERN,
        get={**LOGIN, **MANAGERS, **CONCERN_ACTORS_ONLY},
        post={**LOGIN, **MANAGERS, **CONCERN_ACTORS_ONLY},
    ),
    "concerns:wider_procedures": Rule(
        **CONCERN, get=only(405), post={**LOGIN, **MANAGERS, **CONCERN_ACTORS_ONLY}
    ),
    # A member of staff with no other role goes straight to "Report a concern".
    "home": Rule(get={**LOGIN, **SIGNED_IN, "staff": 302}, post=only(405)),
    "login": Rule(
        get=only(302, anonymous=200),  # signed-in people are sent on home
        post=only(302, anonymous=200),  # anonymous: empty form, errors shown
    ),
    "account:two_factor_setup": Rule(get=only(302, **LOGIN), post=only(302, **LOGIN)),
    "account:two_factor_verify": Rule(get=only(302, **LOGIN), post=only(302, **LOGIN)),
    "account:two_factor_recovery": Rule(get=only(302, **LOGIN), post=only(302, **LOGIN)),
    "account:recovery_codes": Rule(get={**LOGIN, **SIGNED_IN}, post=only(405)),
    "account:recovery_codes_regenerate": Rule(get=only(405), post=only(302, **LOGIN)),
    "account:confirm_password": Rule(get={**LOGIN, **SIGNED_IN}, post={**LOGIN, **SIGNED_IN}),
    "logout": Rule(get=only(405), post=only(302)),
    "incidents:triage_policy": Rule(
        kwargs=lambda ctx: {"school_id": ctx.school.pk},
        missing=lambda ctx: {"school_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post={**LOGIN, "dsl": 403, "deputy": 403, "head": 200, "trust_lead": 200, **NOT_FOUND},
    ),
    "incidents:restricted_access": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.restricted.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        # Restricted: the lead DSL (dsl) and the headteacher only.
        get={**LOGIN, "dsl": 200, "head": 200, "deputy": 404, "trust_lead": 404, **NOT_FOUND},
        post={**LOGIN, "dsl": 200, "head": 403, "deputy": 404, "trust_lead": 404, **NOT_FOUND},
    ),
    "documents:list": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "documents:download": Rule(
        kwargs=lambda ctx: {"document_id": ctx.document.pk},
        missing=lambda ctx: {"document_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post=only(405),
    ),
    "documents:withdraw": Rule(
        kwargs=lambda ctx: {"document_id": ctx.document.pk},
        missing=lambda ctx: {"document_id": 999_999},
        get=only(405),
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "log:start": Rule(
        kwargs=lambda ctx: {"school_id": ctx.school.pk},
        missing=lambda ctx: {"school_id": 999_999},
        get={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    **{
        f"log:{step}": Rule(
            kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
            missing=lambda ctx: {"incident_id": 999_999},
            get={**LOGIN, **READERS, **NOT_FOUND},
            post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
        )
        for step in ("details", "people", "imagery", "sharing", "finish")
    },
    "review:initial": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        # ctx.incident is still being logged: a review is refused with 409 (conflict).
        post={**LOGIN, "dsl": 409, "deputy": 409, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "parents:list": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "closure:close": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        # ctx.incident is still being logged: closing is refused with 409 (conflict).
        post={**LOGIN, "dsl": 409, "deputy": 409, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "agencies:list": Rule(
        kwargs=lambda ctx: {"school_id": ctx.school.pk},
        missing=lambda ctx: {"school_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        # The trust lead keeps the trust's defaults: their empty form shows its errors.
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 200, **NOT_FOUND},
    ),
    "agencies:edit": Rule(
        kwargs=lambda ctx: {"school_id": ctx.school.pk, "contact_id": ctx.agency_contact.pk},
        missing=lambda ctx: {"school_id": ctx.school.pk, "contact_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        # A school's own contact: kept by its DSLs, read-only to the trust lead.
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "agencies:retire": Rule(
        kwargs=lambda ctx: {"school_id": ctx.school.pk, "contact_id": ctx.agency_contact.pk},
        missing=lambda ctx: {"school_id": ctx.school.pk, "contact_id": 999_999},
        get=only(405),
        # Empty form: "out of date" shown (200), the contact unchanged.
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "referrals:list": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "referrals:detail": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk, "referral_id": ctx.referral.pk},
        missing=lambda ctx: {"incident_id": ctx.incident.pk, "referral_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        # Empty form: read as a follow-up, its errors shown (200), nothing recorded.
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "meetings:list": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "referral_summary:school": Rule(
        kwargs=lambda ctx: {"school_id": ctx.school.pk},
        missing=lambda ctx: {"school_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post=only(405),
    ),
    "devices:list": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "devices:seizure_police": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk, "seizure_id": ctx.seizure.pk},
        missing=lambda ctx: {"incident_id": ctx.incident.pk, "seizure_id": 999_999},
        get=only(405),
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    **{
        f"devices:deletion_{step}": Rule(
            kwargs=lambda ctx: {"incident_id": ctx.incident.pk, "deletion_id": ctx.deletion.pk},
            missing=lambda ctx: {"incident_id": ctx.incident.pk, "deletion_id": 999_999},
            get=only(405),
            post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
        )
        for step in ("confirm", "refuse")
    },
    "interviews:list": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "takedown:list": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "takedown:outcome": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk, "report_id": ctx.online_report.pk},
        missing=lambda ctx: {"incident_id": ctx.incident.pk, "report_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        # Empty form: errors shown (200), the report unchanged.
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "risk:assess": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        # ctx.incident is still being logged: an assessment is refused with 409 (conflict).
        post={**LOGIN, "dsl": 409, "deputy": 409, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "viewing:record": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "account:details": Rule(get={**LOGIN, **SIGNED_IN}, post={**LOGIN, **SIGNED_IN}),
    # An empty POST is a form with every choice missing: 400, each field named.
    "account:notifications": Rule(get={**LOGIN, **SIGNED_IN}, post={**only(400), **LOGIN}),
    # For load balancers and monitors: no sign-in, nothing sensitive, GET only.
    "health": Rule(get=only(200), post=only(405)),
    "closure:reopen": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        # ctx.incident is not closed: reopening it is refused with 409 (conflict).
        post={**LOGIN, "dsl": 409, "deputy": 409, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "cases:list": Rule(
        kwargs=lambda ctx: {"school_id": ctx.school.pk},
        missing=lambda ctx: {"school_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post=only(405),
    ),
    "cases:pupil": Rule(
        kwargs=lambda ctx: {"pupil_id": ctx.pupil.pk},
        missing=lambda ctx: {"pupil_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post=only(405),
    ),
    "cases:detail": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post=only(405),
    ),
    "signoff:queue": Rule(
        kwargs=lambda ctx: {"school_id": ctx.school.pk},
        missing=lambda ctx: {"school_id": 999_999},
        # The headteacher's page: readers who may not sign off are refused (403).
        get={**LOGIN, "head": 200, "dsl": 403, "deputy": 403, "trust_lead": 403, **NOT_FOUND},
        post=only(405),
    ),
    "signoff:review": Rule(
        kwargs=lambda ctx: {
            "incident_id": ctx.incident.pk,
            "kind": "decision",
            "subject_id": ctx.decision.pk,
        },
        missing=lambda ctx: {"incident_id": 999_999, "kind": "decision", "subject_id": 1},
        get={**LOGIN, "head": 200, "dsl": 403, "deputy": 403, "trust_lead": 403, **NOT_FOUND},
        # Empty form: errors shown (200), nothing signed.
        post={**LOGIN, "head": 200, "dsl": 403, "deputy": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "review:correct": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk, "decision_id": ctx.decision.pk},
        missing=lambda ctx: {"incident_id": ctx.incident.pk, "decision_id": 999_999},
        get={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
        post={**LOGIN, **MANAGERS, "head": 403, "trust_lead": 403, **NOT_FOUND},
    ),
    "audit:incident": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        post=only(405),
    ),
    "audit:access": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        # Who looked at a record: its DSLs and the headteacher, not the trust lead.
        get={**LOGIN, **MANAGERS, "head": 200, "trust_lead": 403, **NOT_FOUND},
        post=only(405),
    ),
    "exports:incident": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.incident.pk},
        missing=lambda ctx: {"incident_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        # Empty form: no version chosen, 400 with the error named; nothing exported.
        post={**LOGIN, **dict.fromkeys(READERS, 400), **NOT_FOUND},
    ),
    "packs:new": Rule(
        kwargs=lambda ctx: {"school_id": ctx.school.pk},
        missing=lambda ctx: {"school_id": 999_999},
        get={**LOGIN, **READERS, **NOT_FOUND},
        # Empty form: no dates, 400 with the fields named; nothing requested.
        post={**LOGIN, **dict.fromkeys(READERS, 400), **NOT_FOUND},
    ),
    **{
        f"packs:{page}": Rule(
            kwargs=lambda ctx: {"school_id": ctx.school.pk, "export_id": ready_pack(ctx).pk},
            missing=lambda ctx: {"school_id": ctx.school.pk, "export_id": uuid.uuid4()},
            get={**LOGIN, **READERS, **NOT_FOUND},
            post=only(405),
        )
        for page in ("detail", "download")
    },
    "incidents:restricted_access_end": Rule(
        kwargs=lambda ctx: {"incident_id": ctx.restricted.pk, "grant_id": ctx.grant.pk},
        missing=lambda ctx: {"incident_id": ctx.restricted.pk, "grant_id": 999_999},
        get=only(405),
        post={**LOGIN, "dsl": 302, "head": 403, "deputy": 404, "trust_lead": 404, **NOT_FOUND},
    ),
    "transfers:list": Rule(**SCHOOL, get={**LOGIN, **SENDERS, **NOT_SENDERS}, post=only(405)),
    # Empty form: no school chosen, no leaving date, 400 with the fields named.
    "transfers:start": Rule(
        kwargs=lambda ctx: {"pupil_id": ctx.pupil.pk},
        missing=lambda ctx: {"pupil_id": 999_999},
        get={**LOGIN, **SENDERS, **READ_ONLY_SENDERS},
        post={**LOGIN, **dict.fromkeys(SENDERS, 400), **READ_ONLY_SENDERS},
    ),
    "transfers:advance_share": Rule(
        kwargs=lambda ctx: {"pupil_id": ctx.pupil.pk},
        missing=lambda ctx: {"pupil_id": 999_999},
        get={**LOGIN, **SENDERS, **READ_ONLY_SENDERS},
        post={**LOGIN, **dict.fromkeys(SENDERS, 400), **READ_ONLY_SENDERS},
    ),
    "transfers:detail": Rule(**OUTGOING, get={**LOGIN, **SENDERS, **NOT_SENDERS}, post=only(405)),
    # Behind recent re-authentication (force_login has just typed the password): the
    # first of the school's DSLs to ask sees the passphrase, once.
    "transfers:passphrase": Rule(
        **OUTGOING, get=only(405), post={**LOGIN, **SENDERS, **NOT_SENDERS}
    ),
    # Empty form: who and when missing, 400 with the fields named; nothing recorded.
    "transfers:receipt_by_hand": Rule(
        **OUTGOING, get=only(405), post={**LOGIN, **dict.fromkeys(SENDERS, 400), **NOT_SENDERS}
    ),
    "transfers:package": Rule(**OUTGOING, get={**LOGIN, **SENDERS, **NOT_SENDERS}, post=only(405)),
    "transfers:incoming": Rule(
        **INCOMING, get={**LOGIN, **RECEIVER, "other_dsl": 200}, post=only(405)
    ),
    "transfers:confirm": Rule(
        **INCOMING, get=only(405), post={**LOGIN, **RECEIVER, "other_dsl": 302}
    ),
    # Empty form: no passphrase, 400 with the field named; nothing opened or accepted.
    **{
        f"transfers:{step}": Rule(
            **INCOMING, get=only(405), post={**LOGIN, **RECEIVER, "other_dsl": 400}
        )
        for step in ("open", "accept")
    },
    "transfers:import": Rule(
        **SCHOOL,
        get={**LOGIN, **SENDERS, **NOT_SENDERS},
        post={**LOGIN, **dict.fromkeys(SENDERS, 400), **NOT_SENDERS},
    ),
    # A file that arrived is read by the receiving school's DSLs only (it holds concerns,
    # which neither the headteacher's nor the trust lead's role reads here).
    **{
        f"transfers:{page}": Rule(
            **FILE_IN, get={**LOGIN, **SENDERS, **NOT_SENDERS}, post=only(405)
        )
        for page in ("file", "file_pdf")
    },
    # The outside DSL's receipt page: no account, the token is the key (a missing one is
    # test_a_wrong_receipt_token_is_not_found). Empty form: 400, nothing confirmed.
    "transfers:receipt": Rule(
        kwargs=lambda ctx: {"token": receipt_token(ctx)},
        get=only(200),
        post=only(400),
    ),
    "calendar:calendar": Rule(
        **SCHOOL, get={**LOGIN, **CALENDAR_KEEPERS, **NOT_CALENDAR_KEEPERS}, post=only(405)
    ),
    # Empty form: the name and dates missing, 400 with the fields named.
    **{
        f"calendar:{form}_add": Rule(
            **SCHOOL,
            get=only(405),
            post={**LOGIN, **dict.fromkeys(CALENDAR_KEEPERS, 400), **NOT_CALENDAR_KEEPERS},
        )
        for form in ("term", "closure")
    },
    "calendar:term_remove": Rule(
        kwargs=lambda ctx: {"school_id": ctx.school.pk, "term_id": ctx.term.pk},
        missing=lambda ctx: {"school_id": ctx.school.pk, "term_id": 999_999},
        get=only(405),
        post={**LOGIN, **dict.fromkeys(CALENDAR_KEEPERS, 302), **NOT_CALENDAR_KEEPERS},
    ),
    "calendar:closure_remove": Rule(
        kwargs=lambda ctx: {"school_id": ctx.school.pk, "closure_id": ctx.closure.pk},
        missing=lambda ctx: {"school_id": ctx.school.pk, "closure_id": 999_999},
        get=only(405),
        post={**LOGIN, **dict.fromkeys(CALENDAR_KEEPERS, 302), **NOT_CALENDAR_KEEPERS},
    ),
}


def named_patterns(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                names.add("admin:*")
                continue
            names |= named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_pattern_has_a_rule():
    undeclared = named_patterns() - set(RULES) - {"admin:*"}
    assert undeclared == set(), f"URLs without an access rule in {__name__}: {undeclared}"
    stale = set(RULES) - named_patterns()
    assert stale == set(), f"rules for URLs that no longer exist: {stale}"


@dataclass
class Context:
    people: Any
    school: Any
    incident: Any
    restricted: Any
    grant: Any
    document: Any
    pupil: Any
    online_report: Any
    seizure: Any
    deletion: Any
    agency_contact: Any
    referral: Any
    decision: Any
    concern: Any
    pupil_import: Any
    term: Any
    closure: Any
    capture: Any  # django_capture_on_commit_callbacks: the package task runs on commit
    made: dict[str, Any] = field(default_factory=dict)  # the transfers, made when needed


class FastAge:
    """pyrage without its scrypt (about 1.3 s for each encryption and decryption), for
    this file only: the transfers are made and opened by the real services, with a
    passphrase that must match, but hundreds of cases cannot pay seconds each. The
    cryptography itself is tested in tests/transfers/."""

    class DecryptError(Exception):
        pass

    class passphrase:  # noqa: N801  # the shape of `pyrage.passphrase`
        HEADER = b"age-encryption.org/v1\n"

        @staticmethod
        def encrypt(data: bytes, passphrase: str) -> bytes:
            key = hashlib.sha256(passphrase.encode()).digest()
            return FastAge.passphrase.HEADER + key + data

        @staticmethod
        def decrypt(data: bytes, passphrase: str) -> bytes:
            header = FastAge.passphrase.HEADER
            key = hashlib.sha256(passphrase.encode()).digest()
            if not data.startswith(header + key):
                raise FastAge.DecryptError
            return data[len(header) + len(key) :]


@pytest.fixture
def ctx(people, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"
    monkeypatch.setattr("transfers.package.archive.pyrage", FastAge)
    incident = IncidentFactory(school=people.school)
    restricted = IncidentFactory(school=people.school, restricted=True, lead_dsl=people.dsl)
    grant = restricted_access_grant(
        actor=people.dsl, incident=restricted, user=people.colleague_dsl, reason="Covering"
    )
    document = document_upload(
        actor=people.dsl,
        incident=incident,
        title="Referral form",
        kind="referral_form",
        upload=SimpleUploadedFile("form.pdf", pdf()),
    )
    pupil = PupilFactory(school=people.school)
    online_report = online_report_record(
        actor=people.dsl,
        incident=incident,
        platform="Instagram",
        channel=ReportChannel.PLATFORM,
        reported_at=timezone.now() - dt.timedelta(hours=1),
        reported_by="The pupil with the DSL's help",
    )
    seizure = DeviceSeizureFactory(incident=incident)
    deletion = DeletionRequestFactory(incident=incident)
    return Context(
        people,
        people.school,
        incident,
        restricted,
        grant,
        document,
        pupil,
        online_report,
        seizure,
        deletion,
        AgencyContactFactory(school=people.school),
        referral_record(
            actor=people.dsl,
            incident=incident,
            agency=Agency.POLICE,
            made_at=timezone.now() - dt.timedelta(hours=1),
            method=ContactMethod.PHONE,
            reasons="An adult is involved (002 §3.3).",
        ),
        save_audited(
            Decision(
                incident=incident,
                kind=DecisionKind.INITIAL_REVIEW,
                outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
                rationale="Consensual; both 16.",
                decided_at=timezone.now() - dt.timedelta(hours=1),
                decided_by=people.dsl,
            ),
            actor=people.dsl,
        ),
        concern_report(
            actor=people.staff,
            school=people.school,
            pupils=[pupil],
            unnamed_pupils="",
            happened_at=timezone.now() - dt.timedelta(minutes=5),
            account="Seen passing a phone round.",
        ),
        pupil_import_read(
            actor=people.dsl,
            school=people.school,
            data=b"UPN,Surname,Forename,DOB,Sex,Year\n" + ctx_upn_row(),
            file_name="roll.csv",
        ),
        term_date_add(
            actor=people.dsl,
            school=people.school,
            name="Autumn term 1",
            starts_on=dt.date(2026, 9, 3),
            ends_on=dt.date(2026, 10, 23),
        ),
        closure_day_add(
            actor=people.dsl, school=people.school, date=dt.date(2026, 10, 2), reason="INSET day"
        ),
        django_capture_on_commit_callbacks,
    )


def ctx_upn_row() -> bytes:
    return f"{valid_upn(500)},Shah,Ria,14/11/2011,F,10\n".encode()


def leaver(school: Any) -> Any:
    """A pupil of `school` with a file: one incident about them."""
    involvement = InvolvementFactory(incident=IncidentFactory(school=school))
    return involvement.pupil


def send(ctx: Context, pupil: Any, actor: Any, **receiving: Any) -> Transfer:
    """A transfer started by `actor`, its package made by the task when it commits."""
    with ctx.capture(execute=True):
        transfer = transfer_start(
            actor=actor, pupil=pupil, leaving_on=dt.date(2026, 11, 18), **receiving
        )
    transfer.refresh_from_db()
    return transfer


def outgoing(ctx: Context) -> Transfer:
    """A transfer from people.school to people.other_school, its package made and its
    passphrase not yet shown: made only by the rules that need one."""
    if "outgoing" not in ctx.made:
        ctx.made["outgoing"] = send(
            ctx,
            leaver(ctx.school),
            ctx.people.dsl,
            receiving_school=ctx.people.other_school,
        )
    return ctx.made["outgoing"]


def file_in(ctx: Context) -> TransferredFile:
    """A file that arrived at people.school: sent from people.other_school by its DSL,
    accepted here with the passphrase the sender was shown."""
    if "file_in" not in ctx.made:
        people = ctx.people
        transfer = send(
            ctx, leaver(people.other_school), people.other_dsl, receiving_school=people.school
        )
        passphrase = passphrase_reveal(actor=people.other_dsl, transfer=transfer)
        ctx.made["file_in"] = incoming_accept(
            actor=people.dsl, transfer=transfer, passphrase=passphrase
        )
    return ctx.made["file_in"]


def receipt_token(ctx: Context) -> str:
    """The token of an outside school's receipt link, read from the email it went in
    (only its SHA-256 is stored)."""
    if "receipt_token" not in ctx.made:
        mail.outbox.clear()
        send(
            ctx,
            leaver(ctx.school),
            ctx.people.dsl,
            receiving_name="Elsewhere High School",
            receiving_dsl_name="Erin Elsewhere",
            receiving_dsl_email="dsl@elsewhere.example",
        )
        (message,) = [m for m in mail.outbox if m.to == ["dsl@elsewhere.example"]]
        match = re.search(r"/transfers/receipt/([^/\s]+)/", message.body)
        assert match, message.body
        ctx.made["receipt_token"] = match.group(1)
    return ctx.made["receipt_token"]


def ready_pack(ctx: Context) -> Export:
    """A finished caseload pack of the school, its file written: made only by the rules
    that need one, so the other cases do not pay for it."""
    export = save_audited(
        Export(
            kind=ExportKind.SCHOOL_PACK,
            school=ctx.school,
            requested_by=ctx.people.dsl,
            date_from=dt.date(2026, 9, 1),
            date_to=dt.date(2026, 11, 1),
            status=ExportStatus.READY,
            file_name="pack.pdf",
            finished_at=timezone.now(),
        ),
        actor=ctx.people.dsl,
    )
    pack_path(export).parent.mkdir(parents=True, exist_ok=True)
    pack_path(export).write_bytes(pdf())
    return export


CASES = [
    (name, method, who)
    for name, rule in RULES.items()
    for method, expected in (("get", rule.get), ("post", rule.post))
    for who in expected
]


def sign_in(client, people, who):
    if who != "anonymous":
        client.force_login(getattr(people, who))


@pytest.mark.parametrize(("name", "method", "who"), CASES, ids=["-".join(c) for c in CASES])
def test_answer_for_each_person(client, ctx, name, method, who):
    rule = RULES[name]
    sign_in(client, ctx.people, who)
    response = getattr(client, method)(reverse(name, kwargs=rule.kwargs(ctx)))
    expected = getattr(rule, method)[who]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


def test_every_rule_covers_everyone():
    for name, rule in RULES.items():
        for method in ("get", "post"):
            assert set(getattr(rule, method)) == set(WHO), f"{name} {method}"


MISSING = [name for name, rule in RULES.items() if rule.missing]


@pytest.mark.parametrize("name", MISSING)
def test_a_missing_record_answers_like_another_schools(client, ctx, name):
    """The page a DSL of another school gets is the page anyone gets for a missing id."""
    rule = RULES[name]
    method = "get" if rule.get.get(rule.outsider) == 404 else "post"
    client.force_login(getattr(ctx.people, rule.outsider))
    theirs = getattr(client, method)(reverse(name, kwargs=rule.kwargs(ctx)))
    client.force_login(getattr(ctx.people, rule.insider))
    missing = getattr(client, method)(reverse(name, kwargs=rule.missing(ctx)))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


@pytest.mark.parametrize("who", ["anonymous", "dsl", "other_dsl"])
def test_a_wrong_receipt_token_is_not_found(client, ctx, who):
    """The receipt page's token is its key: a wrong one is "not found", for anyone."""
    sign_in(client, ctx.people, who)
    working = receipt_token(ctx)
    for token in ("x" * len(working), working[:-1], "x" * 101):
        for method in ("get", "post"):
            response = getattr(client, method)(reverse("transfers:receipt", args=[token]))
            assert response.status_code == 404, (token, method)


@pytest.mark.parametrize("who", [w for w in WHO if w != "anonymous"])
def test_the_admin_is_for_superusers_only(client, ctx, who):
    sign_in(client, ctx.people, who)
    for url in (
        reverse("admin:index"),
        reverse("admin:incidents_incident_changelist"),
        reverse("admin:safeguarding_school_change", args=[ctx.school.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_a_data_manager_reaches_only_the_pupil_import(client, ctx):
    data_manager = UserFactory(email="data@riverside.example")
    membership_grant(
        user=data_manager, school=ctx.school, role=Role.DATA_MANAGER, granted_by=ctx.people.operator
    )
    for name, rule in RULES.items():
        for method in ("get", "post"):
            client.force_login(data_manager)  # again: a POST to logout/ signs out
            expected = DATA_MANAGER.get(name, {}).get(method, getattr(rule, method)["nobody"])
            response = getattr(client, method)(reverse(name, kwargs=rule.kwargs(ctx)))
            assert response.status_code == expected, f"{name} {method}"


def test_wrong_methods_are_refused(client, ctx):
    for name, rule in RULES.items():
        client.force_login(ctx.people.dsl)
        response = client.put(reverse(name, kwargs=rule.kwargs(ctx)))
        assert response.status_code == 405, name

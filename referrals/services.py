"""Writes to referrals. Keyword-only, typed, one transaction each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from incidents.models import Incident
from referrals.models import Referral
from safeguarding.audit import save_audited
from safeguarding.models import User


@transaction.atomic
def referral_record(
    *,
    actor: User,
    incident: Incident,
    agency: str,
    made_at: dt.datetime,
    method: str,
    reasons: str,
    **details: Any,
) -> Referral:
    referral = Referral(
        incident=incident,
        agency=agency,
        made_at=made_at,
        made_by=actor,
        method=method,
        reasons=reasons,
        **details,
    )
    return save_audited(referral, actor=actor)

"""Reads of transfers: the DSL's lists with school days left, the trust lead's counts,
the overdue ones the dashboard and the caseload pack show, and a pupil's transfers.

Days left are school days on the sending school's calendar (`transfers.due`), read for
all the schools of a list at once, so a list costs the same queries however long it is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from safeguarding.access import schools_for_user
from safeguarding.calendar.days import SchoolCalendar
from safeguarding.models import Pupil, School, User
from safeguarding.roles import TRANSFER_RECORDS, VIEW_INCIDENTS
from transfers.access import files_in_for_user, incoming_for_user, outgoing_for_user
from transfers.due import school_days_left
from transfers.models import AdvanceShare, Transfer, TransferredFile, TransferStatus


class State:
    """Where a transfer stands, in the words of the lists."""

    PREPARING = "Package being made"
    FAILED = "Package not made"
    DUE = "Due"
    SENT = "Sent"
    OVERDUE = "Overdue"
    RECEIVED = "Received"


def _plural(count: int) -> str:
    return f"{count} school day{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class TransferRow:
    transfer: Transfer
    state: str
    #: School days to the due date, 0 on the day; once past it, minus the school days
    #: since (0 on the weekend after a Friday due date: overdue all the same). None once
    #: received, or when the package could not be made (that transfer is not going).
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.state == State.OVERDUE

    @property
    def days_left_text(self) -> str:
        if self.days_left is None:
            return ""
        if self.overdue:
            return f"{_plural(-self.days_left)} late" if self.days_left else "Overdue"
        if self.days_left == 0:
            return "Due today"
        return f"{_plural(self.days_left)} left"


def _state(transfer: Transfer, today: dt.date) -> str:
    if transfer.is_received:
        return State.RECEIVED
    if transfer.status == TransferStatus.FAILED:
        return State.FAILED
    if today > transfer.due_on:
        return State.OVERDUE
    if transfer.status == TransferStatus.PREPARING:
        return State.PREPARING
    return State.SENT


def transfer_rows(transfers: Iterable[Transfer], *, today: dt.date) -> list[TransferRow]:
    """Each transfer with its state and school days left (calendars read in one go).
    Overdue is a matter of dates (the day after the due date), not of school days."""
    transfers = list(transfers)
    calendars = SchoolCalendar.for_schools({t.school for t in transfers})
    rows = []
    for transfer in transfers:
        state = _state(transfer, today)
        days_left = (
            None
            if state in (State.RECEIVED, State.FAILED)
            else school_days_left(calendars[transfer.school_id], transfer.due_on, today)
        )
        rows.append(TransferRow(transfer, state, days_left))
    return rows


def transfer_row(transfer: Transfer, *, today: dt.date) -> TransferRow:
    return transfer_rows([transfer], today=today)[0]


def _listed(queryset: QuerySet[Transfer]) -> QuerySet[Transfer]:
    return queryset.select_related("school", "pupil", "receiving_school").order_by("due_on", "pk")


def outgoing_rows(user: User, *, today: dt.date, school: School | None = None) -> list[TransferRow]:
    transfers = outgoing_for_user(user)
    if school is not None:
        transfers = transfers.filter(school=school)
    return transfer_rows(_listed(transfers), today=today)


def incoming_rows(user: User, *, today: dt.date, waiting_only: bool = False) -> list[TransferRow]:
    """Transfers to the user's schools; `waiting_only`: not yet accepted here."""
    transfers = incoming_for_user(user)
    if waiting_only:
        transfers = transfers.exclude(status=TransferStatus.ACCEPTED)
    return transfer_rows(_listed(transfers), today=today)


def open_outgoing_rows(user: User, *, today: dt.date) -> list[TransferRow]:
    """For the dashboard: the user's outgoing transfers not yet received."""
    transfers = outgoing_for_user(user).filter(received_at__isnull=True)
    return transfer_rows(_listed(transfers), today=today)


@dataclass(frozen=True)
class SchoolTransferCounts:
    school: School
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


COUNTED = [State.DUE, State.SENT, State.RECEIVED, State.OVERDUE]


def transfer_counts(user: User, *, today: dt.date) -> list[SchoolTransferCounts]:
    """For a trust lead: per school they read but do not transfer for, how many
    transfers stand where. No pupil, no school they go to. "Due" counts those not yet
    sent (the package is being made or could not be made)."""
    schools = schools_for_user(user, VIEW_INCIDENTS).exclude(
        pk__in=schools_for_user(user, TRANSFER_RECORDS)
    )
    transfers = Transfer.objects.filter(school__in=schools).select_related("school")
    by_school: dict[int, Counter[str]] = {}
    for row in transfer_rows(transfers, today=today):  # one calendar read per school
        state = row.state if row.state in COUNTED else State.DUE
        by_school.setdefault(row.transfer.school_id, Counter())[state] += 1
    rows = [
        SchoolTransferCounts(
            school, {state: by_school.get(school.pk, Counter())[state] for state in COUNTED}
        )
        for school in schools.order_by("name")
    ]
    return rows if by_school else []


def overdue_transfers(school: School, *, today: dt.date) -> list[TransferRow]:
    """The school's transfers past their due date without a receipt (the caseload
    pack prints them; the school's own records, so no user filter beyond the pack's)."""
    transfers = Transfer.objects.filter(school=school, received_at__isnull=True).select_related(
        "school", "pupil", "receiving_school"
    )
    return [row for row in transfer_rows(transfers.order_by("due_on"), today=today) if row.overdue]


def pupil_transfers(user: User, pupil: Pupil) -> list[Transfer]:
    """Where this pupil's file was sent, for their page at the sending school."""
    return list(
        outgoing_for_user(user)
        .filter(pupil=pupil)
        .select_related("receiving_school")
        .order_by("started_at")
    )


def pupil_files_in(user: User, pupil: Pupil) -> list[TransferredFile]:
    return list(files_in_for_user(user).filter(pupil=pupil).defer("pdf", "document"))


def pupil_advance_shares(user: User, pupil: Pupil) -> list[AdvanceShare]:
    return list(
        AdvanceShare.objects.filter(
            pupil=pupil, school__in=schools_for_user(user, TRANSFER_RECORDS)
        ).select_related("recorded_by")
    )

"""The demo's concern still waiting for a DSL, so the DSL's home page has one to open.

Sent by the school's member of staff half an hour before the seed runs, about pupils
they could not name; nobody has acknowledged it yet. (The concern already turned into an
incident is part of its case, `demo.cases.riverside_sextortion`.) With `make run`, the
worker escalates it to the headteacher if it is still waiting when the school's time is
up (docs/concerns.md#how-fast-the-dsl-must-answer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from demo.cast import SchoolCast, dated
from incidents.concerns.services import concern_report

SENT_BEFORE_THE_SEED = dt.timedelta(minutes=30)


def riverside_waiting_concern(cast: SchoolCast) -> None:
    sent = cast.now - SENT_BEFORE_THE_SEED
    with dated(sent, before=cast.now):
        concern_report(
            actor=cast.staff,
            school=cast.school,
            pupils=[],
            unnamed_pupils=(
                "Three Year 10 boys by the science lockers; I don't know their names. One "
                "had a blue phone case and a Leeds United bag."
            ),
            happened_at=sent - dt.timedelta(minutes=10),
            location="Science corridor, lunchtime",
            account=(
                "Three boys were crowded round one phone. One said 'send it to the group "
                "chat, she won't know', and they laughed. When they saw me they put the "
                "phone away."
            ),
            others_present="No other staff. Several Year 10 pupils walking past.",
            action_taken="Nothing yet. I did not ask to see the phone.",
        )


#: The concerns left waiting in each school, by its key in `demo.data.SCHOOLS`.
WAITING_CONCERNS: dict[str, tuple[Callable[[SchoolCast], None], ...]] = {
    "riverside": (riverside_waiting_concern,),
}

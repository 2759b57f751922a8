"""The demo schools' calendars and the pupil who is leaving (docs/transfers.md).

Terms are given for the school year the demo runs in, as offsets from its start, so the
transfer a DSL starts in the demo gets a due date counted in school days whatever the
date. Riverside's follow an English school year with an INSET day; the Colegio's a
Spanish one. Grace Holroyd leaves Riverside today for the Colegio: her file (a closed
incident) is the one the demo transfers.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class Term(NamedTuple):
    name: str
    starts: tuple[int, int, int]  # (years after the school year's start, month, day)
    ends: tuple[int, int, int]


TERMS: dict[str, tuple[Term, ...]] = {
    "riverside": (
        Term("Autumn term 1", (0, 9, 3), (0, 10, 23)),
        Term("Autumn term 2", (0, 11, 2), (0, 12, 18)),
        Term("Spring term 1", (1, 1, 5), (1, 2, 12)),
        Term("Spring term 2", (1, 2, 22), (1, 3, 26)),
        Term("Summer term 1", (1, 4, 12), (1, 5, 21)),
        Term("Summer term 2", (1, 6, 1), (1, 7, 21)),
    ),
    "costa": (
        Term("Primer trimestre", (0, 9, 8), (0, 12, 18)),
        Term("Segundo trimestre", (1, 1, 8), (1, 3, 26)),
        Term("Tercer trimestre", (1, 4, 6), (1, 6, 23)),
    ),
}
CLOSURES: dict[str, tuple[tuple[tuple[int, int, int], str], ...]] = {
    "riverside": (((0, 11, 2), "INSET day"), ((1, 1, 5), "INSET day")),
    "costa": (((0, 10, 12), "Fiesta local"),),
}
#: The story pupil of each school who leaves on the day the demo is seeded.
LEAVERS: dict[str, str] = {"riverside": "grace"}


def on(start_year: int, when: tuple[int, int, int]) -> dt.date:
    years, month, day = when
    return dt.date(start_year + years, month, day)

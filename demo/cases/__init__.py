"""The demo cases: one module per incident, and the order each school's are created in.

Each case is a function of the school's `SchoolCast` that records one fictional incident
through the services, as a DSL would, step by step in the order things happen, moving
the clock to each step's moment first (`demo.cast.story_time`). `CASES` maps a school's
key in `demo.data` to its cases in creation order. The order is not alphabetical and
matters: it fixes each incident's reference (RA-…, CB-…) and row ids, so keep it when
adding a case.

Riverside Academy (England) covers the five situations (a) to (e); Colegio Británico
Costa del Sol (Spain) shows a school where staff may not search devices.
"""

from __future__ import annotations

from collections.abc import Callable

from demo.cases.costa_group_share import costa_group_share
from demo.cases.costa_never_sent import costa_never_sent
from demo.cases.costa_relationship import costa_relationship
from demo.cases.costa_sextortion import costa_sextortion
from demo.cases.riverside_closed import riverside_closed
from demo.cases.riverside_not_informed import riverside_not_informed
from demo.cases.riverside_relationship import riverside_relationship
from demo.cases.riverside_sextortion import riverside_sextortion
from demo.cases.riverside_under_13 import riverside_under_13
from demo.cast import SchoolCast

Case = Callable[[SchoolCast], None]

RIVERSIDE_INCIDENTS: tuple[Case, ...] = (
    riverside_closed,
    riverside_not_informed,
    riverside_under_13,
    riverside_relationship,
    riverside_sextortion,
)
COSTA_INCIDENTS: tuple[Case, ...] = (
    costa_never_sent,
    costa_sextortion,
    costa_relationship,
    costa_group_share,
)
#: Each school's cases by its key in `demo.data.SCHOOLS`, in the order they are created.
CASES: dict[str, tuple[Case, ...]] = {
    "riverside": RIVERSIDE_INCIDENTS,
    "costa": COSTA_INCIDENTS,
}

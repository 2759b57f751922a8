"""The incidents a pack holds (`pack_incidents`): the headteacher's pack holds the
restricted incident a DSL's does not."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.packs.selectors import pack_incidents
from tests.incidents.packs.builders import Caseload, span

pytestmark = pytest.mark.django_db

# --- Contents ------------------------------------------------------------------------------


def test_the_head_sees_the_restricted_incident_in_the_pack(named: Any, caseload: Caseload) -> None:
    date_from, date_to = span()
    references = set(
        pack_incidents(named.head, named.school, date_from, date_to).values_list(
            "reference", flat=True
        )
    )
    assert references == {caseload.rich.reference, caseload.simple.reference,
                          caseload.restricted.reference}  # fmt: skip

"""History rows name the person who acted; stale edits are refused, never merged."""

import pytest

from safeguarding.audit import StaleEditError, update_audited
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def test_update_with_the_current_version_saves_and_bumps_it(people):
    incident = IncidentFactory(school=people.school)
    updated = update_audited(
        incident, actor=people.deputy, expected_version=1, changes={"narrative": "Revised"}
    )
    assert updated.version == 2
    incident.refresh_from_db()
    assert incident.narrative == "Revised"
    assert incident.history.first().history_user == people.deputy


def test_second_of_two_concurrent_edits_is_refused_with_what_changed(people):
    incident = IncidentFactory(school=people.school, narrative="Original")
    first_copy, second_copy = type(incident).objects.get(pk=incident.pk), incident
    update_audited(
        first_copy, actor=people.dsl, expected_version=1, changes={"narrative": "Dana's text"}
    )
    with pytest.raises(StaleEditError) as error:
        update_audited(
            second_copy,
            actor=people.colleague_dsl,
            expected_version=1,
            changes={"narrative": "Cal's text"},
        )
    assert error.value.changes == {"narrative": ("Original", "Dana's text")}
    assert "narrative" in str(error.value)
    incident.refresh_from_db()
    assert incident.narrative == "Dana's text"
    assert incident.version == 2


def test_invalid_change_is_refused_and_nothing_saved(people):
    from django.core.exceptions import ValidationError

    incident = IncidentFactory(school=people.school)
    with pytest.raises(ValidationError):
        update_audited(
            incident, actor=people.dsl, expected_version=1, changes={"status": "misplaced"}
        )
    incident.refresh_from_db()
    assert incident.version == 1

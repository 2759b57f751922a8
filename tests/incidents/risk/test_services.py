"""`risk_assessment_record`'s rules: every refusal names its field and changes
nothing, person flags only for this incident's people, and a stale version refused
naming the colleague's change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from incidents.models import RiskAssessment
from incidents.risk.questions import WHY_SHARED
from incidents.services import incident_update
from safeguarding.audit import StaleEditError
from tests.incidents.risk.builders import answers, logged, pictured, record

pytestmark = pytest.mark.django_db

# --- the service's rules -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"answers": {**answers(), "mood": {"answer": "yes"}}},
            "answers",
            "Unknown questions: mood",
        ),
        ({"answers": {**answers(), 7: {"answer": "yes"}}}, "answers", "Unknown questions: 7"),
        (
            {"answers": {**answers(), WHY_SHARED: {"answer": ["yes"], "note": ""}}},
            "answers",
            "why_shared: answer yes, no or not known",
        ),
        (
            {"answers": {**answers(), WHY_SHARED: {"answer": "maybe", "note": ""}}},
            "answers",
            "why_shared: answer yes, no or not known",
        ),
        (
            {"answers": {**answers(), WHY_SHARED: {"answer": "yes", "score": 3}}},
            "answers",
            "why_shared: give an answer",
        ),
        (
            {"answers": {**answers(), WHY_SHARED: {"answer": "yes", "note": 3}}},
            "answers",
            "why_shared: the note must be text",
        ),
        ({"answers": {WHY_SHARED: {"answer": "no"}}}, "answers", "Answer every question"),
        ({"answers": ["yes"]}, "answers", "Answers must map"),
        ({"summary": "  "}, "summary", "Summarise the risks"),
        (
            {"assessed_at": timezone.now() + dt.timedelta(days=1)},
            "assessed_at",
            "in the future",
        ),
        ({"sexual_acts": True}, "sexual_acts", "not a fact the risk assessment records"),
        ({"posted_online": "yes"}, "posted_online", "Answer yes or no"),
        ({"person_flags": {999_999: {"coerced": True}}}, "person_flags", "not involved"),
    ],
)
def test_service_refusals_name_the_field(people, managed, kwargs, field, message):
    version = managed.version
    with pytest.raises(ValidationError) as caught:
        record(people, managed, **kwargs)
    assert message in " ".join(caught.value.message_dict[field])
    assert not RiskAssessment.objects.exists()
    managed.refresh_from_db()
    assert managed.version == version


def test_service_refuses_an_unknown_or_non_boolean_person_flag(people, managed):
    chloe = pictured(managed)
    for flags, message in (({"looked_after": True}, "not a flag"), ({"coerced": 1}, "yes or no")):
        with pytest.raises(ValidationError) as caught:
            record(people, managed, person_flags={chloe.pk: flags})
        assert message in " ".join(caught.value.message_dict["person_flags"])
    chloe.refresh_from_db()
    assert (chloe.looked_after, chloe.coerced) == (False, False)
    assert not RiskAssessment.objects.exists()


def test_service_refuses_another_incidents_person(people, managed):
    other = logged(people)
    stranger = pictured(other)
    with pytest.raises(ValidationError):
        record(people, managed, person_flags={stranger.pk: {"coerced": True}})
    stranger.refresh_from_db()
    assert stranger.coerced is False


# --- no lost update ----------------------------------------------------------------------


def test_service_refuses_a_stale_version_naming_the_change(people, managed):
    seen = managed.version
    incident_update(
        actor=people.colleague_dsl, incident=managed, expected_version=seen, shared_widely=True
    )
    with pytest.raises(StaleEditError) as caught:
        record(people, managed, expected_version=seen)
    assert caught.value.changes == {"shared_widely": (False, True)}
    assert not RiskAssessment.objects.exists()

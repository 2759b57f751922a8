"""Helpers shared by the devices and deletion tests: the pages' addresses, what
each form posts, and the services called with sensible values (a seizure, a
deletion request, the parents told, the police involved by a decision)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from incidents.devices.services import deletion_request_record, seizure_record
from incidents.models import ContactMethod, DecisionKind, DeletionRequest, DeviceSeizure, Incident
from incidents.services import decision_record
from tests.clock import ago


def list_url(incident: Incident) -> str:
    return reverse("devices:list", kwargs={"incident_id": incident.pk})


def police_url(seizure: DeviceSeizure) -> str:
    return reverse(
        "devices:seizure_police",
        kwargs={"incident_id": seizure.incident_id, "seizure_id": seizure.pk},
    )


def confirm_url(deletion: DeletionRequest) -> str:
    return reverse(
        "devices:deletion_confirm",
        kwargs={"incident_id": deletion.incident_id, "deletion_id": deletion.pk},
    )


def refuse_url(deletion: DeletionRequest) -> str:
    return reverse(
        "devices:deletion_refuse",
        kwargs={"incident_id": deletion.incident_id, "deletion_id": deletion.pk},
    )


def page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def when(name: str, moment: dt.datetime) -> dict[str, str]:
    """A moment as the day, month, year and time boxes of the field `name`."""
    local = timezone.localtime(moment)
    return {
        f"{name}_on_0": str(local.day),
        f"{name}_on_1": str(local.month),
        f"{name}_on_2": str(local.year),
        f"{name}_time": local.strftime("%H:%M"),
    }


def prefixed(prefix: str, data: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}-{key}": value for key, value in data.items()}


def seizure_data(child, **overrides):
    return {
        "record": "seizure",
        **prefixed(
            "seizure",
            {
                "involvement": str(child.pk),
                "device": "Black iPhone 13 in a red case",
                **when("seized", ago(hours=2)),
                "switched_off": "on",
                "stored_where": "Safe in the DSL's office",
                "notes": "Taken in the head of year's office.",
            },
        ),
        **overrides,
    }


def refusal_data(child, **overrides):
    return {
        "record": "refusal",
        **prefixed(
            "refusal",
            {
                "involvement": str(child.pk),
                "device": "Samsung phone",
                **when("refused", ago(hours=3)),
                "contact_name": "Maria Hirst",
                "relationship": "mother",
                "method": "phone",
                **when("contacted", ago(hours=2)),
                "told": "She refused to hand over her phone; the police may be contacted.",
            },
        ),
        **overrides,
    }


def deletion_data(child, **overrides):
    return {
        "record": "deletion",
        **prefixed(
            "deletion",
            {
                "involvement": str(child.pk),
                **when("requested", ago(hours=2)),
                **when("deadline", timezone.now() + dt.timedelta(days=1)),
                "where": "Her phone, iCloud Photos and Snapchat memories",
                "consequences_explained": "on",
            },
        ),
        **overrides,
    }


def call_data(child, **overrides):
    return {
        "record": "parent_call",
        **prefixed(
            "parent_call",
            {
                "involvement": str(child.pk),
                "contact_name": "Lucía García",
                "relationship": "mother",
                "method": "phone",
                **when("contacted", ago(hours=1)),
                "told": "Staff may not search the phone; please talk to your daughter tonight.",
            },
        ),
        **overrides,
    }


def police_data(seizure, **overrides):
    return {
        **when("police_informed", ago(hours=1)),
        **when("handed", ago(minutes=30)),
        "handed_to": "PC Amy Patel 4821",
        "version": str(seizure.version),
        **overrides,
    }


def parent_told(**overrides):
    return {
        "contact_name": "Maria Hirst",
        "relationship": "mother",
        "method": ContactMethod.PHONE,
        "contacted_at": ago(hours=1),
        "told": "Her phone was kept for the police because she refused to hand it over.",
        **overrides,
    }


def record_seizure(people, incident, child, **overrides):
    return seizure_record(
        actor=people.dsl,
        incident=incident,
        involvement=child,
        **{
            "device": "Black iPhone 13",
            "seized_at": ago(hours=2),
            "switched_off": True,
            "stored_where": "Safe in the DSL's office",
            **overrides,
        },
    )


def ask_to_delete(people, incident, child, **overrides):
    return deletion_request_record(
        actor=people.dsl,
        incident=incident,
        involvement=child,
        **{
            "requested_at": ago(hours=2),
            "deadline": timezone.now() + dt.timedelta(days=1),
            "where": "Phone and iCloud",
            "consequences_explained": True,
            **overrides,
        },
    )


def errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def refer(people, incident, outcome):
    decision_record(
        actor=people.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=outcome,
        rationale="Adult involved.",
        decided_at=ago(days=1),
    )

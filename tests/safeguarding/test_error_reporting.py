"""Error reports: off unless SENTRY_DSN is set, and no pupil data in what is sent."""

from __future__ import annotations

import copy
import json

import pytest
import sentry_sdk
from django.conf import settings
from django.db import IntegrityError
from sentry_sdk.transport import Transport

from safeguarding.error_reporting import REMOVED, init_error_reporting, scrub

NAME = "Amelia Hart"
EMAIL = "dsl@riverside.example"
FAKE_DSN = "https://public@sentry.example/1"


def sentry_event() -> dict:
    """An event as sentry-sdk builds it for a failed request, with a pupil's name in
    every place an integration or the application could put it."""
    return {
        "event_id": "0" * 32,
        "level": "error",
        "platform": "python",
        "request": {
            "method": "POST",
            "url": "https://records.example.org/incidents/12/people/?pupil=Amelia+Hart#top",
            "query_string": "pupil=Amelia+Hart",
            "data": {"given_name": "Amelia", "family_name": "Hart", "notes": NAME},
            "cookies": {"sessionid": "abc", "csrftoken": "def"},
            "headers": {"User-Agent": "Firefox", "Referer": f"https://x/?q={NAME}"},
            "env": {"REMOTE_ADDR": "192.0.2.1", "SERVER_NAME": "web-1"},
        },
        "user": {"id": "7", "email": "dsl@riverside.example", "username": "Dana Lead"},
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "module": "django.db.utils",
                    "value": f'duplicate key value violates unique constraint: "{NAME}"',
                    "mechanism": {"type": "django", "handled": False},
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "incidents/services.py",
                                "function": "incident_create",
                                "lineno": 42,
                                "context_line": "    save_audited(pupil, actor=actor)",
                                "vars": {"pupil": f"<Pupil: {NAME}>", "narrative": NAME},
                            }
                        ]
                    },
                }
            ]
        },
        "logentry": {"message": "Pupil %s not saved", "params": [NAME], "formatted": NAME},
        "extra": {"pupil_name": NAME, "sys.argv": ["manage.py", "export_incident", NAME]},
        "contexts": {
            "pupil": {"first_name": "Amelia", "given_name": "Amelia", "full_name": NAME},
            "nested": {"rows": [{"narrative": NAME, "id": 3}]},
            "runtime": {"name": "CPython", "version": "3.11.7"},
        },
        "tags": {"given_name": NAME, "url": "/incidents/12/"},
        "breadcrumbs": {
            "values": [
                {"category": "query", "message": f"INSERT ... '{NAME}'", "data": {"p": NAME}},
                {"category": "incidents", "message": f"Logged {NAME}", "level": "info"},
            ]
        },
    }


def test_no_pupil_data_is_left_anywhere():
    scrubbed = scrub(sentry_event(), {})
    text = json.dumps(scrubbed)
    for piece in (NAME, "Amelia", "Hart", "dsl@riverside", "Dana Lead", "192.0.2.1", "abc"):
        assert piece not in text


def test_what_finds_the_fault_is_kept():
    scrubbed = scrub(sentry_event(), {})
    (exception,) = scrubbed["exception"]["values"]
    assert exception["type"] == "IntegrityError"
    assert exception["value"] == "IntegrityError"  # the message, which quoted the name, goes
    (frame,) = exception["stacktrace"]["frames"]
    assert (frame["function"], frame["lineno"]) == ("incident_create", 42)
    assert "vars" not in frame
    assert scrubbed["request"] == {
        "method": "POST",
        "url": "https://records.example.org/incidents/12/people/",
    }
    assert scrubbed["user"] == {"id": "7"}
    assert scrubbed["logentry"] == {"message": "Pupil %s not saved"}
    assert "extra" not in scrubbed
    assert [crumb["category"] for crumb in scrubbed["breadcrumbs"]["values"]] == [
        "query",
        "incidents",
    ]
    assert scrubbed["contexts"]["pupil"] == dict.fromkeys(
        ("first_name", "given_name", "full_name"), REMOVED
    )
    assert scrubbed["contexts"]["nested"] == {"rows": [{"narrative": REMOVED, "id": REMOVED}]}
    assert scrubbed["contexts"]["runtime"] == {"name": "CPython", "version": "3.11.7"}
    assert scrubbed["tags"] == {"given_name": REMOVED, "url": "/incidents/12/"}
    assert scrubbed["platform"] == "python"


def test_a_log_message_without_arguments_may_be_preformatted_so_it_goes():
    event = {"logentry": {"message": f"Could not save {NAME}", "params": []}, "message": NAME}
    scrubbed = scrub(copy.deepcopy(event), {})
    assert scrubbed == {"logentry": {"message": REMOVED}, "message": REMOVED}


def test_reporting_is_off_in_the_tests_and_without_a_dsn():
    assert settings.SENTRY_DSN == "" or settings.TESTING
    assert not sentry_sdk.get_client().is_active()


class KeptInMemory(Transport):
    """A transport that sends nothing: it keeps each envelope for the test to read."""

    def __init__(self) -> None:
        super().__init__()
        self.envelopes: list = []

    def capture_envelope(self, envelope) -> None:
        self.envelopes.append(envelope)


@pytest.fixture
def reporting():
    """Sentry started as production starts it, with a transport that sends nothing; the
    previous (inactive) client is put back afterwards."""
    previous = sentry_sdk.get_global_scope().client
    transport = KeptInMemory()
    init_error_reporting(dsn=FAKE_DSN, environment="staging", transport=transport)
    try:
        yield transport
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(previous)
    assert not sentry_sdk.get_client().is_active()


def test_the_client_collects_no_personal_data(reporting):
    client = sentry_sdk.get_client()
    assert client.is_active()
    assert client.transport is reporting
    options = client.options
    assert options["before_send"] is scrub
    assert options["environment"] == "staging"
    assert options["traces_sample_rate"] == 0
    collection = options["data_collection"]
    assert collection["user_info"] is False  # sentry-sdk 2's send_default_pii=False
    assert collection["stack_frame_variables"] is False  # 2's include_local_variables=False
    assert collection["http_bodies"] == []
    assert collection["cookies"]["mode"] == "off"
    assert collection["http_headers"]["request"]["mode"] == "off"
    assert collection["url_query_params"]["mode"] == "off"
    assert collection["database_query_data"] is False


def test_a_reported_exception_carries_no_pupil_data(reporting):
    with sentry_sdk.isolation_scope() as scope:
        scope.set_context("pupil", {"given_name": NAME})
        scope.set_extra("pupil_name", NAME)
        scope.set_user({"id": 7, "email": EMAIL})
        try:
            pupil_name = NAME  # a local variable, as in any view
            raise IntegrityError(f"duplicate key value: ({pupil_name})")
        except IntegrityError as error:
            sentry_sdk.capture_exception(error)
    sentry_sdk.flush()
    (envelope,) = reporting.envelopes
    # The source lines around each frame are sent (code, not records): hence NAME and
    # EMAIL, constants defined away from the lines the report quotes.
    sent = envelope.serialize().decode()
    assert NAME not in sent
    assert EMAIL not in sent
    event = envelope.get_event()
    assert event["exception"]["values"][0]["type"] == "IntegrityError"
    assert event["user"] == {"id": 7}

"""Error reports to Sentry, only when `SENTRY_DSN` is set, and never with pupil data.

The records are about children, and an error report leaves the server for a service the
school does not run. So a report carries what finds the fault in the code and nothing
from the records: the exception's type and stack trace (file, function, line, source),
the request's method and path, the logger's name and level, the release and environment.

Two layers keep the rest out. The SDK is told to collect no user details, cookies,
headers, bodies, query strings, SQL parameters or local variables (sentry-sdk 3's
`data_collection`, which replaced 2.x's `send_default_pii` and
`include_local_variables`). And `scrub`, run on every event before it is sent, removes
whatever an integration gathered anyway: an exception's message (an IntegrityError or a
ValidationError can quote a pupil's name), log messages and their arguments, breadcrumbs'
messages and data, `extra`, every user field but the id, and any value under a key named
like a field of the project's models (`given_name`, `narrative`…) in what is left.

Traces and Sentry's own log records are off: `before_send` does not see them.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit, urlunsplit

import sentry_sdk
from django.apps import apps
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.transport import Transport

from safeguarding.no_delete import guarded_models

if TYPE_CHECKING:
    from sentry_sdk._types import DataCollectionUserOptions, Event, Hint

REMOVED = "[removed]"
# Names that carry a person's details in other code (Django's user, the SDK's own user
# fields), scrubbed as well as the project's field names.
PERSONAL_KEYS = frozenset({"first_name", "last_name", "username", "email", "ip_address"})
# Contexts the SDK fills in from the platform module alone (Python's and the system's name
# and version): their keys `name` and `version` are field names too, but hold no record.
PLATFORM_CONTEXTS = frozenset({"runtime", "os"})

DATA_COLLECTION: DataCollectionUserOptions = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "off"}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "database_query_data": False,
    "queues": False,
    "stack_frame_variables": False,
    "gen_ai": {"inputs": False, "outputs": False},
    "mcp": {"inputs": False, "outputs": False},
    "graphql": {"document": False, "variables": False},
}


def init_error_reporting(*, dsn: str, environment: str, transport: Transport | None = None) -> None:
    """Start reporting errors to Sentry. Called from settings when `SENTRY_DSN` is set.

    Unhandled exceptions of requests are reported (DjangoIntegration), and so are log
    records at ERROR and above, which is how a failing background task or command is
    heard of. `transport` is for the tests, which keep envelopes in memory.
    """
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[
            DjangoIntegration(),
            # Errors as events; no Sentry log records and no log breadcrumbs, whose text
            # `before_send` could not clean.
            LoggingIntegration(level=None, event_level=logging.ERROR, breadcrumb_level=None),
        ],
        data_collection=DATA_COLLECTION,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        send_client_reports=False,
        before_send=scrub,
        transport=transport,
    )


def scrub(sentry_event: Event, hint: Hint | None = None) -> Event:
    """The event with everything that could come from a record removed (see above).

    A plain function of the event dict, so the tests can give it one as the SDK builds.
    """
    # The SDK's TypedDict names its keys; what is removed here is read key by key.
    event = cast(dict[str, Any], sentry_event)
    _scrub_request(event)
    if isinstance(event.get("user"), dict):
        event["user"] = {key: value for key, value in event["user"].items() if key == "id"}
    event.pop("extra", None)
    _scrub_messages(event)
    for crumb in _values(event.get("breadcrumbs")):
        crumb.pop("message", None)
        crumb.pop("data", None)
    for exception in _values(event.get("exception")):
        if "value" in exception:
            exception["value"] = exception.get("type") or REMOVED
    for entry in _values(event.get("exception")) + _values(event.get("threads")):
        for frame in (entry.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    keys = _sensitive_keys()
    contexts = event.get("contexts")
    if isinstance(contexts, dict):
        for name, context in contexts.items():
            if name not in PLATFORM_CONTEXTS:
                contexts[name] = _scrub_keys(context, keys)
    for part in ("tags", "exception"):
        if part in event:
            event[part] = _scrub_keys(event[part], keys)
    return sentry_event


def _scrub_request(event: dict[str, Any]) -> None:
    """Only the method and the address without its query string or fragment."""
    request = event.get("request")
    if not isinstance(request, dict):
        return
    kept: dict[str, Any] = {}
    if "method" in request:
        kept["method"] = request["method"]
    if isinstance(request.get("url"), str):
        parts = urlsplit(request["url"])
        kept["url"] = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    event["request"] = kept


def _scrub_messages(event: dict[str, Any]) -> None:
    """A log message is kept only as the template written in the code, when it had
    arguments (`"Document %s has no file"`); text without arguments may have been
    formatted before logging, so it goes, as do the arguments and the formatted text."""
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        template = logentry.get("message") if logentry.get("params") else None
        event["logentry"] = {"message": template if isinstance(template, str) else REMOVED}
    if "message" in event:
        event["message"] = REMOVED


def _values(part: Any) -> list[dict[str, Any]]:
    """The entries of an event's list-like part: `{"values": [...]}`, or a plain list."""
    entries = part.get("values") if isinstance(part, dict) else part
    return [entry for entry in entries or [] if isinstance(entry, dict)]


def _scrub_keys(value: Any, keys: frozenset[str]) -> Any:
    """`value` with whatever sits under one of `keys`, at any depth, replaced."""
    if isinstance(value, dict):
        return {
            key: REMOVED if key in keys else _scrub_keys(item, keys) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub_keys(item, keys) for item in value]
    return value


def _sensitive_keys() -> frozenset[str]:
    """The field names of the project's models, and PERSONAL_KEYS. Before the app
    registry is ready (an error while starting) only PERSONAL_KEYS: no record has been
    read then, and the rest of `scrub` does not depend on the models."""
    if not apps.ready:
        return PERSONAL_KEYS
    return _domain_field_names() | PERSONAL_KEYS


@cache
def _domain_field_names() -> frozenset[str]:
    return frozenset(field.name for model in guarded_models() for field in model._meta.get_fields())

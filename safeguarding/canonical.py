"""One canonical text for a set of field values, so that a hash of it is the same on
SQLite and PostgreSQL, whatever order the fields were read in.

Used by the hash chain of history rows (`safeguarding.history_chain`) and by the
headteacher's sign-off digest (`incidents.signoff.items`). Keys are sorted; datetimes are
written in UTC with microseconds; dates, times, decimals and UUIDs as ISO text.

Empty values (None, "", False, an empty list or dict) are left out. A field added to a
model later with an empty default therefore leaves the hashes of rows written before it
unchanged, and no information is lost: a key is absent exactly when its value is empty.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any


def canonical_value(value: Any) -> Any:
    """`value` as JSON-ready data that reads the same on every database."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError(f"A naive datetime cannot be hashed reproducibly: {value!r}")
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, Mapping):
        return canonical_fields(value)
    if isinstance(value, list | tuple):
        return [canonical_value(item) for item in value]
    raise TypeError(f"No canonical form for {type(value).__name__}")


def canonical_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The non-empty fields of `values`, each in canonical form."""
    return {
        str(key): canonical_value(value) for key, value in values.items() if not _is_empty(value)
    }


def _is_empty(value: Any) -> bool:
    """None, False, or an empty text, list or mapping; 0 is a value, not empty."""
    if value is None or value is False:
        return True
    return isinstance(value, str | list | tuple | Mapping) and len(value) == 0


def canonical_json(data: Mapping[str, Any]) -> str:
    """The canonical text of `data`: sorted keys, no spaces, ASCII only."""
    return json.dumps(
        canonical_fields(data), sort_keys=True, separators=(",", ":"), ensure_ascii=True
    )


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()

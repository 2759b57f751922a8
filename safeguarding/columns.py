"""Writing a few columns of many rows at once, for the bulk saves of the audit trail.

Django's `QuerySet.bulk_update` builds one `CASE WHEN id = … THEN …` expression per row
and field and compiles them all: measured on a 10,000-pupil import it spent most of the
import's time there (docs/pupil-import.md#benchmark). One parameterised `UPDATE … WHERE
id = %s` sent with `executemany` does the same work with one statement the database
prepares once, on SQLite and PostgreSQL alike. Values go through each field's own
`get_db_prep_save`, exactly as the ORM would convert them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.db import connection, models

BATCH = 500


def update_columns(model: type[models.Model], rows: Sequence[Any], fields: Sequence[str]) -> None:
    """Write `fields` of each of `rows` (instances of `model`, each with its pk)."""
    if not rows or not fields:
        return
    quote = connection.ops.quote_name
    columns = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in fields]
    pk = model._meta.pk
    assignments = ", ".join(f"{quote(str(column.column))} = %s" for column in columns)
    # Names are the model's own, quoted; every value is a parameter.
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(str(pk.column))} = %s"  # noqa: S608
    )
    params = [
        [column.get_db_prep_save(getattr(row, column.attname), connection) for column in columns]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])

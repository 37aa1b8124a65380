"""Sessions in the database (``SESSION_ENGINE``), as Django's ``db`` backend keeps them, read
with one plain statement: every signed-in request reads its session, and building that read
through the ORM cost several times the round trip itself."""

from functools import cache
from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@cache
def _read_sql(alias: str) -> str:
    """The read of one session on the database ``alias``: the same whatever the session."""
    quote = connections[alias].ops.quote_name
    meta = SessionStore.get_model_class()._meta
    table, data, key, expiry = (
        quote(name)
        for name in (
            meta.db_table,
            meta.get_field("session_data").column,
            meta.get_field("session_key").column,
            meta.get_field("expire_date").column,
        )
    )
    return f"SELECT {data} FROM {table} WHERE {key} = %s AND {expiry} > %s"  # noqa: S608 - ours


class SessionStore(db.SessionStore):
    """Django's database sessions; only the read is written by hand. It selects what Django's
    selects: the row of this key whose expiry is still ahead (an expired session reads as none,
    and its key is dropped, so a new one is made if the session is written)."""

    def load(self) -> dict[str, Any]:
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(
                _read_sql(alias),
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])

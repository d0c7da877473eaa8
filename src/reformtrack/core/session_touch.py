"""Database sessions that refresh the idle timeout without a write on every request.

SESSION_SAVE_EVERY_REQUEST keeps the idle timeout (SESSION_COOKIE_AGE) running from the last
request, but it makes every signed-in page a write transaction. This store skips that write
when nothing in the session changed and the stored expiry would move by less than
SESSION_TOUCH_SECONDS (a minute): the timeout stays exact to within that minute.
It also reads the session row with SQL compiled once per database (the ORM's `get` cost ten
times the query), run with this request's key and time: expiry is checked by the database on
every request, as before. Used as SESSION_ENGINE.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connections, router
from django.utils import timezone

_KEY_MARK = "session-key-placeholder"
_compiled: dict[tuple, tuple[str, list, int, int]] = {}  # (alias, vendor) → sql, params, slots


class SessionStore(DatabaseStore):
    stored_expiry = None  # the expire_date read from the database, when one was

    def _get_session_from_db(self):
        found = self._read_row()
        if found is None:
            self._session_key = None  # as Django's store does: a new session will be made
        self.stored_expiry = found.expire_date if found is not None else None
        return found

    def _read_row(self):
        """The unexpired Session row of this key, or None (what the base class `get`s)."""
        if not self.session_key:
            return None
        using = router.db_for_read(self.model)
        connection = connections[using]
        now = timezone.now()
        sql, params, key_at, now_at = _session_sql(self.model, using)
        params = list(params)
        params[key_at] = self.session_key
        params[now_at] = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        field = self.model._meta.get_field("expire_date")
        expiry = row[1]
        col = field.get_col(self.model._meta.db_table)
        for convert in connection.ops.get_db_converters(col) + field.get_db_converters(connection):
            expiry = convert(expiry, col, connection)
        return self.model(session_key=self.session_key, session_data=row[0], expire_date=expiry)

    def save(self, must_create=False):
        if not must_create and self.session_key is not None and self.only_touched():
            return
        super().save(must_create=must_create)
        self.stored_expiry = self.get_expiry_date()

    def only_touched(self) -> bool:
        """True when this save would only move the stored expiry, and by less than the step."""
        if self.modified or self.stored_expiry is None:
            return False
        step = dt.timedelta(seconds=getattr(settings, "SESSION_TOUCH_SECONDS", 60))
        return self.get_expiry_date() - self.stored_expiry < step


def _session_sql(model, using: str) -> tuple[str, list, int, int]:
    """The session read's SQL and parameters, with the slots of the key and the time."""
    vendor = connections[using].vendor
    found = _compiled.get((using, vendor))
    if found is None:
        query = (
            model.objects.using(using)
            .filter(session_key=_KEY_MARK, expire_date__gt=timezone.now())
            .values_list("session_data", "expire_date")
        )
        sql, params = query.query.sql_with_params()
        params = list(params)
        key_at = params.index(_KEY_MARK)
        (now_at,) = (i for i in range(len(params)) if i != key_at)
        found = _compiled[(using, vendor)] = (sql, params, key_at, now_at)
    return found

"""Database sessions that refresh the idle timeout without a write on every request.

SESSION_SAVE_EVERY_REQUEST keeps the idle timeout (SESSION_COOKIE_AGE) running from the last
request, but it makes every signed-in page a write transaction. This store skips that write
when nothing in the session changed and the stored expiry would move by less than
SESSION_TOUCH_SECONDS (a minute): the timeout stays exact to within that minute.
Used as SESSION_ENGINE.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore


class SessionStore(DatabaseStore):
    stored_expiry = None  # the expire_date read from the database, when one was

    def _get_session_from_db(self):
        found = super()._get_session_from_db()
        self.stored_expiry = found.expire_date if found is not None else None
        return found

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

"""What a running job tells the world: done/total, the item it is on, errors as found.

Writes are throttled (at most one UPDATE of the job row per `INTERVAL` seconds, plus one
whenever the total is set or an error is found), so reporting every row costs nothing."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db.models import F
from django.utils import timezone

MAX_MESSAGES = 200
INTERVAL = 0.5


class Progress:
    def __init__(self, job, *, on_change: Callable[[Progress], None] | None = None):
        self.job = job
        self.on_change = on_change  # e.g. a command's progress bar, called on every change
        self.done = job.done
        self._total = job.total
        self.item = job.current_item
        self.errors: list[str] = []
        self._unsaved: list[dict] = []
        self._saved_at = 0.0

    @property
    def total(self) -> int | None:
        return self._total

    @total.setter
    def total(self, value: int | None) -> None:
        self._total = value
        self._changed(force=True)

    def advance(self, n: int = 1, item: str = "") -> None:
        """`n` more items done; `item` names the row or file being worked on."""
        self.done += n
        if item:
            self.item = str(item)[:300]
        self._changed()

    def at(self, item) -> None:
        """Name the step or item being worked on, without counting anything done. A step
        given as a stored_messages.Message is also kept among the messages (level "step"), so
        the job page reads it in the reader's language (`Job.current_label`)."""
        from ..stored_messages import as_stored

        self.item = str(item)[:300]
        stored = as_stored(item)
        if stored:
            self._unsaved.append({"level": "step", "message": stored, "text": self.item})
            self._changed(force=True)
            return
        self._changed()

    def error(self, message: str) -> None:
        """An error found while working (a bad row, an unreadable file): shown at once."""
        self._message("error", message)

    def note(self, message: str) -> None:
        self._message("info", message)

    def _message(self, level: str, message: str) -> None:
        if level == "error":
            self.errors.append(str(message))
        self._unsaved.append({"level": level, "text": str(message)[:1000],
                              "at": timezone.now().isoformat(timespec="seconds")})  # fmt: skip
        self._changed(force=True)

    def _changed(self, force: bool = False) -> None:
        if self.on_change is not None:
            self.on_change(self)
        now = time.monotonic()
        if force or now - self._saved_at >= INTERVAL:
            self.save()

    def save(self) -> None:
        """Write the figures to the job row (the page polls it)."""
        from ..models import Job

        values = {"done": self.done, "total": self._total, "current_item": self.item}
        if self._unsaved:
            messages = list(Job.objects.filter(pk=self.job.pk).values_list("messages", flat=True))
            kept = (messages[0] if messages else []) + self._unsaved
            errors = sum(1 for m in self._unsaved if m["level"] == "error")
            values |= {"messages": kept[:MAX_MESSAGES], "error_count": F("error_count") + errors}
            self._unsaved = []
        Job.objects.filter(pk=self.job.pk).update(**values)
        self._saved_at = time.monotonic()


class NullProgress:
    """For calling a job's function directly (tests, other services): reports nothing."""

    total = None
    done = 0
    errors: list[str] = []

    def advance(self, n: int = 1, item: str = "") -> None:
        self.done += n

    def at(self, item: str) -> None:
        pass

    def error(self, message: str) -> None:
        self.errors = [*self.errors, str(message)]

    def note(self, message: str) -> None:
        pass

    def save(self) -> None:
        pass

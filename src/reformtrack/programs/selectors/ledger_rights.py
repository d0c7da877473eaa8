"""What the ledger page lets the user do in a programme: import rows (a task they may change)
and report in bulk (a task they may report on), read in one query of two EXISTS whose SQL is
compiled once per user's grants and programme (`compiled_sql`) and run fresh every request."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists

from reformtrack.core.compiled_sql import rows as compiled_rows
from reformtrack.core.scoping import Action, granted_paths

from ..models import LedgerTask, Programme


@dataclass(frozen=True)
class LedgerRights:
    may_import: bool
    may_bulk: bool


def ledger_rights(user, programme: Programme) -> LedgerRights:
    change = tuple(granted_paths(user, Action.CHANGE))
    report = tuple(granted_paths(user, Action.REPORT))
    if not change and not report:
        return LedgerRights(False, False)
    key = ("ledger-rights", programme.pk, change, report)  # the SQL depends on these only
    found = compiled_rows(key, lambda: _rights_query(user, programme))
    may_import, may_bulk = found[0] if found else (False, False)
    return LedgerRights(bool(may_import), bool(may_bulk))


def _rights_query(user, programme):
    tasks = LedgerTask.objects.filter(programme=programme)
    return (
        Programme.objects.filter(pk=programme.pk)
        .order_by()
        .annotate(
            may_import=Exists(tasks.visible_to(user, Action.CHANGE)),
            may_bulk=Exists(tasks.visible_to(user, Action.REPORT)),
        )
        .values_list("may_import", "may_bulk")
    )

"""The header's counts (what waits in the inbox) in one query per request.

The header shows them on every page and the home page repeats the approvals: three counts
that were three queries (and three compilations of the scoped approval filters) are now one
SELECT of three scalar subqueries, compiled once per user and grants (`compiled_sql`) and run
fresh on every request, kept on the request's user object for the rest of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, Subquery

from ..compiled_sql import rows
from ..models import User
from ..scoping import Action, granted_paths
from .inbox import ECHOES, approvals_blocked_for, approvals_waiting_for, notifications_for


@dataclass(frozen=True)
class HeaderCounts:
    waiting: int = 0  # approvals the user may decide now
    blocked: int = 0  # approvals nobody may decide below the user, shown to them
    notices: int = 0  # unread notices that are not an echo of a listed approval

    @property
    def inbox(self) -> int:
        return self.waiting + self.blocked + self.notices


def _count(queryset) -> Subquery:
    """COUNT(*) of a queryset as a scalar subquery (no GROUP BY: one row, always)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def header_counts(user) -> HeaderCounts:
    if user is None or not user.is_authenticated:
        return HeaderCounts()
    found = user.__dict__.get("_header_counts")
    if found is None:
        business = not user.is_administrator
        names = ["notices", "waiting", "blocked"] if business else ["notices"]
        key = ("header-counts", user.pk, business, tuple(granted_paths(user, Action.APPROVE)))
        row = rows(key, lambda: _counts_query(user, business))
        counts = dict(zip(names, row[0] if row else (), strict=False))
        found = HeaderCounts(**{name: counts.get(name) or 0 for name in names})
        user.__dict__["_header_counts"] = found
    return found


def _counts_query(user, business: bool):
    """The counts' query; its SQL depends only on the user's pk and approving grants."""
    unread = notifications_for(user, unread_only=True).exclude(kind__in=ECHOES)
    counts = {"notices": _count(unread)}
    if business:
        counts["waiting"] = _count(approvals_waiting_for(user))
        counts["blocked"] = _count(approvals_blocked_for(user))
    return User.objects.filter(pk=user.pk).order_by().annotate(**counts).values_list(*counts)

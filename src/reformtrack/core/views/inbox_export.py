"""The inbox's lists as CSV/Excel, as the page shows them (the same selectors, the same caps)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.translation import gettext as _
from django.views import View

from ..chart_exports import FORMATS, table_response
from ..selectors.inbox import approvals_blocked_for, approvals_waiting_for, my_submissions


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


class InboxExportView(LoginRequiredMixin, View):
    """`?list=waiting|blocked|submitted&export=csv|xlsx` (the waiting list as CSV by default);
    administrators hold no approvals, so their lists are empty."""

    def get(self, request):
        user = request.user
        fmt, name = request.GET.get("export", "csv"), request.GET.get("list", "waiting")
        if fmt not in FORMATS:
            raise Http404
        if user.is_administrator:
            return table_response(fmt, f"inbox-{name}", _("Inbox"), [_("Item")], [])
        if name == "waiting":
            header = [_("Item"), _("Organisation"), _("Level"), _("Submitted by"),
                      _("Submitted on")]  # fmt: skip
            rows = [
                [a.title, str(a.organisation), f"{a.current_level + 1} / {len(a.levels)}",
                 str(a.submitted_by or ""), _when(a.submitted_at)]
                for a in approvals_waiting_for(user)[:200]
            ]  # fmt: skip
            title = _("Waiting for your decision")
        elif name == "blocked":
            header = [_("Item"), _("Blocked at"), _("Since")]
            rows = [
                [a.title, f"{a.current_level + 1} ({a.current_organisation})",
                 _when(a.blocked_since)]
                for a in approvals_blocked_for(user)[:100]
            ]  # fmt: skip
            title = _("Blocked below you")
        elif name == "submitted":
            header = [_("Item"), _("Status"), _("Waiting at")]
            rows = [
                [a.title, a.get_status_display(),
                 str(a.current_organisation) if a.status == "pending" else ""]
                for a in my_submissions(user)[:50]
            ]  # fmt: skip
            title = _("My submissions")
        else:
            raise Http404
        return table_response(fmt, f"inbox-{name}", title, header, rows)

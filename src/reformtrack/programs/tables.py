"""Tables of the ledger pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import LedgerTask

# Dates, badges and short labels never break mid-word (2021-06- / 30, 已完 / 成).
NOWRAP = {"td": {"class": "nowrap"}}


class LedgerTable(tables.Table):
    """One row per ledger task (台账), in ledger order: area, then code."""

    code = tables.Column(linkify=True, verbose_name=_("Task code"))
    title = tables.Column(linkify=True, verbose_name=_("Task"))
    organisation = tables.Column(
        verbose_name=_("Organisation"), order_by=("org_path", "code"), linkify=False
    )
    area = tables.Column(verbose_name=_("Reform area"), order_by=("area__position", "code"))
    kind = tables.Column(verbose_name=_("Kind"), attrs=NOWRAP)
    is_main = tables.BooleanColumn(verbose_name=_("Main"), attrs=NOWRAP)
    deadline = tables.DateColumn(format="Y-m-d", verbose_name=_("Deadline"), attrs=NOWRAP)
    owner = tables.Column(verbose_name=_("Responsible person"))
    status = tables.Column(verbose_name=_("Status"), attrs=NOWRAP)
    percent = tables.Column(verbose_name=_("Progress"), attrs={"td": {"class": "num"}})

    class Meta:
        model = LedgerTask
        fields = (
            "code", "title", "organisation", "area", "kind", "is_main", "deadline", "owner",
            "status", "percent",
        )  # fmt: skip
        attrs = {"class": "table ledger", "data-testid": "ledger"}
        row_attrs = {"data-task": lambda record: record.code}
        empty_text = _("No tasks match.")

    def render_status(self, record, value):
        return status_badge(record.status, record.get_status_display())

    def render_percent(self, value):
        return f"{value.normalize():f}%"


def status_badge(value: str, label: str):
    """A coloured badge of a task status or report state (classes in app.css)."""
    return format_html('<span class="status {}">{}</span>', value, label)

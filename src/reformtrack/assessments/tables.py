"""Tables of the assessment pages: a campaign's ranking, on the shared table mechanism."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class ResultTable(tables.Table):
    """One row per rated assessment (selectors.ResultRow), ranked by score."""

    rank = tables.Column(verbose_name=_("Rank"), attrs=NUM)
    name = tables.Column(verbose_name=_("Enterprise"))
    score = tables.Column(verbose_name=_("Score"), attrs=NUM, default="—")
    rating_label = tables.Column(verbose_name=_("Rating"), order_by=("rank",))
    previous = tables.Column(verbose_name=_("Last year"), default="—")
    movement = tables.Column(verbose_name=_("Movement"), attrs=NUM, default="")

    class Meta:
        attrs = {"class": "table", "data-testid": "results"}
        row_attrs = {"data-org": lambda record: record.assessment.organisation.code}
        empty_text = _("No rating has been set yet.")

    def render_name(self, record):
        return format_html('<a href="{}">{}</a>', record.assessment.get_absolute_url(), record.name)

    def value_name(self, record):
        return record.name

    def render_movement(self, value):
        if value > 0:
            return f"↑{value}"
        if value < 0:
            return f"↓{-value}"
        return "—"

    def value_movement(self, value):
        return value

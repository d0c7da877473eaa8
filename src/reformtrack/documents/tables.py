"""The documents list on the shared table mechanism (core.tables.TableViewMixin)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Document


class DocumentTable(tables.Table):
    title = tables.Column(verbose_name=_("Title"), order_by=("title", "filename"))
    published_on = tables.DateColumn(format="Y-m-d", verbose_name=_("Publication date"))
    language = tables.Column(verbose_name=_("Language"))
    source = tables.Column(verbose_name=_("Source"), default="—")
    cluster = tables.Column(verbose_name=_("Cluster"), default="", order_by=("cluster_id",))
    spun = tables.Column(verbose_name=_("spun copy"), default="")

    class Meta:
        model = Document
        fields = ("title", "published_on", "language", "source", "cluster", "spun")
        attrs = {"class": "table", "data-testid": "documents"}
        row_attrs = {"data-document": lambda record: record.pk}
        empty_text = _("No document matches.")

    def render_title(self, record):
        return format_html(
            '<a href="{}">{}</a>', record.get_absolute_url(), record.title or record.filename
        )

    def value_title(self, record):
        return record.title or record.filename

    def render_published_on(self, value):
        return value.strftime("%Y-%m-%d") if value else "—"

    def render_language(self, record):
        return record.language_name

    value_language = render_language

    def render_cluster(self, record):
        if not record.cluster_id:
            return ""
        if getattr(record, "best_of_several", False):
            return format_html(
                '#{} <span class="tag public">{}</span>', record.cluster_id, _("best copy")
            )
        return f"#{record.cluster_id}"

    def value_cluster(self, record):
        return record.cluster_id or ""

    def render_spun(self, record):
        if not record.spun:
            return ""
        return format_html('<span class="tag illustrative">{}</span>', _("spun copy"))

    def value_spun(self, record):
        return _("spun copy") if record.spun else ""

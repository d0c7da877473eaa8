"""The documents list on the shared table mechanism (core.tables.TableViewMixin)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
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

    def body_html(self) -> str:
        """The current page's rows in one pass: the same HTML as the columns above drawn cell
        by cell (core/templatetags/table_body.py's table_rows, tests/test_pagefloor_html.py),
        with the document URL reversed once a page instead of once a row."""
        url = conditional_escape(reverse("documents:document", args=[URL_MARK]))
        url = url.replace(URL_MARK, "{}")
        dash, best = "—", conditional_escape(_("best copy"))
        spun = str(self.render_spun(_Spun))
        tds = {column.name: column.attrs["td"].as_html() for column in self.columns}
        shown = list(tds)
        parts = []
        for i, doc in enumerate(self.paginated_rows.data):
            cluster = ""
            if doc.cluster is not None and doc.cluster_id:
                cluster = f"#{doc.cluster_id}"
                if getattr(doc, "best_of_several", False):
                    cluster += f' <span class="tag public">{best}</span>'
            title = doc.title
            cells = {
                "title": dash
                if title in (None, "")
                else f'<a href="{url.format(doc.pk)}">{conditional_escape(title)}</a>',
                "published_on": doc.published_on.strftime("%Y-%m-%d") if doc.published_on else dash,
                "language": dash
                if doc.language in (None, "")
                else conditional_escape(doc.language_name),
                "source": dash if doc.source in (None, "") else conditional_escape(doc.source),
                "cluster": cluster,
                "spun": spun if doc.spun else "",
            }
            row = "".join(f"<td {tds[name]}>{cells[name]}</td>" for name in shown)
            parts.append(
                f'<tr data-document="{doc.pk}" class="{"odd" if i % 2 else "even"}">{row}</tr>'
            )
        return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


URL_MARK = "987654321"
_Spun = type("_Spun", (), {"spun": True})()  # a record whose render_spun draws the tag

"""Tables of the shared pages, and the one table mechanism every list uses (NetBox's tables
being the model): page size, sort, per-column filters, column chooser, saved views and
"export what I see", all from `TableViewMixin` and the `includes/table.html` include."""

from __future__ import annotations

import copy
import functools

import django_tables2 as tables
import django_tables2.utils
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .compiled_sql import instances
from .fast_widgets import FastWidgetRenderer
from .model_names import model_name
from .models import AuditRecord, Job, SavedView
from .table_exports import FORMATS, export_response
from .tables_state import PAGE_SIZES, read_state, remember


def _remembered_signature(signature):
    """django-tables2 reads a render method's signature with `inspect` for every cell (to pass
    only the arguments it takes); a function's signature never changes, so it is read once per
    function (bound methods by their function)."""
    known: dict = {}

    @functools.wraps(signature)
    def remembered(fn):
        key = getattr(fn, "__func__", fn)
        try:
            return known[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable callable
            return signature(fn)
        if len(known) > 2000:  # callables made per table (lambdas) must not pile up
            known.clear()
        found = known[key] = signature(fn)
        return found

    return remembered


if not hasattr(django_tables2.utils.signature, "__wrapped__"):
    django_tables2.utils.signature = _remembered_signature(django_tables2.utils.signature)


class ColumnsCopiedOneByOne(dict):
    """A table class's `base_columns` that each new table copies column by column, not deeply
    (django-tables2 deep-copies every column of the class for each table: a fifth of building
    the ledger's table). A table sets plain attributes of its own columns (`visible` when it
    hides or shows one, `accessor`), each column's copy has them of its own; the attribute
    dicts, the one thing of a column a table could change in place, are copied too. The rest
    (names, lazy labels, link builders, orders) is read, never changed, so it is shared with
    the class as a deep copy would have it equal."""

    def __deepcopy__(self, memo):
        copied = {}
        for name, column in self.items():
            column = copy.copy(column)
            column.attrs = copy.deepcopy(column.attrs, memo)
            copied[name] = column
        return copied


def copy_columns_one_by_one(table_class):
    """Class decorator: `ColumnsCopiedOneByOne` for the table class's own columns."""
    table_class.base_columns = ColumnsCopiedOneByOne(table_class.base_columns)
    return table_class


FILTER_RENDERER = FastWidgetRenderer()


class AuditRecordTable(tables.Table):
    changes = tables.TemplateColumn(
        template_name="core/audit_changes_cell.html", orderable=False, verbose_name=_("Changes")
    )

    class Meta:
        model = AuditRecord
        fields = ("seq", "at", "actor_username", "ip", "action", "object_type", "object_repr")
        sequence = (*fields, "changes")
        order_by = "-seq"
        template_name = "core/table.html"

    def render_object_type(self, value):
        return model_name(value)  # "core.user" as the reader names it


class JobTable(tables.Table):
    """The jobs a user started, newest first."""

    title = tables.Column(
        accessor="pk", linkify=("core:job", {"pk": tables.A("pk")}), verbose_name=_("Job"),
        order_by=("title",),
    )  # fmt: skip
    organisation = tables.Column(verbose_name=_("Organisation"), default="")
    state = tables.Column(verbose_name=_("State"))
    progress = tables.Column(accessor="done", verbose_name=_("Progress"), orderable=False)
    error_count = tables.Column(verbose_name=_("Errors found"))
    created_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("Started"))

    class Meta:
        model = Job
        fields = ("title", "organisation", "state", "progress", "error_count", "created_at")
        order_by = "-created_at"
        attrs = {"class": "table", "data-testid": "jobs"}

    def render_title(self, record):
        return str(record)

    def value_title(self, record):
        return str(record)

    def render_state(self, record):
        return format_html(
            '<span class="status {}">{}</span>', record.state, record.get_state_display()
        )

    def value_state(self, record):
        return record.get_state_display()

    def render_progress(self, record):
        return f"{record.done} / {record.total}" if record.total else str(record.done)

    value_progress = render_progress


class TableViewMixin:
    """A list page drawn by one django-tables2 table and (optionally) one filterset.

    Subclasses name `table_key` (unique, e.g. "programs.ledger"), `table_class`, optionally
    `filterset_class`, and give the scoped rows in `get_table_rows()` — always through the
    scoping layer, since the page, its exports and its saved views all read from there.
    `?export=csv|xlsx` answers with the rows as shown (all pages), a job when there are many."""

    table_key = ""
    table_class: type[tables.Table]
    filterset_class = None
    default_per_page = 50
    export_name = "table"
    export_param = "export"  # the query parameter of "export what I see"
    export_title = _("Table")
    default_hidden: tuple[str, ...] = ()  # columns hidden until the user shows them

    def get_table_rows(self):
        raise NotImplementedError

    def get_filterset_kwargs(self) -> dict:
        return {}

    def get_table_kwargs(self) -> dict:
        return {}

    def filter_table_rows(self, rows):
        """(the filter whose `.form` the page shows, the rows it lets through)."""
        if self.filterset_class is None:
            return None, rows
        filterset = self.filterset_class(
            self.request.GET or None, queryset=rows, request=self.request,
            **self.get_filterset_kwargs(),
        )  # fmt: skip
        filterset.form.renderer = FILTER_RENDERER  # the same HTML, written in Python
        valid = not filterset.is_bound or filterset.is_valid()
        return filterset, (filterset.qs if valid else rows.none())

    def choosable_columns(self, table) -> list[str]:
        """Columns a user may show or hide: all but the ones always shown (a select box)."""
        return [c.name for c in table.columns.iterall() if not getattr(c.column, "fixed", False)]

    def build_table(self):
        """(filterset, table, state) for this request: filtered, sorted and its columns chosen;
        the page paginates it (`table_context`), an export takes every row."""
        request = self.request
        filterset, rows = self.filter_table_rows(self.get_table_rows())
        table = self.table_class(rows, **self.get_table_kwargs())
        choosable = self.choosable_columns(table)
        state = read_state(
            request.GET, request.COOKIES, key=self.table_key, choosable=choosable,
            default_columns=[c for c in choosable if c not in self.default_hidden],
            default_per_page=self.default_per_page,
        )  # fmt: skip
        for name in state.hidden:
            table.columns.hide(name)
        if state.sort:
            table.order_by = state.sort
        return filterset, table, state

    def paginate_table(self, table, state) -> None:
        page = self.request.GET.get("page", 1)
        try:
            table.paginate(page=page, per_page=state.per_page)
        except (EmptyPage, PageNotAnInteger):
            table.paginate(page=1, per_page=state.per_page)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get(self.export_param, "")
        if fmt in FORMATS:
            _filterset, table, state = self.build_table()
            return export_response(
                request, table, state, fmt, name=self.export_name, title=self.export_title,
                param=self.export_param,
            )  # fmt: skip
        response = super().get(request, *args, **kwargs)
        if hasattr(self, "table_state"):
            remember(response, self.table_state)
        return response

    def table_context(self) -> dict:
        """The context the `includes/table.html` include reads."""
        filterset, table, state = self.build_table()
        self.paginate_table(table, state)
        self.table_state = state
        user = self.request.user
        views = (  # SQL decided by the user and the table: compiled once, run fresh
            instances(
                SavedView,
                ("saved-views", user.pk, self.table_key),
                lambda: SavedView.objects.filter(user=user, table=self.table_key),
            )
            if user.is_authenticated
            else []
        )
        return {
            "filter": filterset,
            "table": table,
            "table_state": state,
            "table_key": self.table_key,
            "page_sizes": PAGE_SIZES,
            "column_choices": [
                (c.name, c.header, c.name in state.columns)
                for c in table.columns.iterall()
                if c.name in state.columns or c.name in state.hidden
            ],
            "saved_views": views,
            "table_query": state.query(),
            "export_param": self.export_param,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.table_context(), **kwargs)

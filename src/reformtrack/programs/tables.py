"""Tables of the ledger pages."""

from __future__ import annotations

from html import escape as esc

import django_tables2 as tables
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from reformtrack.core.compiled_sql import values as compiled_values
from reformtrack.core.tables import copy_columns_one_by_one
from reformtrack.orgs.models import Organisation

from .models import Area, LedgerTask

# Dates, badges and short labels never break mid-word (2021-06- / 30, 已完 / 成).
NOWRAP = {"td": {"class": "nowrap"}}
URL_MARK = "987654321"
# The columns of the ledger table read these and nothing else (orders included): loading
# whole rows of the task, its parent, organisation and area was most of the table's time.
SHOWN_FIELDS = (
    "id", "version", "programme_id", "code", "title", "org_path", "kind", "is_main", "deadline",
    "owner", "status", "percent",
    "area__id", "area__name_zh", "area__name_en", "area__position", "area__code",
    "organisation__id", "organisation__path", "organisation__code", "organisation__name_zh",
    "organisation__name_en", "organisation__short_name_zh", "organisation__short_name_en",
)  # fmt: skip


class SelectColumn(tables.CheckBoxColumn):
    """The row's box for bulk actions: always shown when bulk actions are, never exported,
    and never in the column chooser."""

    fixed = True

    def __init__(self, **kwargs):
        kwargs.setdefault("accessor", "pk")
        # The empty header falls back to the column's name: say it in the reader's language.
        kwargs.setdefault("verbose_name", _("Select"))
        kwargs.setdefault("exclude_from_export", True)
        kwargs.setdefault("orderable", False)
        super().__init__(**kwargs)

    @property
    def header(self):
        return ""


@copy_columns_one_by_one
class LedgerTable(tables.Table):
    """One row per ledger task (台账), in ledger order: area, then code.

    django-tables2 does the sorting, paginating and headers; the body is rendered by
    `body_html` in one pass (see its docstring) because per-cell rendering was most of the
    page's time."""

    select = SelectColumn(attrs={"input": {"form": "ledger-bulk"}})
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
            "select", "code", "title", "organisation", "area", "kind", "is_main", "deadline",
            "owner", "status", "percent",
        )  # fmt: skip
        attrs = {"class": "table ledger", "data-testid": "ledger"}
        row_attrs = {"data-task": lambda record: record.code}
        empty_text = _("No tasks match.")
        template_name = "programs/ledger_table.html"

    def __init__(self, data, *args, **kwargs):
        if isinstance(data, QuerySet):  # only what the columns show: no evidence, no parent
            data = (
                data.prefetch_related(None)
                .select_related(None)
                .select_related("area", "organisation")
                .only(*SHOWN_FIELDS)
            )
        super().__init__(data, *args, **kwargs)

    def render_status(self, record, value):
        return status_badge(record.status, record.get_status_display())

    def render_percent(self, value):
        return percent_text(value)

    def value_status(self, record):
        return record.get_status_display()

    def value_percent(self, value):
        return value

    def value_is_main(self, value):
        return _("Yes") if value else _("No")

    def body_html(self):
        """The rows of the current page as HTML, the same cells the columns above render.

        Written out here rather than cell by cell through django-tables2 (which inspects
        each render method's signature and builds attributes for every cell): labels,
        names and the task URL are worked out once per page, not once per cell."""
        kinds = {value: esc(str(label)) for value, label in LedgerTask.kind.field.choices}
        statuses = {value: esc(str(label)) for value, label in LedgerTask.status.field.choices}
        url = conditional_escape(reverse("programs:task", args=[URL_MARK])).replace(URL_MARK, "{}")
        names: dict = {}
        yes, no = '<span class="true">✔</span>', '<span class="false">✘</span>'
        dash = "—"
        shown = [column.name for column in self.columns]  # the visible ones, in order
        parts = []
        # esc: Django's escape without its lazy-text wrapper (every value here is a plain str)
        rows = page_rows(self.paginated_rows.data, getattr(self, "rows_key", None))
        for i, task in enumerate(rows):
            link = url.format(task.pk)
            if (key := ("o", task.organisation_id)) not in names:
                names[key] = esc(str(task.organisation))
            if (key := ("a", task.area_id)) not in names:
                names[key] = esc(str(task.area))
            code = esc(task.code)
            status = esc(task.status)
            cells = {
                "select": f'<td><input type="checkbox" name="select" value="{task.pk}" '
                f'form="ledger-bulk" aria-label="{code}"></td>',
                "code": f'<td><a href="{link}">{code}</a></td>',
                "title": f'<td><a href="{link}">{esc(task.title)}</a></td>',
                "organisation": f"<td>{names[('o', task.organisation_id)]}</td>",
                "area": f"<td>{names[('a', task.area_id)]}</td>",
                "kind": f'<td class="nowrap">{kinds.get(task.kind) or esc(task.kind)}</td>',
                "is_main": f'<td class="nowrap">{yes if task.is_main else no}</td>',
                "deadline": f'<td class="nowrap">'
                f"{task.deadline.isoformat() if task.deadline else dash}</td>",
                "owner": f"<td>{esc(task.owner) if task.owner else dash}</td>",
                "status": f'<td class="nowrap"><span class="status {status}">'
                f"{statuses.get(task.status) or status}</span></td>",
                "percent": f'<td class="num">{percent_text(task.percent)}</td>',
            }
            parts.append(
                f'<tr data-task="{code}" class="{"odd" if i % 2 else "even"}">'
                + "".join(cells[name] for name in shown)
                + "</tr>"
            )
        return mark_safe("\n".join(parts))  # every value above is escaped


# What a row of the body reads: tuples, not model rows (making 3 instances per row was a fifth
# of the page); the organisation and area are made once per page, for their names only.
ROW_FIELDS = (
    "pk", "code", "title", "kind", "is_main", "deadline", "owner", "status", "percent",
    "organisation_id", "area_id",
)  # fmt: skip
ORG_NAME_FIELDS = ("id", "name_zh", "name_en", "short_name_zh", "short_name_en")
AREA_NAME_FIELDS = ("id", "name_zh", "name_en")


class _Row:
    """One row of the ledger body: the task's shown fields, its organisation and area."""

    __slots__ = (*ROW_FIELDS, "organisation", "area")


def page_rows(data, key: tuple | None = None):
    """The current page's tasks as `_Row`s read in one query of plain values (a queryset), or
    the records themselves (a list of tasks).

    `key` (the view's `LedgerView.rows_key`): everything but the page's order and bounds that
    decides the queryset's SQL; with it the SQL is compiled once per key, order and bounds and
    run fresh (core.compiled_sql)."""
    if not isinstance(data, QuerySet):
        return data
    orgs = tuple(f"organisation__{f}" for f in ORG_NAME_FIELDS)
    areas = tuple(f"area__{f}" for f in AREA_NAME_FIELDS)
    fields = (*ROW_FIELDS, *orgs, *areas)
    own, org_at = len(ROW_FIELDS), len(ROW_FIELDS) + len(orgs)
    if key is None:
        found = data.values_list(*fields)
    else:
        query = data.query
        bounds = (tuple(query.order_by), query.default_ordering, query.low_mark, query.high_mark)
        found = compiled_values((*key, bounds), lambda: data.values_list(*fields))
    made: dict = {}
    rows = []
    for values in found:
        row = _Row()
        for name, value in zip(ROW_FIELDS, values[:own], strict=True):
            setattr(row, name, value)
        row.organisation = _named(made, Organisation, ORG_NAME_FIELDS, values[own:org_at])
        row.area = _named(made, Area, AREA_NAME_FIELDS, values[org_at:])
        rows.append(row)
    return rows


def _named(made: dict, model, names: tuple, values: tuple):
    """The row's `model` instance carrying only its name fields (`values`, its pk first),
    made once per page and pk (its own `__str__` names it, in the active language)."""
    key = (model, values[0])
    if key not in made:
        made[key] = model.from_db(None, names, values)
    return made[key]


def percent_text(value) -> str:
    return f"{value.normalize():f}%"


def status_badge(value: str, label: str):
    """A coloured badge of a task status or report state (classes in app.css)."""
    return format_html('<span class="status {}">{}</span>', value, label)

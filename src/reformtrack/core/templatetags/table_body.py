"""`{% table_rows table as body %}`: the rows of a django-tables2 table's current page in one
Python pass, the same HTML as django-tables2's `table.tbody.row` block.

django-tables2 draws each cell through the template engine and recomputes each column's
attributes for every cell; on the documents list that was half of the page. Here each cell's
content still comes from the table (`BoundRow.get_cell`: render methods, links, defaults),
and a column's `<td>` attributes are worked out once per page unless they depend on the row
(a callable), in which case per cell as django-tables2 does."""

from __future__ import annotations

from django import template
from django.template.base import render_value_in_context
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

register = template.Library()


def _has_callable(value) -> bool:
    if callable(value):
        return True
    if isinstance(value, dict):
        return any(_has_callable(item) for item in value.values())
    return False


def _static_td(bound_column) -> bool:
    """True when the column's cell attributes do not depend on the row or value."""
    attrs = {**bound_column._table.attrs, **bound_column.column.attrs}
    return not _has_callable(attrs.get("td", attrs.get("cell", {})))


@register.simple_tag(takes_context=True)
def table_rows(context, table) -> str:
    """The `<tr>` rows of the table's current page ("" when it has none). A table with its own
    `body_html()` (the same HTML, written for its columns) draws them itself."""
    if (draw := getattr(table, "body_html", None)) is not None:
        return draw()
    columns = list(table.columns)
    static = {}
    for column in columns:
        column.current_value = column.current_record = None
        if _static_td(column):
            static[column.name] = column.attrs["td"].as_html()
    parts = []
    for row in table.paginated_rows:
        cells = []
        for column in columns:
            cell = row.get_cell(column.name)
            if column.name in static:
                td = static[column.name]
            else:
                column.current_value, column.current_record = cell, row.record
                td = column.attrs["td"].as_html()
            if column.localize is True:
                cell = localize(cell, use_l10n=True)
            elif column.localize is False:
                cell = localize(cell, use_l10n=False)
            cells.append(f"<td {td}>{render_value_in_context(cell, context)}</td>")
        parts.append(f"<tr {row.attrs.as_html()}>{''.join(cells)}</tr>")
    for column in columns:
        column.current_value = column.current_record = None
    return mark_safe("\n".join(parts))  # noqa: S308 - cells rendered as the template would


def _at(spaces: int) -> str:
    """A new line indented as django_tables2/table.html indents it."""
    return "\n" + " " * spaces


_TH = _at(24) + "<th {}>" + _at(28) + "{}" + _at(24) + "</th>" + _at(20)
_SORTED = _at(32) + '<a href="{}">{}</a>' + _at(28)
_PLAIN = _at(32) + "{}" + _at(28)


def _attrs_html(attrs, key: str) -> str:
    """`{{ attrs.key.as_html }}` as the template reads it ("" when there are none)."""
    found = attrs.get(key)
    return found.as_html() if hasattr(found, "as_html") else ""


@register.simple_tag(takes_context=True)
def table_head(context, table) -> str:
    """django-tables2's `table.thead` block in one Python pass, the same HTML (whitespace
    included): each header's sort link is the request's query with the column's next order, as
    its `querystring_replace` writes it."""
    if not table.show_header:
        return mark_safe(_at(12) + _at(12))
    query = dict(context["request"].GET)
    field = table.prefixed_order_by_field
    cells = []
    for column in table.columns:
        header = render_value_in_context(column.header, context)
        if column.orderable:
            changed = {**query, field: column.order_by_alias.next} if field else query
            link = escape("?" + urlencode(changed, doseq=True))
            inner = _SORTED.format(link, header)
        else:
            inner = _PLAIN.format(header)
        cells.append(_TH.format(_attrs_html(column.attrs, "th"), inner))
    head = (
        f"{_at(16)}<thead {_attrs_html(table.attrs, 'thead')}>{_at(20)}<tr>{_at(20)}"
        f"{''.join(cells)}{_at(20)}</tr>{_at(16)}</thead>"
    )
    return mark_safe(_at(12) + head + _at(12) + _at(12))  # noqa: S308 - escaped above

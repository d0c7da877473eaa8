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
    """The `<tr>` rows of the table's current page ("" when it has none)."""
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

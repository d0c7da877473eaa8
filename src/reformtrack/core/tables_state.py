"""What a user chose on a table: page size, sort, visible columns and filters.

Read from the query string first, then from the table's cookie (the page size and columns are
remembered per browser, so reading a page writes nothing to the database), then the defaults.
The same state drives the page, its exports and a saved view."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict

PAGE_SIZES = (25, 50, 100, 250)
# Query parameters of the table itself; everything else is a filter.
RESERVED = ("page", "per_page", "sort", "cols", "export", "shown")
COOKIE_DAYS = 365


def cookie_name(key: str) -> str:
    return "tbl-" + key


@dataclass
class TableState:
    key: str
    per_page: int
    sort: str
    columns: list[str]  # the visible columns, in the table's order
    hidden: list[str]
    filters: list[tuple[str, str]] = field(default_factory=list)
    remember: str = ""  # a new cookie value when the user changed page size or columns

    def query(self, **extra) -> str:
        """The query string that shows this state again (filters, sort, columns, page size)."""
        pairs = list(self.filters)
        if self.sort:
            pairs.append(("sort", self.sort))
        pairs.append(("per_page", str(self.per_page)))
        pairs.extend(("cols", name) for name in self.columns)
        pairs.extend(extra.items())
        return urlencode(pairs)

    def filter_query(self) -> str:
        return urlencode(self.filters)

    def filter_dict(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in self.filters:
            out.setdefault(name, []).append(value)
        return out


def read_state(
    request_get: QueryDict,
    cookies: dict,
    *,
    key: str,
    choosable: list[str],
    default_columns: list[str],
    default_per_page: int = 50,
) -> TableState:
    """The state of table `key`; `choosable` are the column names a user may show or hide
    (in table order), unknown names from the URL or cookie are dropped."""
    remembered_size, remembered_cols = _cookie_values(cookies, key)
    changed = False
    raw_size = request_get.get("per_page", "")
    if raw_size.isdigit() and int(raw_size) in PAGE_SIZES:
        per_page, changed = int(raw_size), True
    elif remembered_size in PAGE_SIZES:
        per_page = remembered_size
    else:
        per_page = default_per_page if default_per_page in PAGE_SIZES else 50
    asked = [c for c in request_get.getlist("cols") if c in choosable]
    if asked:
        wanted, changed = set(asked), True
    elif remembered_cols and set(remembered_cols) & set(choosable):
        wanted = set(remembered_cols)
    else:
        wanted = set(default_columns)
    columns = [c for c in choosable if c in wanted]
    filters = [
        (name, value)
        for name, values in request_get.lists()
        if name not in RESERVED
        for value in values
        if value != ""
    ]
    state = TableState(
        key=key,
        per_page=per_page,
        sort=request_get.get("sort", "")[:200],
        columns=columns,
        hidden=[c for c in choosable if c not in wanted],
        filters=filters,
    )
    if changed:
        state.remember = f"{per_page}:{'.'.join(columns)}"
    return state


def _cookie_values(cookies: dict, key: str) -> tuple[int | None, list[str]]:
    raw = cookies.get(cookie_name(key), "")
    size, _sep, cols = raw.partition(":")
    return (int(size) if size.isdigit() else None), [c for c in cols.split(".") if c]


def remember(response, state: TableState) -> None:
    """Keeps a changed page size and column choice in the table's cookie."""
    if state.remember:
        response.set_cookie(
            cookie_name(state.key),
            state.remember,
            max_age=COOKIE_DAYS * 86400,
            samesite="Lax",
            httponly=True,
        )

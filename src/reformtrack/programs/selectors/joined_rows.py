"""Model rows with some of their foreign-key rows joined in (what `select_related` gives), read
by SQL compiled once per key and run fresh on every call (`core.compiled_sql.rows`): building
and compiling a joined query cost a cold page more than running it. Every column of each
model is read and goes through its field's database converters, as the ORM's own read does.

`joined_rows` keeps the rows as the database gave them and makes the instances only when they
are first looked at: the dashboard's overdue list is drawn only when its tables are not in the
figure cache, and its cache key is a digest of these same rows (`JoinedRows.digest_value`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connections

from reformtrack.core.compiled_sql import rows as compiled_rows


def joined_instances(model, related: tuple[str, ...], key: tuple, build: Callable) -> list:
    """The `model` rows of the queryset `build()` returns, in its order, each with its
    `related` foreign keys' rows set (all concrete columns of each); its SQL compiled once
    per `key`, which must decide it entirely."""
    return list(joined_rows(model, related, key, build))


def joined_rows(model, related: tuple[str, ...], key: tuple, build: Callable) -> JoinedRows:
    """As `joined_instances`, read now (fresh, on every call) and made into instances when
    first looked at."""
    parts = _parts(model, related)
    names = [
        f"{prefix}{f.attname}" for part, prefix, _f in parts for f in part._meta.concrete_fields
    ]
    found = compiled_rows(
        ("joined", model._meta.label, related, *key), lambda: build().values_list(*names)
    )
    return JoinedRows(model, related, found)


class JoinedRows(Sequence):
    """The rows of a joined read, as read (`rows`), and the model instances made from them
    the first time they are iterated, indexed or compared (never before)."""

    def __init__(self, model, related: tuple[str, ...], rows: list[tuple]):
        self.model, self.related, self.rows = model, related, rows
        self._made: list | None = None

    def instances(self) -> list:
        if self._made is None:
            self._made = _instances(self.model, self.related, self.rows)
        return self._made

    def digest_value(self) -> tuple:
        """What decides every instance (the models and every column as read), for a digest:
        equal rows make equal instances."""
        return ("joined", self.model._meta.label, self.related, self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return self.instances()[index]

    def __iter__(self):
        return iter(self.instances())

    def __eq__(self, other) -> bool:
        if isinstance(other, JoinedRows):
            other = other.instances()
        if isinstance(other, list):
            return self.instances() == other
        return NotImplemented

    __hash__ = None  # a sequence, compared by its items

    def __repr__(self) -> str:
        return f"<JoinedRows {self.model._meta.label} × {len(self.rows)}>"


def _parts(model, related: tuple[str, ...]) -> list[tuple]:
    parts = [(model, "", None)]
    for name in related:
        field = model._meta.get_field(name)
        parts.append((field.related_model, f"{name}__", field))
    return parts


def _instances(model, related: tuple[str, ...], found: list[tuple]) -> list:
    connection = connections["default"]
    parts = _parts(model, related)
    converters = [
        [(i, c) for i, c in enumerate(_converters(part, connection)) if c[1]]
        for part, _prefix, _f in parts
    ]
    columns = [[f.attname for f in part._meta.concrete_fields] for part, _p, _f in parts]
    made = []
    for row in found:
        start, objects = 0, []
        for (part, _prefix, _field), convert, attnames in zip(
            parts, converters, columns, strict=True
        ):
            values = row[start : start + len(attnames)]
            start += len(attnames)
            if part is not model and values[0] is None:  # a null foreign key: no row joined
                objects.append(None)
                continue
            if convert:  # only the columns that have converters (most have none)
                values = list(values)
                for position, functions in convert:
                    values[position] = _converted(values[position], functions, connection)
            objects.append(part.from_db("default", attnames, values))
        obj = objects[0]
        for (_part, _prefix, field), value in zip(parts[1:], objects[1:], strict=True):
            field.set_cached_value(obj, value)
        made.append(obj)
    return made


def _converters(model, connection) -> list:
    found = []
    for field in model._meta.concrete_fields:
        col = field.get_col(model._meta.db_table)
        found.append(
            (col, connection.ops.get_db_converters(col) + field.get_db_converters(connection))
        )
    return found


def _converted(value, converters, connection):
    col, functions = converters
    for function in functions:
        value = function(value, col, connection)
    return value

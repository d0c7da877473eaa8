"""Audit changes as rows a person reads: field, before, after."""

from django import template

register = template.Library()


@register.filter
def change_rows(changes) -> list[tuple[str, object, object]]:
    """{"after": {...}} (created), {"before": {...}} (deleted) or {field: {before, after}}."""
    if not isinstance(changes, dict):
        return []
    if set(changes) <= {"before", "after"} and all(
        isinstance(v, dict) and not {"before", "after"} >= set(v) for v in changes.values()
    ):
        before, after = changes.get("before") or {}, changes.get("after") or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys]
    rows = []
    for key, value in changes.items():
        if isinstance(value, dict) and set(value) <= {"before", "after"}:
            rows.append((key, value.get("before"), value.get("after")))
        else:
            rows.append((key, None, value))
    return rows

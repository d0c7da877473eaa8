"""`{{ obj|choice_label:"status" }}`: what `obj.get_status_display` shows, read from a table of
the field's labels kept per field and language.

Django's `get_FOO_display()` rebuilds a dictionary of every choice on each call, and hashing a
translatable label translates it: on the document page (one call per extracted item and
column) that was a seventh of the page. The labels are fixed per language, so the table is
made once per field and language in each process."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()
_tables: dict[tuple, dict] = {}


def _labels(field) -> dict:
    key = (field.model, field.name, get_language())
    found = _tables.get(key)
    if found is None:
        found = _tables[key] = {value: str(label) for value, label in field.flatchoices}
    return found


@register.filter
def choice_label(obj, name: str):
    """The label of the choice `obj.<name>` holds, else the value itself (as Django does)."""
    if obj is None or obj == "":
        return obj
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    try:
        return _labels(field).get(value, value)
    except TypeError:  # an unhashable value (a list): Django's own way
        return getattr(obj, f"get_{name}_display")()

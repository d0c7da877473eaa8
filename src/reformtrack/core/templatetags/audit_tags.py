"""Audit changes as a person reads them: field names and choice labels, not columns and codes.

The labels come from the tracked model's `_meta` (verbose_name, choices, foreign keys), so every
app's history reads the same way without code of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django import template
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

register = template.Library()

EMPTY = "—"
SUMMARY_TEXT_LIMIT = 60
# Snapshot keys that are not model fields (see the models' `audit_snapshot`).
EXTRA_LABELS = {"parent": _("parent organisation")}


@dataclass
class Readable:
    """`summary` (label, value) pairs of a created or deleted object, or `rows` of changes."""

    summary: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, object, object]] = field(default_factory=list)


@register.filter
def change_rows(changes) -> list[tuple[str, object, object]]:
    """{"after": {...}} (created), {"before": {...}} (deleted) or {field: {before, after}}."""
    if not isinstance(changes, dict):
        return []
    whole = _whole_object(changes)
    if whole is not None:
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


@register.filter
def readable_changes(record) -> Readable:
    """The changes of an audit record with labels: a one-line summary for a whole object."""
    changes = getattr(record, "changes", None)
    if not isinstance(changes, dict) or not changes:
        return Readable()
    model = _model_of(getattr(record, "object_type", ""))
    if model is None:
        return Readable(rows=change_rows(changes))
    fields = {f.attname: f for f in model._meta.concrete_fields}
    whole = _whole_object(changes)
    if whole is not None:
        summary = []
        for key, value in whole.items():
            if _worth_summarising(fields.get(key), value):
                text = _display(fields.get(key), value)
                if len(text) > SUMMARY_TEXT_LIMIT:
                    text = text[: SUMMARY_TEXT_LIMIT - 1] + "…"
                summary.append((_label(fields.get(key), key), text))
        return Readable(summary=summary)
    rows = []
    for key, before, after in change_rows(changes):
        f = fields.get(key)
        if f is not None and _hidden(f):
            continue
        rows.append((_label(f, key), _display(f, before), _display(f, after)))
    return Readable(rows=rows)


def _whole_object(changes: dict) -> dict | None:
    """The values of a created (`after`) or deleted (`before`) object; None for a change."""
    if set(changes) <= {"before", "after"} and all(
        isinstance(v, dict) and not {"before", "after"} >= set(v) for v in changes.values()
    ):
        return changes.get("after") or changes.get("before") or {}
    return None


def _model_of(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label) if "." in label else None
    except (LookupError, ValueError):
        return None


def _hidden(f: models.Field) -> bool:
    """Ids and bookkeeping columns (paths, timestamps) mean nothing to a reader."""
    return f.primary_key or not f.editable


def _label(f: models.Field | None, key: str) -> str:
    if f is not None:
        if f.is_relation and f.verbose_name == f.name.replace("_", " "):
            # No label of its own (e.g. `programme`): the related model names it.
            return capfirst(f.related_model._meta.verbose_name)
        return capfirst(f.verbose_name)
    return capfirst(EXTRA_LABELS.get(key, key))


def _python(f: models.Field, value):
    try:
        return f.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return value


def _worth_summarising(f: models.Field | None, value) -> bool:
    """Set, non-default values only: a creation line names what was chosen, not every column."""
    if value in (None, "", False, [], {}):
        return False
    if f is None:
        return True
    if _hidden(f):
        return False
    if f.has_default() and not callable(f.default):
        return _python(f, value) != _python(f, f.default)
    return True


def _display(f: models.Field | None, value) -> str:
    if value is None or value == "":
        return EMPTY
    if f is None:
        return _plain(value)
    if f.is_relation and f.many_to_one:
        related = f.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    python = _python(f, value)
    if isinstance(python, bool):
        return str(_("yes") if python else _("no"))
    if isinstance(python, dt.datetime):
        return timezone.localtime(python).strftime("%Y-%m-%d %H:%M")
    if isinstance(python, dt.date):
        return python.isoformat()
    if isinstance(python, Decimal):
        return f"{python.normalize():f}"
    return _plain(python)


def _plain(value) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@register.filter
def actor(username: str) -> str:
    """Who made a change, for a history table: the operator's commands and jobs (stored as
    system:root, system:job-12) read as the system's; the audit log itself keeps the raw name."""
    if isinstance(username, str) and username.startswith("system:"):
        return gettext("System (%(who)s)") % {"who": username.removeprefix("system:")}
    return username

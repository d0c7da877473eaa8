"""Filters of the ledger page: subtree, area, status, kind, main tasks, overdue, text search."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from reformtrack.core.compiled_sql import instances
from reformtrack.core.compiled_sql import values as compiled_values
from reformtrack.core.scoping import Action, granted_paths

from .choices import TaskKind, TaskStatus
from .models import Area, LedgerTask
from .selectors.ledger import ledger_organisations
from .selectors.rollup import overdue_q

ALL = _("All")  # the empty choice of a select, instead of "---------"


# What the choices show and the filter reads (names, path): not whole organisation rows.
ORG_FIELDS = ("id", "path", "code", "name_zh", "name_en", "short_name_zh", "short_name_en")


def _organisations(request):
    if request is None:
        return ledger_organisations(None).none()
    return ledger_organisations(request.user).only(*ORG_FIELDS)


def _no_areas(request):
    """The areas' choices until the filter set names its programme (see `__init__`)."""
    return Area.objects.none()


class CompiledChoiceIterator(ModelChoiceIterator):
    """A select's choices read through SQL compiled once per `field.compiled_key` (see
    core.compiled_sql: building the query cost more than running it), run fresh every time."""

    def __iter__(self):
        key, queryset = self.field.compiled_key, self.queryset
        if key is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in _rows(queryset, key):
            yield self.choice(obj)


def _rows(queryset, key: tuple) -> list:
    """The queryset's rows by compiled SQL: of a queryset limited with `only()`, only those
    columns (what the choices' labels read), as `only()` would load them; else every column."""
    only, deferred = queryset.query.deferred_loading
    if deferred or not only:
        return instances(queryset.model, key, lambda: queryset)
    model = queryset.model
    names = tuple(f.attname for f in model._meta.concrete_fields if f.primary_key or f.name in only)
    found = compiled_values((*key, "only", names), lambda: queryset.values_list(*names))
    return [model.from_db("default", names, values) for values in found]


class CompiledModelChoiceField(ModelChoiceField):
    """A model choice whose choices are read through `CompiledChoiceIterator`; `compiled_key`
    must decide the queryset's SQL entirely (validation still reads the queryset)."""

    iterator = CompiledChoiceIterator

    def __init__(self, *args, compiled_key=None, **kwargs):
        self.compiled_key = compiled_key
        super().__init__(*args, **kwargs)


class CompiledModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CompiledModelChoiceField


FORM_CLASSES = 512  # form classes kept, the least recently used dropped first
_form_classes: OrderedDict[tuple, type] = OrderedDict()
_forms_lock = Lock()


class LedgerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    org = CompiledModelChoiceFilter(
        queryset=_organisations,
        method="within",
        label=_("Organisation (with those below)"),
        empty_label=ALL,
    )
    area = CompiledModelChoiceFilter(
        queryset=_no_areas, label=_("Reform area"), empty_label=ALL
    )  # a function, not a queryset: every filter set deep-copies its filters
    status = django_filters.ChoiceFilter(
        choices=TaskStatus.choices, label=_("Status"), empty_label=ALL
    )
    kind = django_filters.ChoiceFilter(choices=TaskKind.choices, label=_("Kind"), empty_label=ALL)
    main = django_filters.BooleanFilter(
        method="only_main", widget=forms.CheckboxInput, label=_("Main tasks only")
    )
    overdue = django_filters.BooleanFilter(
        method="only_overdue", widget=forms.CheckboxInput, label=_("Overdue only")
    )

    class Meta:
        model = LedgerTask
        fields = ["q", "org", "area", "status", "kind", "main", "overdue"]

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_key = None
        if programme is not None:
            areas = Area.objects.filter(programme_id=programme.pk)  # kept by the form class:
            self.filters["area"].queryset = areas.only("id", "name_zh", "name_en")  # no instance
            self.filters["area"].extra["compiled_key"] = ("ledger-areas", programme.pk)
        if self.request is not None:  # the choices' SQL is decided by the user's grants
            paths = tuple(granted_paths(self.request.user, Action.VIEW))
            self.filters["org"].extra["compiled_key"] = ("ledger-organisations", paths)
            self.form_key = (type(self), getattr(programme, "pk", None), paths)

    def get_form_class(self):
        """The form class, built once per `form_key` (the class, the programme, the reader's
        grants: all its fields' arguments depend on). It holds no data: its choice fields keep
        querysets that are never evaluated (each form deep-copies its fields and reads a clone
        of the queryset, fresh; the choices through compiled SQL, run fresh)."""
        key = self.form_key
        if key is None:
            return super().get_form_class()
        with _forms_lock:
            form_class = _form_classes.get(key)
            if form_class is not None:
                _form_classes.move_to_end(key)
                return form_class
        form_class = super().get_form_class()
        with _forms_lock:
            _form_classes[key] = form_class
            while len(_form_classes) > FORM_CLASSES:
                _form_classes.popitem(last=False)
        return form_class

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(title__icontains=value) | Q(owner__icontains=value)
        )

    def within(self, queryset, name, value):
        return queryset.filter(org_path__prefix=value.path)

    def only_main(self, queryset, name, value):
        return queryset.filter(is_main=True) if value else queryset

    def only_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(timezone.localdate())) if value else queryset

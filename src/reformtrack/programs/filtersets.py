"""Filters of the ledger page: subtree, area, status, kind, main tasks, overdue, text search."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class LedgerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    org = django_filters.ModelChoiceFilter(
        queryset=_organisations,
        method="within",
        label=_("Organisation (with those below)"),
        empty_label=ALL,
    )
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.none(), label=_("Reform area"), empty_label=ALL
    )
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
        if programme is not None:
            self.filters["area"].queryset = programme.areas.only("id", "name_zh", "name_en")

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

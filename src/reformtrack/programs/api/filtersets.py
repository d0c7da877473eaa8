"""Filters of the ledger API: programme, subtree, area, status, kind, main, overdue."""

import django_filters
from django.utils import timezone

from ..choices import TaskKind, TaskStatus
from ..models import LedgerTask
from ..selectors.rollup import overdue_q


class LedgerTaskFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__code")
    area = django_filters.CharFilter(field_name="area__code")
    within = django_filters.CharFilter(method="filter_within", label="organisation code (subtree)")
    status = django_filters.MultipleChoiceFilter(choices=TaskStatus.choices)
    kind = django_filters.ChoiceFilter(choices=TaskKind.choices)
    is_main = django_filters.BooleanFilter()
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = LedgerTask
        fields = ["programme", "area", "within", "status", "kind", "is_main", "overdue"]

    def filter_within(self, queryset, name, value):
        from reformtrack.orgs.models import Organisation

        org = Organisation.objects.filter(code=value.strip().upper()).first()
        if org is None:
            return queryset.none()
        return queryset.filter(org_path__prefix=org.path)

    def filter_overdue(self, queryset, name, value):
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)

"""Filters of the audit log."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .model_names import model_choices
from .models import AuditRecord
from .models.audit import AuditAction


class AuditRecordFilterSet(django_filters.FilterSet):
    user = django_filters.CharFilter(field_name="actor_username", label=_("User"))
    action = django_filters.ChoiceFilter(
        choices=AuditAction.choices, label=_("Action"), empty_label=_("All")
    )
    object_type = django_filters.ChoiceFilter(
        choices=model_choices, label=_("Object type"), empty_label=_("All")
    )
    q = django_filters.CharFilter(
        field_name="object_repr", lookup_expr="icontains", label=_("Object")
    )
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("Until"))
    ip = django_filters.CharFilter(label=_("Address"))

    class Meta:
        model = AuditRecord
        fields = ["user", "action", "object_type", "q", "since", "until", "ip"]

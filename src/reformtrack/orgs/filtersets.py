"""Filters of the organisation list (pages and API)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import OrgKind
from .models import Designation, DesignationKind, Organisation


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(
        choices=OrgKind.choices, label=_("Kind"), empty_label=_("All")
    )
    level = django_filters.NumberFilter(label=_("Level"))
    designation = django_filters.ModelChoiceFilter(
        queryset=DesignationKind.objects.all(),
        to_field_name="code",
        method="with_designation",
        label=_("Designation"),
        empty_label=_("All"),
    )
    within = django_filters.CharFilter(method="within_subtree", label=_("Within (code)"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "level", "designation", "within", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value)
            | Q(uscc__icontains=value)
            | Q(name_zh__icontains=value)
            | Q(name_en__icontains=value)
            | Q(short_name_zh__icontains=value)
            | Q(short_name_en__icontains=value)
        )

    def with_designation(self, queryset, name, value):
        current = Designation.objects.current(timezone.localdate()).filter(kind=value)
        return queryset.filter(pk__in=current.values("organisation_id"))

    def within_subtree(self, queryset, name, value):
        root = Organisation.objects.filter(code=value.strip().upper()).first()
        return queryset.filter(path__prefix=root.path) if root else queryset.none()


class DesignationFilterSet(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind__code", label=_("Kind"))
    organisation = django_filters.CharFilter(
        field_name="organisation__code", label=_("Organisation")
    )
    current = django_filters.BooleanFilter(method="only_current", label=_("Current"))

    class Meta:
        model = Designation
        fields = ["kind", "organisation", "current"]

    def only_current(self, queryset, name, value):
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))

"""Reads of the organisation tree, always through the scoping layer."""

from __future__ import annotations

from django.db.models import Prefetch

from reformtrack.core.compiled_sql import instance
from reformtrack.core.scoping import Action, granted_paths

from .models import Designation, DesignationKind, Organisation, RoleAssignment


def organisations_for(user, action: str = Action.VIEW):
    return Organisation.objects.visible_to(user, action)


def visible_organisation(user, pk: int, action: str = Action.VIEW) -> Organisation | None:
    """The organisation `pk` if `user` may reach it for `action`, else None. Every dashboard
    and KPI page reads it: its SQL (decided by the pk and the user's grants) is compiled once
    and run fresh each time (core.compiled_sql)."""
    grants = None if user is None else tuple(granted_paths(user, action))
    key = ("visible-organisation", str(action), pk, grants)
    return instance(Organisation, key, lambda: organisations_for(user, action).filter(pk=pk))


def with_listing(queryset):
    """Join in what lists and exports show: the parent and the current designations."""
    current = Designation.objects.current().select_related("kind")
    return queryset.select_related("parent").prefetch_related(
        Prefetch("designations", queryset=current, to_attr="current_designations")
    )


def organisation_list(user, action: str = Action.VIEW):
    return with_listing(organisations_for(user, action))


def all_organisations():
    """Every organisation, for the installation operator's commands (no user to scope by)."""
    return with_listing(Organisation.objects.all())


def top_organisations(user):
    """The roots of what the user sees: the organisations their roles were granted on."""
    return Organisation.objects.filter(path__in=granted_paths(user, Action.VIEW))


def children_of(user, organisation: Organisation):
    return organisations_for(user).filter(parent=organisation).order_by("path")


def designations_of(user, organisation: Organisation):
    return (
        Designation.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("kind")
    )


def designation_kinds():
    return DesignationKind.objects.all()


def ancestors_of(user, organisation: Organisation):
    """Breadcrumb: the ancestors the user may see, top first."""
    step = Organisation.steplen
    paths = [organisation.path[:i] for i in range(step, len(organisation.path), step)]
    return organisations_for(user).filter(path__in=paths).order_by("path")


def roles_of(user):
    return RoleAssignment.objects.filter(user=user).select_related("organisation")


def organisation_records(queryset):
    """Plain records for exports and `orgs list --json` (queryset from organisation_list)."""
    for org in queryset.iterator(chunk_size=2000):
        yield {
            "code": org.code,
            "uscc": org.uscc,
            "name_zh": org.name_zh,
            "name_en": org.name_en,
            "short_name_zh": org.short_name_zh,
            "short_name_en": org.short_name_en,
            "parent": org.parent.code if org.parent_id else None,
            "kind": org.kind,
            "level": org.level,
            "active": org.is_active,
            "designations": [d.kind.code for d in org.current_designations],
        }


def designated_paths(kind_codes, on=None) -> dict[str, set[str]]:
    """For each designation kind code, the paths of organisations holding it (currently)."""
    result: dict[str, set[str]] = {code: set() for code in kind_codes}
    rows = (
        Designation.objects.current(on)
        .filter(kind__code__in=list(kind_codes))
        .values_list("kind__code", "organisation__path")
    )
    for code, path in rows:
        result[code].add(path)
    return result


def role_holders(roles) -> list[tuple[str, object]]:
    """(organisation path, user) of every active user holding one of `roles`, for notices."""
    rows = (
        RoleAssignment.objects.filter(role__in=list(roles), user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__path")
    )
    return [(r.organisation.path, r.user) for r in rows]

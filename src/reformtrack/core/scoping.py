"""The one scoping layer: what a user may see or do, by roles granted on organisation subtrees.

Every scoped model names the materialised path of its organisation (`scope_path`, e.g.
"organisation__path"); a role granted on an organisation covers every path that starts with
its path. Core knows no roles: it asks the resolver named by REFORMTRACK_SCOPE_RESOLVER (orgs)
which paths a user holds each action on, once per request (kept on the request's user).
"""

from __future__ import annotations

from functools import cache
from operator import attrgetter

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.module_loading import import_string

from . import lookups  # noqa: F401  (registers `__prefix`)


class Action(models.TextChoices):
    VIEW = "view"
    REPORT = "report"
    CHANGE = "change"
    APPROVE = "approve"
    MANAGE = "manage"


@cache
def _resolver():
    return import_string(settings.REFORMTRACK_SCOPE_RESOLVER)


def collapse_paths(paths) -> list[str]:
    """Drop paths that lie inside another granted path: the outer grant already covers them."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def granted_paths(user, action: str) -> list[str]:
    """Organisation paths whose subtrees the user may act on. All actions are read at once, in
    one query, and kept on the user object: the request's user lives for one request, so a
    role granted or revoked counts from the next request on (or at once after `forget`)."""
    return all_grants(user).get(str(action), [])


def all_grants(user) -> dict[str, list[str]]:
    """Every action's granted paths (see `granted_paths`): what the user may see and do, e.g.
    as part of a cache key."""
    if user is None or not user.is_authenticated or getattr(user, "admin_role", ""):
        return {}
    grants = user.__dict__.get("_scope_cache")
    if grants is None:
        resolved = _resolver()(user=user)
        grants = {str(act): collapse_paths(paths) for act, paths in resolved.items()}
        user.__dict__["_scope_cache"] = grants
    return grants


def forget(user) -> None:
    """Drop the user's cached grants (after roles change in the same request)."""
    user.__dict__.pop("_scope_cache", None)


def path_field(model, action: str) -> str:
    return getattr(model, "scope_path_by_action", {}).get(action, model.scope_path)


def scope_q(model, user, action: str) -> Q:
    paths = granted_paths(user, action)
    if not paths:
        return Q(pk__in=[])
    field = path_field(model, action)
    query = Q()
    for path in paths:
        query |= Q(**{f"{field}__prefix": path})
    return query


def can(user, action: str, obj) -> bool:
    """Object-level check without a query: is the object's path inside a granted subtree?"""
    path = attrgetter(path_field(type(obj), action).replace("__", "."))(obj)
    return any(path.startswith(p) for p in granted_paths(user, action))


class ScopedQuerySetMixin:
    def visible_to(self, user, action: str = Action.VIEW):
        """Rows of this queryset the user may act on; the only permission filter in the product."""
        return self.filter(scope_q(self.model, user, action))


class ScopedQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


def require(user, action: str, obj) -> None:
    """Refuse unless `user` may do `action` on `obj`; `user=None` is the operator (commands,
    demo). The refusal never names the object: the user may not be allowed to know it exists."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    if user is not None and not can(user, action, obj):
        raise PermissionDenied(_("You may not do this here."))

"""Who owns a document or a brief: the office of the user who uploads or builds it (the
topmost organisation they hold the action on), or for the operator the top supervisor (public
policies and news). Refusals name nothing: the user may not see the organisation asked for."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from reformtrack.core.scoping import can, granted_paths


def office(user, action: str):
    """The topmost organisation the user holds `action` on, or None."""
    from reformtrack.orgs.models import Organisation

    paths = granted_paths(user, action)
    return Organisation.objects.filter(path__in=paths).order_by("depth", "path").first()


def top_supervisor():
    """The first supervisor at the top of the tree: owner of what the operator ingests."""
    from reformtrack.orgs.models import Organisation

    return Organisation.objects.filter(depth=1, kind="supervisor").order_by("path").first()


def owner_for(user, action: str, organisation=None):
    """`organisation` if the user holds `action` on it, else their office; the operator's
    default is the top supervisor."""
    if organisation is not None:
        if user is not None and not can(user, action, organisation):
            raise PermissionDenied(_("You may not do this here."))
        return organisation
    if user is None:
        return top_supervisor()
    found = office(user, action)
    if found is None:
        raise PermissionDenied(_("You may not do this here."))
    return found


def may(user, action: str, obj) -> bool:
    """`can` for an owned object; an object without owner is the operator's alone."""
    if user is None:
        return True
    return obj.owner_id is not None and can(user, action, obj)

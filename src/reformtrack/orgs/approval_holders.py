"""The orgs side of approval notices: who holds an action on one organisation (a role granted
on it or on an organisation above it). Core asks through REFORMTRACK_SCOPE_HOLDERS."""

from django.contrib.auth import get_user_model

from .models import Organisation, RoleAssignment
from .roles import roles_granting


def holders(*, path: str, action: str):
    """Active business users who may do `action` on the organisation at `path`, by username."""
    step = Organisation.steplen
    above = [path[:end] for end in range(step, len(path) + 1, step)]
    granted = RoleAssignment.objects.filter(
        role__in=roles_granting(action), organisation__path__in=above
    ).values("user")
    return (
        get_user_model()
        .objects.filter(pk__in=granted, is_active=True, admin_role="")
        .order_by("username")
    )

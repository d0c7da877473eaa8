"""The orgs side of the scoping layer: the paths a user holds an action on, from their roles."""

from .models import RoleAssignment
from .roles import roles_granting


def scope_filter(*, user, action: str) -> list[str]:
    return list(
        RoleAssignment.objects.filter(user=user, role__in=roles_granting(action)).values_list(
            "organisation__path", flat=True
        )
    )

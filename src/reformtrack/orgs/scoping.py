"""The orgs side of the scoping layer: the paths a user holds each action on, from their roles."""

from reformtrack.core.compiled_sql import rows as compiled_rows

from .models import RoleAssignment
from .roles import ROLE_ACTIONS


def grants_by_action(*, user) -> dict[str, list[str]]:
    """Every action's granted organisation paths, from one query over the user's roles (a page
    asks for several actions; one query per action cost more than the page's own reads). Its SQL
    is compiled once per user and process and run fresh on every request."""
    granted: dict[str, list[str]] = {}

    def query():  # built only when first compiled: building it cost more than running it
        return RoleAssignment.objects.filter(user=user).values_list("role", "organisation__path")

    for role, path in compiled_rows(("grants", user.pk), query):
        for action in ROLE_ACTIONS.get(role, ()):
            granted.setdefault(str(action), []).append(path)
    return granted


def scope_filter(*, user, action: str) -> list[str]:
    """The paths of one action (kept for callers that ask for one)."""
    return grants_by_action(user=user).get(str(action), [])

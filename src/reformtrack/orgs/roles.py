"""Which actions each business role grants on the subtree it is granted on."""

from reformtrack.core.scoping import Action

from .choices import Role

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.SUPERVISOR_ADMIN: frozenset(
        {Action.VIEW, Action.REPORT, Action.CHANGE, Action.APPROVE, Action.MANAGE}
    ),
    Role.REFORM_OFFICE: frozenset({Action.VIEW, Action.REPORT, Action.CHANGE, Action.APPROVE}),
    Role.CONTRIBUTOR: frozenset({Action.VIEW, Action.REPORT}),
    Role.VIEWER: frozenset({Action.VIEW}),
}


def roles_granting(action: str) -> list[str]:
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]

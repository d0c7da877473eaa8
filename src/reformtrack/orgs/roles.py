"""Which actions each business role grants on the subtree it is granted on."""

from reformtrack.core.scoping import Action

from .choices import Role

# Read and keep managers' pay and personal data (the contracts app): the reform office, HR and
# the supervisor above; HR reads other business data only (`view`), and approves nothing.
PAY = "pay"

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.SUPERVISOR_ADMIN: frozenset(
        {Action.VIEW, Action.REPORT, Action.CHANGE, Action.APPROVE, Action.MANAGE, PAY}
    ),
    Role.REFORM_OFFICE: frozenset({Action.VIEW, Action.REPORT, Action.CHANGE, Action.APPROVE, PAY}),
    Role.HR: frozenset({Action.VIEW, PAY}),
    Role.CONTRIBUTOR: frozenset({Action.VIEW, Action.REPORT}),
    Role.VIEWER: frozenset({Action.VIEW}),
}


def roles_granting(action: str) -> list[str]:
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]

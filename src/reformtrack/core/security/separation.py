"""Dual control among the three administrators (三员分立, GB/T 22239-2019 8.1.4.2 访问控制).

The system administrator sets credentials, the security administrator grants roles; whoever last
set an account's credentials may not grant it a role, and whoever last granted it a role may not
set its credentials, so no single administrator both knows an account's secret and decides what
it may do. `by=None` everywhere means the installation operator (commands, demo), unchecked.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..models import AdminRole


def require_admin_role(by, role: str) -> None:
    """Only an administrator of `role` does this (the pages check it too; services insist)."""
    if by is not None and by.admin_role != role:
        raise PermissionDenied(
            _("Only the %(role)s may do this.") % {"role": AdminRole(role).label.lower()}
        )


def check_may_set_credentials(*, by, user) -> None:
    """The system administrator sets or resets credentials, never of an account whose roles
    they granted, nor their own through the administrators' pages."""
    if by is None:
        return
    require_admin_role(by, AdminRole.SYSTEM)
    if by.pk == user.pk:
        raise PermissionDenied(_("Change your own password on your password page."))
    if user.roles_granted_by_id == by.pk:
        raise PermissionDenied(
            _("You granted this account its roles, so another administrator sets its credentials.")
        )


def check_may_grant(*, by, user) -> None:
    """The security administrator grants roles, never to an account whose credentials they set
    (or created), nor to themselves."""
    if by is None:
        return
    require_admin_role(by, AdminRole.SECURITY)
    if by.pk == user.pk:
        raise PermissionDenied(_("No administrator changes their own roles."))
    if user.credentials_set_by_id == by.pk:
        raise PermissionDenied(
            _("You set this account's credentials, so another administrator grants its roles.")
        )

"""Account lifecycle, for the security administrator and the installation commands."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import AdminRole
from ..models.audit import AuditAction
from ..security import otp
from . import audit


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    admin_role: str = AdminRole.NONE,
):
    """A new account; the password must satisfy the password policy."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("A user with this name exists already.")})
    user = User(username=username, display_name=display_name, email=email, admin_role=admin_role)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def set_password(*, user, password: str, force_change: bool = False):
    """Sets a password; `force_change` makes the user choose a new one at next sign-in."""
    validate_password(password, user)
    user.set_password(password)
    if force_change:
        user.password_changed_at = None
    user.save()
    audit.record(action=AuditAction.SECURITY, instance=user, changes={"event": "password_set"})
    return user


def set_admin_role(*, user, admin_role: str):
    """Changes the administrator role; an administrator can hold no business role."""
    if admin_role and user.role_assignments.exists():
        raise ValidationError(
            _("%(user)s holds business roles; an administrator may hold none.") % {"user": user}
        )
    user.admin_role = admin_role
    user.save(update_fields=["admin_role"])
    return user


def set_active(*, user, active: bool):
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


def unlock(*, user) -> None:
    """Lifts a login lock-out (django-axes) before it expires."""
    axes_reset(username=user.get_username())
    audit.record(action=AuditAction.SECURITY, instance=user, changes={"event": "unlocked"})


@transaction.atomic
def reset_second_factor(*, user):
    """Replaces a lost second factor. A business user enrols again at next sign-in; an
    administrator gets a new key from the security administrator (the returned device)."""
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(action=AuditAction.SECURITY, instance=user, changes={"event": "otp_reset"})
    return issue_second_factor(user=user) if user.is_administrator else None


def issue_second_factor(*, user):
    """A new TOTP key for `user`, to hand over out of band (administrators' only way to one)."""
    device = otp.issue(user)
    audit.record(action=AuditAction.SECURITY, instance=user, changes={"event": "otp_issued"})
    return device

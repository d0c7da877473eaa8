"""Account lifecycle under dual control (三员分立): the system administrator creates, disables and
resets accounts; an administrator's own credentials are reset only once a second administrator
confirmed; the role checks live in `core.security.separation`. `by=None` is the installation
operator (commands, demo data)."""

from __future__ import annotations

import secrets
import string

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import AdminRole
from ..models.audit import AuditAction
from ..models.users import CredentialReset, ResetKind
from ..security import otp
from ..security.separation import check_may_grant, check_may_set_credentials, require_admin_role
from . import audit


def _event(user, event: str, **extra) -> None:
    audit.record(action=AuditAction.SECURITY, instance=user, changes={"event": event, **extra})


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    admin_role: str = AdminRole.NONE,
    by=None,
):
    """A new account; the password must satisfy the password policy. Made by the system
    administrator (`by`), it has no role yet and its user must change the password first."""
    if by is not None:
        require_admin_role(by, AdminRole.SYSTEM)
        if admin_role:
            raise PermissionDenied(_("The security administrator gives administrator roles."))
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("A user with this name exists already.")})
    user = User(username=username, display_name=display_name, email=email, admin_role=admin_role)
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = by is not None
    user.credentials_set_by = by
    user.full_clean()
    user.save()
    return user


def generate_password() -> str:
    """A one-time password that satisfies the policy: 16 characters of all four kinds."""
    kinds = (string.ascii_lowercase, string.ascii_uppercase, string.digits, "#%+-=@^_")
    alphabet = "".join(kinds)
    while True:
        chars = [secrets.choice(k) for k in kinds] + [secrets.choice(alphabet) for _ in range(12)]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password)
        except ValidationError:
            continue
        return password


@transaction.atomic
def set_password(*, user, password: str, force_change: bool = False):
    """Sets a password (installation operator and demo); `force_change` makes the user choose a
    new one at next sign-in. Setting the password an account already has changes nothing."""
    if user.has_usable_password() and user.check_password(password) and not force_change:
        return user
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = force_change
    user.save()
    _event(user, "password_set")
    return user


def _apply_password_reset(user, by) -> str:
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.credentials_set_by = by
    user.save()
    _event(user, "password_reset", force_change=True)
    return password


def _apply_second_factor_reset(user, by):
    had_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).delete()
    user.credentials_set_by = by
    if user.is_administrator:
        user.save(update_fields=["credentials_set_by"])
        _event(user, "otp_reset")
        return issue_second_factor(user=user)
    user.must_enrol_otp = user.must_enrol_otp or had_device
    user.save(update_fields=["credentials_set_by", "must_enrol_otp"])
    _event(user, "otp_reset", must_enrol=user.must_enrol_otp)
    return None


def _refuse_administrator(user) -> None:
    if user.is_administrator:
        raise PermissionDenied(
            _("An administrator's credentials are reset only with a second administrator's "
              "confirmation: request the reset.")
        )  # fmt: skip


@transaction.atomic
def reset_password(*, user, by) -> str:
    """A new one-time password for a business account, returned once for the system
    administrator to hand over; the user must replace it at the next sign-in."""
    check_may_set_credentials(by=by, user=user)
    _refuse_administrator(user)
    return _apply_password_reset(user, by)


@transaction.atomic
def reset_second_factor(*, user, by=None):
    """Removes a business user's lost second factor; one who had a device must enrol a new one
    at the next sign-in. Administrators go through `request_reset` (a second administrator)."""
    check_may_set_credentials(by=by, user=user)
    if by is not None:
        _refuse_administrator(user)
    return _apply_second_factor_reset(user, by)


@transaction.atomic
def request_reset(*, user, kind: str, by) -> CredentialReset:
    """A system administrator asks to reset an administrator's password or second factor; it
    waits for another administrator's confirmation."""
    check_may_set_credentials(by=by, user=user)
    if not user.is_administrator:
        raise ValidationError(_("Reset a business account's credentials directly."))
    open_request = CredentialReset.objects.filter(
        user=user, kind=kind, done_at__isnull=True, cancelled_at__isnull=True
    ).first()
    if open_request is not None:
        return open_request
    reset = CredentialReset.objects.create(user=user, kind=ResetKind(kind), requested_by=by)
    _event(user, "reset_requested", kind=kind, request=reset.pk)
    return reset


def _locked(reset: CredentialReset) -> CredentialReset:
    reset = CredentialReset.objects.select_for_update().select_related("user").get(pk=reset.pk)
    if not reset.is_open:
        raise ValidationError(_("This reset request is closed already."))
    return reset


@transaction.atomic
def confirm_reset(*, reset: CredentialReset, by) -> CredentialReset:
    """A second administrator, neither the requester nor the account's holder, confirms."""
    reset = _locked(reset)
    if not by.is_administrator:
        raise PermissionDenied(_("Only an administrator may confirm a reset."))
    if by.pk in (reset.requested_by_id, reset.user_id):
        raise PermissionDenied(
            _("A second administrator, neither the requester nor the account's holder, confirms.")
        )
    if reset.confirmed_at is not None:
        raise ValidationError(_("This reset is confirmed already."))
    reset.confirmed_by, reset.confirmed_at = by, timezone.now()
    reset.save(update_fields=["confirmed_by", "confirmed_at"])
    _event(reset.user, "reset_confirmed", kind=reset.kind, request=reset.pk)
    return reset


@transaction.atomic
def cancel_reset(*, reset: CredentialReset, by) -> CredentialReset:
    """Any administrator but the account's holder withdraws an open request."""
    reset = _locked(reset)
    if not by.is_administrator or by.pk == reset.user_id:
        raise PermissionDenied(_("Only another administrator may cancel this reset."))
    reset.cancelled_at = timezone.now()
    reset.save(update_fields=["cancelled_at"])
    _event(reset.user, "reset_cancelled", kind=reset.kind, request=reset.pk)
    return reset


@transaction.atomic
def carry_out_reset(*, reset: CredentialReset, by):
    """The requester carries out a confirmed reset and gets the new secret once, to hand over:
    a one-time password (str) or the new second-factor device."""
    reset = _locked(reset)
    if by.pk != reset.requested_by_id:
        raise PermissionDenied(_("Only the administrator who requested the reset carries it out."))
    if reset.confirmed_at is None:
        raise PermissionDenied(_("This reset waits for a second administrator's confirmation."))
    user = reset.user
    check_may_set_credentials(by=by, user=user)
    if reset.kind == ResetKind.PASSWORD:
        secret = _apply_password_reset(user, by)
    else:
        secret = _apply_second_factor_reset(user, by)
    reset.done_at = timezone.now()
    reset.save(update_fields=["done_at"])
    return secret


@transaction.atomic
def set_admin_role(*, user, admin_role: str, by=None):
    """Changes the administrator role (the security administrator's, under dual control); an
    administrator can hold no business role."""
    check_may_grant(by=by, user=user)
    if admin_role and user.role_assignments.exists():
        raise ValidationError(
            _("%(user)s holds business roles; an administrator may hold none.") % {"user": user}
        )
    user.admin_role = admin_role
    if by is not None:
        user.roles_granted_by = by
    user.save(update_fields=["admin_role", "roles_granted_by"])
    return user


def set_active(*, user, active: bool, by=None):
    """Enables or disables an account (the system administrator's); a disabled account's
    sessions and API tokens stop working."""
    require_admin_role(by, AdminRole.SYSTEM)
    if by is not None and by.pk == user.pk:
        raise PermissionDenied(_("No administrator disables their own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


def unlock(*, user, by=None) -> None:
    """Lifts a login lock-out (django-axes) before it expires (the system administrator's)."""
    require_admin_role(by, AdminRole.SYSTEM)
    axes_reset(username=user.get_username())
    _event(user, "unlocked")


def issue_second_factor(*, user):
    """A new TOTP key for `user`, to hand over out of band: at installation (`createuser`) or
    when a confirmed reset is carried out."""
    device = otp.issue(user)
    _event(user, "otp_issued")
    return device

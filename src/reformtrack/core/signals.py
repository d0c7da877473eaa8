"""Audit receivers for logins, logouts and failed logins."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .context import Actor, acting, client_ip
from .models.audit import AuditAction
from .security.otp import otp_required
from .services import audit


def _actor(request, user=None):
    ip = client_ip(request) if request is not None else None
    request_id = getattr(request, "request_id", None)
    actor = Actor(fixed_user=user, ip=ip)
    if request_id:
        actor.request_id = request_id
    return actor


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    """A sign-in, or only its password step when a second factor is still due (the sign-in is
    recorded once the code is right: core.views.auth.OTPView)."""
    with acting(_actor(request, user)):
        if otp_required(user):
            audit.record(
                action=AuditAction.SECURITY, instance=user, changes={"event": "password_ok"}
            )
        else:
            audit.record(action=AuditAction.LOGIN, instance=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        with acting(_actor(request, user)):
            audit.record(action=AuditAction.LOGOUT, instance=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    second_factor = credentials.get("factor") == "otp"
    with acting(_actor(request)):
        audit.record(
            action=AuditAction.OTP_FAILED if second_factor else AuditAction.LOGIN_FAILED,
            object_type="core.user",
            object_repr=username,
            username=username,
        )

"""Sign-in pages: password, second factor (TOTP), forced password change.

A sign-in is complete, audited as such and clears the failure count only after the second
factor when one is required; wrong codes are audited and count toward the lock-out like wrong
passwords (GB/T 22239-2019 8.1.4.1 身份鉴别 b).
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_otp import login as otp_login

from ..forms import TokenForm
from ..middleware import SESSION_STARTED
from ..models.audit import AuditAction
from ..security import otp
from ..security.passwords import expiry_message, password_expired
from ..services import audit


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return str(reverse_lazy("core:home"))


def _forget_failures(user) -> None:
    """The whole sign-in succeeded: earlier failures no longer count toward a lock-out."""
    axes_reset(username=user.get_username())


def _is_locked(request) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": request.user.get_username()})


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[SESSION_STARTED] = int(time.time())
        user = form.get_user()
        if not otp.otp_required(user):
            _forget_failures(user)
        return response


class OTPView(LoginRequiredMixin, View):
    """Verifies the second factor; enrols a device first when the user has none."""

    template_name = "core/otp.html"

    def _context(self, request, form):
        user = request.user
        confirmed = user.totpdevice_set.filter(confirmed=True).first()
        ctx = {"form": form, "next": _next_url(request), "enrol": confirmed is None}
        device = otp.pending_device(user) if confirmed is None else None
        if device is not None:
            ctx.update(qr_svg=otp.qr_svg(device), secret=otp.base32_secret(device))
        elif confirmed is None:
            ctx.update(enrol=False, no_key=True)
        return ctx

    def _locked_out(self, request):
        """The account is locked (wrong passwords or codes): this half-signed-in session ends."""
        logout(request)
        return locked_out(request)

    def get(self, request):
        if request.user.is_verified():
            return redirect(_next_url(request))
        if _is_locked(request):
            return self._locked_out(request)
        return render(request, self.template_name, self._context(request, TokenForm()))

    def post(self, request):
        if request.user.is_verified():
            return redirect(_next_url(request))
        if _is_locked(request):
            return self._locked_out(request)
        form = TokenForm(request.POST)
        if form.is_valid():
            user = request.user
            device = user.totpdevice_set.filter(confirmed=True).first()
            if device is None:
                device = otp.pending_device(user)
            allowed = device is not None and device.verify_is_allowed()[0]
            if device is not None and not allowed:
                # django-otp's own throttle after a wrong code: not a new guess, not counted.
                form.add_error("token", _("Too many wrong codes in a row: wait a moment."))
                return render(request, self.template_name, self._context(request, form))
            if allowed and device.verify_token(form.cleaned_data["token"]):
                otp.confirm(device)
                otp_login(request, device)
                _forget_failures(user)
                audit.record(
                    action=AuditAction.LOGIN, instance=user, changes={"second_factor": "totp"}
                )
                return redirect(_next_url(request))
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username(), "factor": "otp"},
                request=request,
            )
            if getattr(request, "axes_locked_out", False):
                return self._locked_out(request)
            form.add_error("token", _("The code is wrong or has expired."))
        return render(request, self.template_name, self._context(request, form))


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("core:home")

    def get(self, request, *args, **kwargs):
        if request.user.must_change_password:
            messages.warning(
                request,
                _("An administrator reset your password. Choose your own to continue."),
            )
        elif password_expired(request.user):
            messages.warning(request, expiry_message())
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            action=AuditAction.SECURITY, instance=form.user, changes={"event": "password_changed"}
        )
        messages.success(self.request, _("Your password was changed."))
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes lock-out page: says how long the lock lasts (HTTP 429)."""
    from django.conf import settings

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "core/locked_out.html", {"lockout_minutes": minutes}, status=429)

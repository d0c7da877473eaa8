"""Sign-in pages: password, second factor (TOTP), forced password change."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_otp import login as otp_login

from ..forms import TokenForm
from ..security import otp
from ..security.passwords import expiry_message, password_expired


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return str(reverse_lazy("core:home"))


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


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

    def get(self, request):
        if request.user.is_verified():
            return redirect(_next_url(request))
        return render(request, self.template_name, self._context(request, TokenForm()))

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            user = request.user
            device = user.totpdevice_set.filter(confirmed=True).first()
            if device is None:
                device = otp.pending_device(user)
            if device is None:
                allowed = False
            else:
                allowed, _info = device.verify_is_allowed()
            if allowed and device.verify_token(form.cleaned_data["token"]):
                if not device.confirmed:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                otp_login(request, device)
                return redirect(_next_url(request))
            form.add_error("token", _("The code is wrong or has expired."))
        return render(request, self.template_name, self._context(request, form))


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("core:home")

    def get(self, request, *args, **kwargs):
        if password_expired(request.user):
            messages.warning(request, expiry_message())
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


def locked_out(request, original_response=None, credentials=None):
    """django-axes lock-out page: says how long the lock lasts (HTTP 429)."""
    from django.conf import settings

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "core/locked_out.html", {"lockout_minutes": minutes}, status=429)

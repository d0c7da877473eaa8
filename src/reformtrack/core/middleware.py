"""Request context for the audit trail, and the login policy (second factor, password expiry,
absolute session lifetime)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .context import Actor, acting, client_ip
from .security.otp import otp_required
from .security.passwords import must_change_password


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = Actor(request=request, ip=client_ip(request))
        request.request_id = actor.request_id
        with acting(actor):
            return self.get_response(request)


EXEMPT_PREFIXES = ("/static/", "/i18n/", "/favicon", "/accounts/login/", "/accounts/logout/")


SESSION_STARTED = "signed_in_at"


def session_too_old(request) -> bool:
    """True once the session is older than SESSION_ABSOLUTE_SECONDS, however busy it was (the
    idle timeout is SESSION_COOKIE_AGE); a session without a start time starts now."""
    limit = settings.SESSION_ABSOLUTE_SECONDS
    started = request.session.get(SESSION_STARTED)
    if started is None:
        request.session[SESSION_STARTED] = int(time.time())
        return False
    return bool(limit) and time.time() - started > limit


class SecurityPolicyMiddleware:
    """Ends sessions past their absolute lifetime; sends a signed-in user to the second-factor
    or password page until they satisfy it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and session_too_old(request):
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Your session has ended. Sign in again.")},
                                    status=403)  # fmt: skip
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('core:login')}?{query}")
        if user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            target = None
            if otp_required(user) and not user.is_verified():
                target = "core:otp"
            elif must_change_password(user):
                target = "core:password_change"
            if target and request.path != reverse(target):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Finish signing in first.")}, status=403)
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)


class UploadRedirectMiddleware:
    """A form sent by static/reformtrack/uploads.js (XHR, for its progress bar) gets its redirect
    as a header the script follows: an XHR that followed the redirect itself would render the
    next page in the background and use up its messages ("saved") before the user sees them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("X-Upload-Progress") and 300 <= response.status_code < 400:
            response["X-Redirect-To"] = response["Location"]
            del response["Location"]
            response.status_code = 200  # cookies set with the redirect (messages) are kept
        return response

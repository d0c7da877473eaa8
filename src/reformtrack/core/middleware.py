"""Request context for the audit trail, and the login policy (second factor, password expiry,
absolute session lifetime)."""

import time

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    _get_user_session_key,
    get_user_model,
    logout,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import get_user
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware

from . import compiled_sql
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
            if not user.is_verified() and otp_required(user):
                target = "core:otp"
            elif must_change_password(user):
                target = "core:password_change"
            if target and request.path != reverse(target):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Finish signing in first.")}, status=403)
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)


class VerifiedUserMiddleware(OTPMiddleware):
    """django_otp's OTPMiddleware (request.user gains otp_device and is_verified()), with the
    user loaded at once and set as the plain object: every request reads it anyway (the
    security policy below does), and a user behind two lazy proxies (auth's, then OTP's) pays
    two indirections on each of the hundred attribute reads a page makes. Still read fresh
    from the session and the database on every request."""

    def _install_lazy_accessors(self, request):
        super()._install_lazy_accessors(request)  # request.auser for async views
        if hasattr(request, "user"):
            request.user = self._verify_user_sync(request, session_user(request))


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def session_user(request):
    """auth.get_user(request), with ModelBackend's read of the user run from SQL compiled once
    per user (compiled_sql): building the ORM `get` cost ten times the query. The same checks
    as Django's, on every request: the backend still configured, the account active, the
    session's password hash (a changed password signs other sessions out); any other backend,
    or a session hash only a fallback secret verifies, goes through Django's own get_user."""
    try:
        user_id = _get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path != MODEL_BACKEND or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return get_user(request)
    model = get_user_model()
    user = compiled_sql.instance(
        model, ("session-user", user_id), lambda: model._default_manager.filter(pk=user_id)
    )
    if user is None or not ModelBackend().user_can_authenticate(user):
        return AnonymousUser()
    session_hash = request.session.get(HASH_SESSION_KEY)
    if session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
        return user
    return get_user(request)  # fallback secrets, or the session flushed, as Django does


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

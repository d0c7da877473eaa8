"""API sign-in with our tokens (`Authorization: Token rt_…`): expiring, revocable, and void
while the account is disabled, must change its password, or is an administrator's."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from ..security.passwords import must_change_password
from ..services.tokens import find_token, mark_used

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the header as: Authorization: Token <token>."))
        token = find_token(parts[1].decode("latin-1"))
        if token is None or not token.is_active:
            raise AuthenticationFailed(_("The token is unknown, expired or revoked."))
        user = token.user
        if not user.is_active or user.is_administrator:
            raise AuthenticationFailed(_("The token's account may not use the API."))
        if must_change_password(user):
            raise AuthenticationFailed(
                _("The account's password has expired: sign in and change it first.")
            )
        mark_used(token)
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "reformtrack.core.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token authentication: "Token rt_…" (see "API tokens").',
        }

"""Reading API tokens: a user's own, or all of them for the security administrator."""

from ..models import ApiToken


def tokens_of(user):
    """The user's tokens, newest first, revoked and expired ones included (they say so)."""
    return ApiToken.objects.filter(user=user)


def all_tokens(*, active_only: bool = True):
    """Every account's tokens, for the security administrator's list (never the secret)."""
    qs = ApiToken.objects.select_related("user", "revoked_by")
    return qs.active() if active_only else qs

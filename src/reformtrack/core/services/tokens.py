"""API tokens: made by their owner (shown once), revoked by the owner or the security
administrator; the database keeps only a SHA-256 hash of each secret."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AdminRole, ApiToken
from ..models.audit import AuditAction
from . import audit

PREFIX = "rt_"


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _event(token: ApiToken, event: str) -> None:
    audit.record(
        action=AuditAction.SECURITY,
        instance=token.user,
        changes={"event": event, "token": token.name, "starts_with": token.prefix},
    )


@transaction.atomic
def create_token(*, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, which is never shown again. Administrators get
    none: they reach no business data, and a token would skip their second factor."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. what will use it.")})
    if user.is_administrator:
        raise PermissionDenied(_("Administrators use no API tokens."))
    if not user.is_active:
        raise PermissionDenied(_("The account is disabled."))
    days = settings.API_TOKEN_DAYS if days is None else days
    if days < 1:
        raise ValidationError({"days": _("A token lasts at least one day.")})
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[:10],
        key_hash=hash_key(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    _event(token, "token_created")
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken, by=None) -> ApiToken:
    """The token stops working at once. Its owner or the security administrator revokes it."""
    if by is not None and by.pk != token.user_id and by.admin_role != AdminRole.SECURITY:
        raise PermissionDenied(_("You may not revoke this token."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), by
        token.save(update_fields=["revoked_at", "revoked_by"])
        _event(token, "token_revoked")
    return token


def find_token(raw: str) -> ApiToken | None:
    """The token with this secret, whatever its state (the caller checks it)."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(raw)).first()


def mark_used(token: ApiToken) -> None:
    """Records when a token was last used, at most once a minute (not an audit record)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now

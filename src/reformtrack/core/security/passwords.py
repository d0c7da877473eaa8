"""Password rules of 等保 2.0 practice: character classes here; length and expiry are settings."""

import datetime as dt
import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CLASSES = (
    str.islower,
    str.isupper,
    str.isdigit,
    lambda c: c in string.punctuation or c == " ",
)


class CharacterClassValidator:
    """Requires characters from at least `min_classes` of: lower, upper, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = sum(any(test(c) for c in password) for test in CLASSES)
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return ngettext(
            "Your password must mix at least %(n)d kind of character: lower-case, "
            "upper-case, digits, symbols.",
            "Your password must mix at least %(n)d kinds of characters: lower-case, "
            "upper-case, digits, symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}


class PasswordHistoryValidator:
    """Refuses the account's current password and the others among its last `count`."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None or not self.count:
            return
        from ..models.users import UsedPassword

        recent = list(
            UsedPassword.objects.filter(user=user).values_list("password", flat=True)[: self.count]
        )
        if user.has_usable_password():
            recent.append(user.password)
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        return _("Your password must differ from the last %(n)d passwords of the account.") % {
            "n": self.count
        }


def must_change_password(user) -> bool:
    """After an administrator's reset, or once the password is older than the limit."""
    return bool(getattr(user, "must_change_password", False)) or password_expired(user)


def password_expired(user) -> bool:
    days = settings.PASSWORD_EXPIRY_DAYS
    if not days or not user.has_usable_password():
        return False
    changed = user.password_changed_at
    return changed is None or timezone.now() - changed > dt.timedelta(days=days)


def expiry_message() -> str:
    return _("Your password has expired. Choose a new one to continue.")

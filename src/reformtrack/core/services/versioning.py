"""Refusing stale edits: the version a user read must still be the row's version when saved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..models import AuditRecord


class StaleEdit(ValidationError):
    """Someone saved the object after the user read it; says who and when, changes nothing."""

    def __init__(self, instance, expected):
        self.instance = instance
        self.expected = expected
        self.current = instance.version
        last = (
            AuditRecord.objects.filter(
                object_type=instance._meta.label_lower, object_id=str(instance.pk)
            )
            .order_by("-seq")
            .values("actor_username", "at")
            .first()
        )
        if last:
            when = formats.date_format(timezone.localtime(last["at"]), "Y-m-d H:i")
            text = _(
                "Someone else saved this after you opened it: %(user)s at %(time)s (now version "
                "%(current)s, you edited version %(expected)s). Reload it and make your change "
                "again; nothing was saved."
            ) % {
                "user": last["actor_username"] or _("the system"),
                "time": when,
                "current": self.current,
                "expected": expected,
            }
        else:
            text = _(
                "Someone else saved this after you opened it (now version %(current)s, you "
                "edited version %(expected)s). Reload it and make your change again; nothing "
                "was saved."
            ) % {"current": self.current, "expected": expected}
        super().__init__({"version": text}, code="stale")


def parse_version(value) -> int | None:
    """A version from a form field, a body or an If-Match header (`"3"`, `W/"3"`, 3)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isdigit():
        raise ValidationError({"version": _("The version must be a whole number.")})
    return int(text)


def required_version(raw) -> int:
    """The version a page's form posted: a form that names none is refused, not applied."""
    version = parse_version(raw)
    if version is None:
        raise ValidationError(
            {"version": _("Reload the page: the form did not say which version you edited.")}
        )
    return version


def check_version(instance, expected) -> None:
    """Refuse the edit when `expected` (the version the user read) is stale; None skips the
    check, for system paths that hold the row lock themselves."""
    expected = parse_version(expected)
    if expected is not None and expected != instance.version:
        raise StaleEdit(instance, expected)


def lock(model, pk, expected=None):
    """The row, locked for this transaction, after checking the version the user read."""
    instance = model._default_manager.select_for_update().get(pk=pk)
    check_version(instance, expected)
    return instance


def hold(instance, expected=None):
    """Lock `instance`'s row for this transaction, refuse a stale `expected` version, and carry
    the stored version onto the instance so its save bumps the right number."""
    model = type(instance)
    stored = model._default_manager.select_for_update().values_list("version", flat=True)
    current = stored.get(pk=instance.pk)
    instance.version = current
    check_version(instance, expected)
    return instance

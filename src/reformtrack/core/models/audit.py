"""The append-only, hash-chained audit trail."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    MOVE = "move", _("Moved")
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Login failed")
    OTP_FAILED = "otp_failed", _("Second factor failed")
    APPROVAL = "approval", _("Approval step")
    SECURITY = "security", _("Security event")
    KEY_ROTATION = "key_rotation", _("Audit key rotated")


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit record."""


class AuditRecordQuerySet(models.QuerySet):
    """Refuses the bulk paths that bypass `save()` and `delete()`."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit records cannot be changed.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("Audit records cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit records cannot be deleted.")


class AuditRecord(models.Model):
    """One event. `hash` is an HMAC, under the key named by `key_id`, of every field below and
    the previous record's hash (records marked with the legacy key id: plain SHA-256)."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_username = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    request_id = models.CharField(_("request"), max_length=32, blank=True)
    # While an approved change is applied in its author's name: {"request": id, "approvers": [...]}
    on_approval = models.JSONField(_("on approval"), null=True, blank=True)
    key_id = models.CharField(_("key"), max_length=32)
    algorithm = models.CharField(_("algorithm"), max_length=16)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit records cannot be deleted.")


class AuditChainHead(models.Model):
    """A single row locked while appending, so concurrent writers extend one linear chain."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    last_key_id = models.CharField(max_length=32, blank=True, default="")

    def __str__(self) -> str:
        return f"head #{self.last_seq}"

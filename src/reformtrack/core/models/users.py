"""Accounts. The three administrator roles (三员分立) are one field, so no account can hold two."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AdminRole(models.TextChoices):
    NONE = "", _("None")
    SYSTEM = "system", _("System administrator")
    SECURITY = "security", _("Security administrator")
    AUDIT = "audit", _("Audit administrator")


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    admin_role = models.CharField(
        _("administrator role"), max_length=16, choices=AdminRole.choices, blank=True, default=""
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def is_administrator(self) -> bool:
        """True for the system, security and audit administrators (no business data)."""
        return bool(self.admin_role)

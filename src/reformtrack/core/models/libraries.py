"""What was loaded from each versioned YAML library (programmes, rule sets, KPI sets)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Library(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    content = models.JSONField(_("content"))
    origin = models.CharField(_("loaded from"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("library")
        verbose_name_plural = _("libraries")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

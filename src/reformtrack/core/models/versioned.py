"""Optimistic locking: every edit of a row that counts carries the version it was read at."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """Abstract: `version` goes up by one on every save of an existing row.

    Services lock the row (`select_for_update`) and compare the version the user read
    (`core.services.versioning.check_version`) before saving, so a stale edit is refused.
    Bulk updates must bump it themselves: `.update(…, version=F("version") + 1)`.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            self.version = (self.version or 0) + 1
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = {*fields, "version"}
        super().save(*args, **kwargs)

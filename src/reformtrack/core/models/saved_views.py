"""A user's saved view of a table: the columns, filters, sort and page size they chose."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """Personal, never shared: a view only ever shows what its owner may see when it is opened,
    since the filters run through the same scoped list again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("user"),
    )
    table = models.CharField(_("table"), max_length=60)
    name = models.CharField(_("name"), max_length=80)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    sort = models.CharField(_("sort"), max_length=200, blank=True)
    per_page = models.PositiveSmallIntegerField(_("rows per page"), default=50)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(fields=["user", "table", "name"], name="saved_view_unique_name")
        ]

    def __str__(self):
        return self.name

    def query(self) -> str:
        """The query string that opens the table as saved."""
        pairs = [(name, value) for name, values in self.filters.items() for value in values]
        if self.sort:
            pairs.append(("sort", self.sort))
        pairs.append(("per_page", self.per_page))
        pairs.extend(("cols", name) for name in self.columns)
        return urlencode(pairs)

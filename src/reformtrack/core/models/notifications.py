"""In-app notices (the inbox); approvals waiting for a user are computed, not stored here."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..stored_messages import message_property, render_lines


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    # The text in the site's language (older rows: the only one); the message, when there is
    # one, is shown in the reader's language (core.stored_messages).
    stored_title = models.CharField(_("title"), max_length=300, db_column="title")
    title_message = models.JSONField(null=True, blank=True, editable=False)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    title = message_property("stored_title", "title_message")

    def __str__(self) -> str:
        return self.title

    @property
    def body_text(self) -> str:
        """The body in the reader's language when its lines were kept as messages (in
        `title_message["body"]`, beside the title's message), else the stored text."""
        return render_lines((self.title_message or {}).get("body"), self.body)

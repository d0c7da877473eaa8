"""Swaps learned from clean and spun copies of one story (kept as data, reviewed by a person
before repair uses them); imported by `models` so Django registers it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reformtrack.core.scoping import Action, ScopedQuerySetMixin, scope_q
from reformtrack.core.services.audit import track


class SwapStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class LearnedSubstitutionQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def visible_to(self, user, action: str = Action.VIEW):
        """The owner's subtree and the supervisors above it, like the documents it came from."""
        return self.filter(scope_q(self.model, user, action))


@track  # every proposal, decision and count change is in the audit log
class LearnedSubstitution(models.Model):
    """A spinner's synonym (spun) for an official word (original), found by aligning copies."""

    scope_path = "owner__path"

    spun = models.CharField(_("spun form"), max_length=12)
    original = models.CharField(_("original form"), max_length=12)
    count = models.PositiveIntegerField(_("times seen"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.PROPOSED
    )
    learned_from = models.JSONField(_("learned from documents"), default=list, blank=True)
    owner = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LearnedSubstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-count", "spun"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "spun", "original"], name="learned_substitution_unique"
            )
        ]
        verbose_name = _("learned substitution")
        verbose_name_plural = _("learned substitutions")

    def __str__(self) -> str:
        return f"{self.spun} → {self.original}"

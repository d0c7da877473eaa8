"""One approval flow for every app: submit, then approve or return level by level up the tree."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..scoping import ScopedQuerySet
from ..stored_messages import message_property


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StepDecision(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")
    WITHDRAW = "withdraw", _("Withdrawn")


class ApprovalRequest(models.Model):
    """An object submitted for approval by `organisation`; `levels` are the approving org ids."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    # The text in the site's language (older rows: the only one); the message, when there is
    # one, is shown in the reader's language (core.stored_messages).
    stored_title = models.CharField(_("title"), max_length=300, db_column="title")
    title_message = models.JSONField(null=True, blank=True, editable=False)
    organisation = models.ForeignKey(
        settings.REFORMTRACK_ORGANISATION_MODEL,
        on_delete=models.PROTECT,
        related_name="approval_requests",
        verbose_name=_("organisation"),
    )
    chain = models.CharField(_("chain"), max_length=60, default="default")
    levels = models.JSONField(_("levels"), default=list)
    current_level = models.PositiveSmallIntegerField(_("current level"), default=0)
    current_organisation = models.ForeignKey(
        settings.REFORMTRACK_ORGANISATION_MODEL,
        on_delete=models.PROTECT,
        related_name="approvals_waiting",
        null=True,
        blank=True,
        verbose_name=_("waiting at"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Goes up on every submission and decision: a decision names the version it was made on,
    # so of two people deciding the same level at once exactly one wins.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Each submission starts a round; a person decides at most one level per round.
    round = models.PositiveSmallIntegerField(_("round"), default=1, editable=False)
    # Set while nobody else may decide the current level: who is told (the level above).
    blocked_since = models.DateTimeField(_("blocked since"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.REFORMTRACK_ORGANISATION_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("shown as blocked to"),
    )
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    chased_on = models.DateField(_("last reminder"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "organisation__path"
    scope_path_by_action = {"approve": "current_organisation__path"}

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    title = message_property("stored_title", "title_message")

    def __str__(self) -> str:
        return self.title


class ApprovalStep(models.Model):
    """One decision in the trail: who, when, at which level, what, and why."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    level = models.PositiveSmallIntegerField(_("level"))
    organisation = models.ForeignKey(
        settings.REFORMTRACK_ORGANISATION_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=StepDecision.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"))
    comment = models.TextField(_("comment"), blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    # A return to an earlier level names it; a return to the submitter leaves it empty.
    to_level = models.PositiveSmallIntegerField(_("returned to level"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")

    def __str__(self) -> str:
        return f"{self.get_decision_display()} @ {self.level}"

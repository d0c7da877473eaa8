"""Rule sets (loaded from libraries), campaigns, enterprises' assessments with per-indicator
scores, and rectification links from an assessment gap to a ledger task."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reformtrack.core.i18n import BilingualNameMixin, bilingual, localized
from reformtrack.core.models import StoredFile, Versioned
from reformtrack.core.scoping import ScopedQuerySet, granted_paths, scope_q

from .choices import AssessmentStatus, CampaignStatus, Method, Origin, ValueSource


class RuleSetQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """Rule sets are published rules: every business user with any grant reads them."""
        return self if granted_paths(user, action) else self.none()


class RuleSet(BilingualNameMixin, models.Model):
    library = models.OneToOneField("core.Library", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40, unique=True)
    version = models.PositiveIntegerField(_("version"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    issuer_zh = models.CharField(_("issuer (Chinese)"), max_length=200, blank=True)
    issuer_en = models.CharField(_("issuer (English)"), max_length=200, blank=True)
    source = models.TextField(_("source"), blank=True)
    provenance = models.TextField(_("provenance"), blank=True)
    applies_to = models.JSONField(_("applies to"), default=dict, blank=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self) -> str:
        return self.name


class RatingBand(models.Model):
    """A rating level: reached from `min_score`, and (if set) only by the top `top_share` %."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="bands")
    code = models.CharField(_("code"), max_length=20)
    label_zh = models.CharField(_("label (Chinese)"), max_length=40)
    label_en = models.CharField(_("label (English)"), max_length=40)
    min_score = models.DecimalField(_("minimum score"), max_digits=6, decimal_places=2)
    top_share = models.DecimalField(
        _("top share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the best rating"))

    class Meta:
        ordering = ["rule_set", "rank"]
        unique_together = [("rule_set", "code")]
        verbose_name = _("rating band")
        verbose_name_plural = _("rating bands")

    def __str__(self) -> str:
        return self.label

    label = bilingual("label")


class Dimension(BilingualNameMixin, models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)

    class Meta:
        ordering = ["rule_set", "order"]
        unique_together = [("rule_set", "code")]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="indicators")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=40)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    method = models.CharField(_("scoring method"), max_length=12, choices=Method.choices)
    items = models.JSONField(_("checklist items or value bands"), default=list, blank=True)
    guidance_zh = models.TextField(_("guidance (Chinese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    evidence_zh = models.TextField(_("required evidence (Chinese)"), blank=True)
    evidence_en = models.TextField(_("required evidence (English)"), blank=True)
    value_source = models.CharField(
        _("value from"), max_length=20, choices=ValueSource.choices, blank=True
    )
    value_code = models.CharField(_("value code"), max_length=60, blank=True)
    applies_to = models.JSONField(_("applies to"), default=dict, blank=True)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)

    class Meta:
        ordering = ["rule_set", "dimension__order", "order"]
        unique_together = [("rule_set", "code")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    title = bilingual("title")
    guidance = bilingual("guidance")
    evidence = bilingual("evidence")


class VetoItem(models.Model):
    """一票否决: if found, the rating is at best `cap` whatever the score."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="vetoes")
    code = models.CharField(_("code"), max_length=40)
    text_zh = models.CharField(_("text (Chinese)"), max_length=300)
    text_en = models.CharField(_("text (English)"), max_length=300)
    cap = models.CharField(_("rating at best"), max_length=20)

    class Meta:
        ordering = ["rule_set", "code"]
        unique_together = [("rule_set", "code")]
        verbose_name = _("veto item")
        verbose_name_plural = _("veto items")

    def __str__(self) -> str:
        return localized(self.text_zh, self.text_en)


class CampaignQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = "view"):
        """The supervisor's subtree sees its campaigns; a target enterprise sees (view only)
        the campaigns it is assessed in."""
        query = scope_q(self.model, user, action)
        if action == "view":
            query |= Q(assessments__in=Assessment.objects.visible_to(user, action))
        return self.filter(query).distinct()


class Campaign(BilingualNameMixin, models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("rule set")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    self_deadline = models.DateField(_("self-assessment deadline"))
    review_deadline = models.DateField(_("review deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessments:campaign", args=[self.code])


class Assessment(Versioned):
    """One enterprise in one campaign: self-assessment, review, final score and rating."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessments")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("enterprise"),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )  # fmt: skip
    self_score = models.DecimalField(
        _("self-assessed score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=20, blank=True)
    vetoes = models.JSONField(_("veto items found"), default=list, blank=True)
    times_returned = models.PositiveSmallIntegerField(_("times returned"), default=0)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["campaign", "organisation__path"]
        unique_together = [("campaign", "organisation")]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.campaign.code} · {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:assessment", args=[self.pk])

    @property
    def locked(self) -> bool:
        return self.status in (AssessmentStatus.FINAL, AssessmentStatus.PUBLISHED)

    @property
    def rating_label(self) -> str:
        band = self.campaign.rule_set.bands.filter(code=self.rating).first()
        return band.label if band else ""

    @property
    def missing_codes(self) -> list[str]:
        """Indicators not filled in (no self-score, or no value and none entered by hand)."""
        return list(self.scores.filter(self_points__isnull=True)
                    .values_list("indicator__code", flat=True))  # fmt: skip


class Score(Versioned):
    """An indicator's points: self-assessed with justification and evidence, then reviewed."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(
        _("self-assessed points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    justification = models.TextField(_("justification"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    checked = models.JSONField(_("checklist items met"), default=list, blank=True)
    value = models.DecimalField(
        _("captured value"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    value_note = models.CharField(_("value captured from"), max_length=200, blank=True)
    reviewed_points = models.DecimalField(
        _("reviewed points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    review_reason = models.TextField(_("reason for the change"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "assessment__organisation__path"

    class Meta:
        ordering = ["assessment", "indicator__dimension__order", "indicator__order"]
        unique_together = [("assessment", "indicator")]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.points}"

    @property
    def points(self) -> Decimal:
        if self.reviewed_points is not None:
            return self.reviewed_points
        return self.self_points or Decimal(0)


class Rectification(models.Model):
    """A gap of an assessment turned into a ledger task; closed when the task is done."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="rectifications"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    task = models.OneToOneField(
        "programs.LedgerTask", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="rectification",
    )  # fmt: skip
    points_lost = models.DecimalField(_("points lost"), max_digits=6, decimal_places=2)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "assessment__organisation__path"

    class Meta:
        ordering = ["assessment", "-points_lost"]
        unique_together = [("assessment", "indicator")]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"{self.assessment} · {self.indicator.code}"


class EvidenceFile(StoredFile):
    """A file attached to a self-assessed indicator; the same title again is a new version,
    older versions are kept (as the ledger's evidence)."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="assessment-evidence/%Y/%m/")

    objects = ScopedQuerySet.as_manager()
    scope_path = "score__assessment__organisation__path"

    class Meta:
        ordering = ["score", "title", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["score", "title", "number"], name="assessment_evidence_version"
            )
        ]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def get_absolute_url(self) -> str:
        return reverse("assessments:evidence-download", kwargs={"evidence_pk": self.pk})


class ExtensionRequest(models.Model):
    """A later self-assessment (or review) deadline asked for one assessment; it counts only
    once the level above has approved it through the approval flow (never the asker)."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self-assessment deadline")
        REVIEW = "review", _("Review deadline")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="extensions",
        verbose_name=_("assessment"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("asked for"),
    )  # fmt: skip
    kind = models.CharField(_("deadline"), max_length=8, choices=Kind.choices)
    new_date = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("asked by"),
    )  # fmt: skip
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["assessment", "-requested_at"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self) -> str:
        return f"{self.assessment} · {self.get_kind_display()} → {self.new_date}"

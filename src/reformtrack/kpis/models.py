"""Statement lines and KPI sets (loaded from libraries), statements per organisation and
period with their correction history, and KPI targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reformtrack.core.i18n import BilingualNameMixin
from reformtrack.core.models import Versioned
from reformtrack.core.scoping import ScopedQuerySet, granted_paths

from .choices import Basis, Comparison, Direction, LineKind, LineNature, TargetOrigin

AMOUNT = {"max_digits": 22, "decimal_places": 2}


class ReferenceQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """Reference data: every business user with any grant reads it all."""
        return self if granted_paths(user, action) else self.none()


class StatementLine(BilingualNameMixin, models.Model):
    """A line of the statements the KPIs read (营业收入, 利润总额 …), from a library."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=LineKind.choices)
    nature = models.CharField(_("nature"), max_length=10, choices=LineNature.choices)
    signed = models.BooleanField(
        _("may be negative"), default=False, help_text=_("Profit, cash flow or equity can be.")
    )
    order = models.PositiveIntegerField(default=0)
    source = models.TextField(_("source"), blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")

    def __str__(self) -> str:
        return self.name


class KpiSet(BilingualNameMixin, models.Model):
    """A versioned KPI set (两利三率, 两利四率, 一利五率 …) and the years it applies to."""

    library = models.OneToOneField("core.Library", on_delete=models.PROTECT, related_name="kpiset")
    code = models.CharField(_("code"), max_length=40, unique=True)
    version = models.PositiveIntegerField(_("version"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    year_from = models.PositiveIntegerField(_("first year"))
    year_to = models.PositiveIntegerField(_("last year"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    provenance = models.TextField(_("provenance"), blank=True)
    target_shapes = models.JSONField(_("target shapes"), default=list, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-year_from"]
        verbose_name = _("KPI set")
        verbose_name_plural = _("KPI sets")

    def __str__(self) -> str:
        return self.name

    def shapes_for(self, year: int) -> list[dict]:
        """The target shapes announced for `year` (a shape without years serves every year
        the set covers): 2024 gets 一利稳定增长，五率持续优化, not 2023's 一增一稳四提升."""
        return [s for s in self.target_shapes if not s.get("years") or year in s["years"]]


class Indicator(BilingualNameMixin, models.Model):
    kpiset = models.ForeignKey(KpiSet, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    formula = models.TextField(_("formula"))
    unit = models.CharField(_("unit"), max_length=20)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    precision = models.PositiveSmallIntegerField(_("decimal places"), default=2)
    source = models.TextField(_("source"), blank=True)
    to_confirm = models.BooleanField(_("to confirm"), default=False)
    order = models.PositiveIntegerField(default=0)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["kpiset", "order"]
        constraints = [
            models.UniqueConstraint(fields=["kpiset", "code"], name="kpis_indicator_unique")
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Statement(Versioned):
    """The statement lines of one organisation for one year-to-date period and basis."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="statements",
        verbose_name=_("organisation"),
    )  # fmt: skip
    year = models.PositiveIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=3)
    basis = models.CharField(_("statement basis"), max_length=15, choices=Basis.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = ScopedQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["organisation__path", "-year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "period", "basis"], name="kpis_statement_unique"
            )
        ]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return f"{self.organisation.code} {self.year} {self.period} {self.get_basis_display()}"

    @property
    def period_label(self) -> str:
        """全年 / 1–6月累计 rather than the period code."""
        from .units import period_label

        return period_label(self.period)

    def lines(self) -> dict:
        return {v.line: v.value for v in self.values.all()}


class StatementValue(models.Model):
    """One line's current value, in 元 (counts as they are)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="values")
    line = models.CharField(_("line"), max_length=40)
    value = models.DecimalField(_("value"), **AMOUNT)

    objects = ScopedQuerySet.as_manager()
    scope_path = "statement__organisation__path"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "line"], name="kpis_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.line} = {self.value}"


class StatementRevision(models.Model):
    """History: every entry and correction of a line, with what was typed and in which unit."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="revisions")
    line = models.CharField(_("line"), max_length=40)
    old_value = models.DecimalField(_("old value"), null=True, blank=True, **AMOUNT)
    new_value = models.DecimalField(_("new value"), **AMOUNT)
    entered = models.CharField(_("as entered"), max_length=60)
    source = models.CharField(_("source"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = ScopedQuerySet.as_manager()
    scope_path = "statement__organisation__path"

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.line}: {self.old_value} → {self.new_value}"


class KpiTarget(Versioned):
    """The target of one indicator for an organisation and year."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="kpi_targets",
        verbose_name=_("organisation"),
    )  # fmt: skip
    year = models.PositiveIntegerField(_("year"))
    code = models.CharField(_("indicator"), max_length=40)
    comparison = models.CharField(_("comparison"), max_length=4, choices=Comparison.choices)
    value = models.DecimalField(_("target"), max_digits=22, decimal_places=4)
    band = models.DecimalField(
        _("band (±)"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    origin = models.CharField(_("origin"), max_length=10, choices=TargetOrigin.choices)
    shape = models.CharField(_("target shape"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["organisation__path", "-year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "code"], name="kpis_target_unique"
            )
        ]
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")

    def __str__(self) -> str:
        return f"{self.organisation.code} {self.year} {self.code}"

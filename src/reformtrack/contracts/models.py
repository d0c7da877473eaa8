"""Executives (the manager layer of an enterprise), their tenure contracts, annual performance
contracts with indicators, and the year's scored result with its pay split. Pay and personal
data are read with the `change` action (reform office and supervisor), never `view`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reformtrack.core.models import Versioned
from reformtrack.core.scoping import ScopedQuerySet

from .choices import LeaveReason, PlanKind, Selection, Source, Status
from .crypto import EncryptedDecimalField

VALUE = {"max_digits": 20, "decimal_places": 4}


class Member(Versioned):
    """A member of an enterprise's manager layer (经理层成员); history is in the audit trail."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    post = models.CharField(_("post"), max_length=100)
    appointed_on = models.DateField(_("appointment date"))
    selection = models.CharField(_("selection"), max_length=20, choices=Selection.choices)
    tenure_start = models.DateField(_("tenure start"))
    tenure_end = models.DateField(_("tenure end"))
    is_active = models.BooleanField(_("in post"), default=True)
    left_on = models.DateField(_("left the post on"), null=True, blank=True)
    leave_reason = models.CharField(
        _("why the post was left"), max_length=20, choices=LeaveReason.choices, blank=True
    )
    leave_note = models.CharField(_("note on leaving"), max_length=300, blank=True)
    # The member's own user account: they read their own record (and nothing of others').
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="manager_record", verbose_name=_("user account"),
    )  # fmt: skip

    objects = ScopedQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["organisation__path", "name"]
        verbose_name = _("manager")
        verbose_name_plural = _("managers")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name", "post"], name="member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.post})"


class TenureContract(Versioned):
    """A tenure contract (任期经营业绩责任书), usually three years, scored by a rules library."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="tenures", verbose_name=_("manager")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    rules = models.CharField(_("rules"), max_length=40, default="CONTRACT-RULES")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "member__organisation__path"

    class Meta:
        ordering = ["member__organisation__path", "member__name", "start"]
        verbose_name = _("tenure contract")
        verbose_name_plural = _("tenure contracts")

    def __str__(self) -> str:
        return f"{self.member.name} {self.start.year}–{self.end.year}"

    @property
    def organisation(self):
        return self.member.organisation


class AnnualContract(Versioned):
    """The annual performance contract (年度经营业绩责任书) of a year of a tenure."""

    tenure = models.ForeignKey(
        TenureContract, on_delete=models.CASCADE, related_name="years",
        verbose_name=_("tenure contract"),
    )  # fmt: skip
    year = models.PositiveIntegerField(_("year"))
    pay_standard = EncryptedDecimalField(_("annual pay standard"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "tenure__member__organisation__path"

    class Meta:
        ordering = ["tenure__member__organisation__path", "tenure__member__name", "year"]
        verbose_name = _("annual contract")
        verbose_name_plural = _("annual contracts")
        constraints = [
            models.UniqueConstraint(fields=["tenure", "year"], name="annual_contract_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tenure.member.name} {self.year}"

    @property
    def organisation(self):
        return self.tenure.member.organisation


class IndicatorTerms(models.Model):
    """What an annual and a tenure indicator share: its weight and values, the scoring rule
    (a code of the contract rules library) and the actual value entered with evidence."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("indicator"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **VALUE)
    target = models.DecimalField(_("target"), **VALUE)
    challenge = models.DecimalField(_("challenge value"), null=True, blank=True, **VALUE)
    rule = models.CharField(_("scoring rule"), max_length=40)
    is_key = models.BooleanField(_("key target"), default=False)
    actual = models.DecimalField(_("actual"), null=True, blank=True, **VALUE)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ContractIndicator(IndicatorTerms):
    """One indicator of an annual contract: where its actual value comes from, its weight and
    values, and the scoring rule (a code of the tenure contract's rules library)."""

    contract = models.ForeignKey(
        AnnualContract, on_delete=models.CASCADE, related_name="indicators",
        verbose_name=_("annual contract"),
    )  # fmt: skip
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    kpi_code = models.CharField(_("KPI code"), max_length=40, blank=True)
    task = models.ForeignKey(
        "programs.LedgerTask", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("ledger task"),
    )  # fmt: skip

    objects = ScopedQuerySet.as_manager()
    scope_path = "contract__tenure__member__organisation__path"

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("contract indicator")
        verbose_name_plural = _("contract indicators")
        constraints = [
            models.UniqueConstraint(fields=["contract", "code"], name="contract_indicator_unique"),
        ]


class AnnualResult(Versioned):
    """The year's scored result: score, grade, coefficient, pay split, exit triggers met."""

    contract = models.OneToOneField(
        AnnualContract, on_delete=models.CASCADE, related_name="result",
        verbose_name=_("annual contract"),
    )  # fmt: skip
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=10)
    grade_label = models.CharField(_("grade name"), max_length=40)
    coefficient = models.DecimalField(
        _("performance-pay coefficient"), max_digits=6, decimal_places=4
    )
    key_completion = models.DecimalField(
        _("key-target completion (%)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    base_pay = EncryptedDecimalField(_("base pay"))
    performance_pay = EncryptedDecimalField(_("performance pay"))
    tenure_incentive = EncryptedDecimalField(_("tenure incentive"))
    points = models.JSONField(_("points"), default=dict)
    exits = models.JSONField(_("exit triggers"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "contract__tenure__member__organisation__path"

    class Meta:
        ordering = ["contract"]
        verbose_name = _("annual result")
        verbose_name_plural = _("annual results")

    def __str__(self) -> str:
        return str(self.contract)

    @property
    def organisation(self):
        return self.contract.organisation

    @property
    def exit_flag(self) -> bool:
        return bool(self.exits)

    @property
    def total_pay(self):
        return self.base_pay + self.performance_pay + self.tenure_incentive


class TenureIndicator(IndicatorTerms):
    """One of the tenure contract's own indicators (任期指标), a target over the whole tenure,
    scored by the same rules as an annual indicator; its actual value is entered with evidence
    at the end of the tenure."""

    tenure = models.ForeignKey(
        TenureContract, on_delete=models.CASCADE, related_name="indicators",
        verbose_name=_("tenure contract"),
    )  # fmt: skip

    objects = ScopedQuerySet.as_manager()
    scope_path = "tenure__member__organisation__path"

    class Meta:
        ordering = ["tenure", "order", "code"]
        verbose_name = _("tenure indicator")
        verbose_name_plural = _("tenure indicators")
        constraints = [
            models.UniqueConstraint(fields=["tenure", "code"], name="tenure_indicator_unique"),
        ]


class TenureResult(Versioned):
    """The tenure's scored result: the mean approved annual score and the tenure indicators'
    points weighted into a score and grade, and the tenure incentive paid out (任期激励)."""

    tenure = models.OneToOneField(
        TenureContract, on_delete=models.CASCADE, related_name="result",
        verbose_name=_("tenure contract"),
    )  # fmt: skip
    annual_score = models.DecimalField(_("mean annual score"), max_digits=7, decimal_places=2)
    indicator_score = models.DecimalField(
        _("tenure indicators' score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=10)
    grade_label = models.CharField(_("grade name"), max_length=40)
    incentive_share = models.DecimalField(_("incentive share"), max_digits=6, decimal_places=4)
    annual_pay = EncryptedDecimalField(_("annual pay over the tenure"))
    accrued = EncryptedDecimalField(_("tenure incentive accrued in the years"))
    incentive = EncryptedDecimalField(_("tenure incentive paid out"))
    capped = models.BooleanField(_("capped"), default=False)
    years = models.JSONField(_("annual scores"), default=list)
    points = models.JSONField(_("points"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "tenure__member__organisation__path"

    class Meta:
        ordering = ["tenure"]
        verbose_name = _("tenure result")
        verbose_name_plural = _("tenure results")

    def __str__(self) -> str:
        return str(self.tenure)

    @property
    def organisation(self):
        return self.tenure.organisation


class IncentivePlan(Versioned):
    """A medium/long-term incentive plan (中长期激励) of an organisation for a year: its kind,
    participants, the base its cap is measured on, the amount its conditions allow and what
    was paid; checked against the cap of its kind in the rules library."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    name = models.CharField(_("plan"), max_length=200)
    year = models.PositiveIntegerField(_("year"))
    participants = models.PositiveIntegerField(_("participants"))
    conditions = models.TextField(_("vesting or payout conditions"), blank=True)
    base_amount = models.DecimalField(_("cap base"), max_digits=20, decimal_places=2)
    allowed = EncryptedDecimalField(_("allowed by the conditions"))
    paid = EncryptedDecimalField(_("paid"))
    rules = models.CharField(_("rules"), max_length=40, default="CONTRACT-RULES")

    objects = ScopedQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["organisation__path", "-year", "name"]
        verbose_name = _("incentive plan")
        verbose_name_plural = _("incentive plans")

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class Workforce(Versioned):
    """Staff figures of an organisation for a year (能进能出): average headcount, staff who left
    by market-based exit (contract ended, not renewed, dismissed on assessment), new hires and
    how many of them were recruited openly. Entered by HR or the reform office."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    year = models.PositiveIntegerField(_("year"))
    headcount = models.PositiveIntegerField(_("average headcount"))
    market_exits = models.PositiveIntegerField(_("market-based exits of staff"))
    hires = models.PositiveIntegerField(_("new hires"))
    open_hires = models.PositiveIntegerField(_("new hires recruited openly"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["organisation__path", "-year"]
        verbose_name = _("staff figures")
        verbose_name_plural = _("staff figures")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="workforce_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class PayReadQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise TypeError("The pay-read log is append-only.")

    def delete(self):
        raise TypeError("The pay-read log is append-only.")


class PayRead(models.Model):
    """Who read whose pay, when and where: an append-only access log of pay pages, kept apart
    from the audit trail of data changes (reading changes no business data)."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("reader"),
    )  # fmt: skip
    reader_username = models.CharField(_("reader"), max_length=150)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="pay_reads",
        verbose_name=_("manager"),
    )  # fmt: skip
    page = models.CharField(_("page"), max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)

    objects = PayReadQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("pay read")
        verbose_name_plural = _("pay reads")

    def __str__(self) -> str:
        return f"{self.reader_username} {self.page} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The pay-read log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The pay-read log is append-only.")

    @property
    def page_label(self) -> str:
        from .choices import READ_PAGES

        return READ_PAGES.get(self.page, self.page)

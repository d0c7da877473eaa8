"""Choices of the contracts app: how a manager was selected, indicator sources, statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Selection(models.TextChoices):
    APPOINTED = "appointed", _("Appointed")
    MARKET = "market", _("Market-based selection")
    PROFESSIONAL = "professional", _("Professional manager")


class Source(models.TextChoices):
    KPI = "kpi", _("KPI library")
    LEDGER = "ledger", _("Ledger task")
    FREE = "free", _("Free target")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class PlanKind(models.TextChoices):
    SHARE_INCENTIVE = "share_incentive", _("Share incentives of a listed company")
    DIVIDEND_RIGHTS = "dividend_rights", _("Post or project dividend rights")
    EXCESS_PROFIT = "excess_profit", _("Excess-profit sharing")
    CO_INVESTMENT = "co_investment", _("Employee co-investment")


class LeaveReason(models.TextChoices):
    """Why a manager left the post (能上能下: the "down" side counted by the figures)."""

    DEMOTED = "demoted", _("Demoted or reassigned to a lower post")
    EXIT_TRIGGER = "exit_trigger", _("Removed by an exit trigger of the contract")
    ASSESSMENT = "assessment", _("Removed after an assessment or a disciplinary decision")
    RESIGNED = "resigned", _("Resigned")
    RETIRED = "retired", _("Retired")
    TRANSFERRED = "transferred", _("Transferred or promoted")


# Reasons counted as managers going "down" (能下) in the three-systems figures.
DOWN = (LeaveReason.DEMOTED, LeaveReason.EXIT_TRIGGER, LeaveReason.ASSESSMENT)


# Where a pay read happened (`PayRead.page`), as shown on the pay-read log.
READ_PAGES = {
    "member": _("Manager page"),
    "annual": _("Annual contract page"),
    "tenure": _("Tenure contract page"),
    "annual edit": _("Annual contract edit page"),
    "word": _("Word contract"),
    "figures": _("Three-systems figures"),
    "figures export": _("Three-systems figures in Excel"),
    "plan edit": _("Incentive plan edit page"),
    "api": _("REST API"),
}

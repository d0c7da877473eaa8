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

"""Choices of the KPI engine: statement basis and periods, units, directions, target checks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Basis(models.TextChoices):
    CONSOLIDATED = "consolidated", _("Consolidated")
    SINGLE = "single", _("Single entity")


class LineKind(models.TextChoices):
    MONEY = "money", _("Money")
    COUNT = "count", _("Count")


class LineNature(models.TextChoices):
    FLOW = "flow", _("Flow over the period")
    STOCK = "stock", _("Balance at a date")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    STABLE = "stable", _("Stable is better")


class Comparison(models.TextChoices):
    GREATER = "gt", _("Above")
    AT_LEAST = "gte", _("At least")
    AT_MOST = "lte", _("At most")
    BAND = "band", _("Within a band")


class TargetOrigin(models.TextChoices):
    ENTERED = "entered", _("Entered")
    DERIVED = "derived", _("Derived from a target shape")


class Check(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    ON_TRACK = "on_track", _("On track (year-to-date pace)")
    AT_RISK = "at_risk", _("At risk (year-to-date pace)")
    NO_TARGET = "no_target", _("No target")
    NOT_COMPUTABLE = "not_computable", _("Not computable")

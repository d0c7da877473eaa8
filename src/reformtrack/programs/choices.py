"""Enumerations of programmes and ledgers; labels are the words of a Chinese ledger."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    COVERAGE = "coverage", _("Coverage")
    INDICATOR = "indicator", _("Indicator")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Paused")


class Reporting(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")


class TargetMeasure(models.TextChoices):
    MAIN = "main", _("Main tasks")
    ALL = "all", _("All tasks")


class TargetBasis(models.TextChoices):
    COUNT = "count", _("Share of tasks done")
    WEIGHT = "weight", _("Weighted share done")


# What the pages call each basis: the same words as the roll-up tables (任务完成率 is "task
# completion rate" everywhere). The choice labels above stay as the migrations recorded them.
BASIS_LABELS = {
    TargetBasis.COUNT.value: _("Task completion rate"),
    TargetBasis.WEIGHT.value: _("Weighted share done"),
}


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")


class Origin(models.TextChoices):
    PUBLIC = "public", _("Public source")
    ILLUSTRATIVE = "illustrative", _("Illustrative")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Signal(models.TextChoices):
    """Red/amber/green against the target trajectory."""

    GREEN = "green", _("On track")
    AMBER = "amber", _("Slightly behind")
    RED = "red", _("Behind")
    NONE = "none", _("No target")


class PlanChangeState(models.TextChoices):
    """A plan change asked by an enterprise, decided by the approval chain up to whoever
    launched the programme."""

    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved and applied")
    RETURNED = "returned", _("Returned")

"""Enumerations of the assessments app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Method(models.TextChoices):
    CHECKLIST = "checklist", _("Checklist")
    BANDED = "banded", _("Banded value")
    YES_NO = "yes_no", _("Yes/no")
    MANUAL = "manual", _("Manual with guidance")


class ValueSource(models.TextChoices):
    NONE = "", _("Entered by hand")
    KPI = "kpi", _("KPI value")
    LEDGER_COVERAGE = "ledger_coverage", _("Ledger coverage rate")
    TASK_COMPLETION = "task_completion", _("Ledger task completion")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Open for self-assessment")
    REVIEW = "review", _("Under review")
    FINAL = "final", _("Finalised")
    PUBLISHED = "published", _("Published")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessing")
    SUBMITTED = "submitted", pgettext_lazy("assessment status", "Submitted")
    RETURNED = "returned", _("Returned for evidence")
    REVIEWED = "reviewed", pgettext_lazy("assessment status", "Reviewed")
    FINAL = "final", _("Final")
    PUBLISHED = "published", _("Published")


class Origin(models.TextChoices):
    PUBLIC = "public", _("Public source")
    ILLUSTRATIVE = "illustrative", _("Illustrative")

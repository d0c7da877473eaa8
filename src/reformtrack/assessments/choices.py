"""Enumerations of the assessments app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Method(models.TextChoices):
    CHECKLIST = "checklist", _("checklist")
    BANDED = "banded", _("banded value")
    YES_NO = "yes_no", _("yes/no")
    MANUAL = "manual", _("manual with guidance")


class ValueSource(models.TextChoices):
    NONE = "", _("entered by hand")
    KPI = "kpi", _("KPI value")
    LEDGER_COVERAGE = "ledger_coverage", _("ledger coverage rate")
    TASK_COMPLETION = "task_completion", _("ledger task completion")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("open for self-assessment")
    REVIEW = "review", _("under review")
    FINAL = "final", _("finalised")
    PUBLISHED = "published", _("published")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("self-assessing")
    SUBMITTED = "submitted", pgettext_lazy("assessment status", "submitted")
    RETURNED = "returned", _("returned for evidence")
    REVIEWED = "reviewed", _("reviewed")
    FINAL = "final", _("final")
    PUBLISHED = "published", _("published")


class Origin(models.TextChoices):
    PUBLIC = "public", _("public source")
    ILLUSTRATIVE = "illustrative", _("illustrative")

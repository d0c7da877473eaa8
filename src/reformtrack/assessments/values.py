"""Indicator values read from elsewhere in the platform, captured at submission so the score
can be re-derived later: a KPI, a ledger coverage rate, a ledger task's completion."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q

from reformtrack.kpis.selectors import kpi_value
from reformtrack.programs.choices import TaskStatus
from reformtrack.programs.models import LedgerTask

from .choices import ValueSource
from .models import Indicator


def coverage_rate(organisation, programme_code: str) -> Decimal | None:
    """Share (%) of the programme's ledger rows in the organisation's subtree that are done."""
    counts = LedgerTask.objects.filter(
        programme__code=programme_code, org_path__prefix=organisation.path, parent__isnull=True
    ).aggregate(total=Count("pk"), done=Count("pk", filter=Q(status=TaskStatus.DONE)))
    if not counts["total"]:
        return None
    return (Decimal(counts["done"]) * 100 / counts["total"]).quantize(Decimal("0.01"))


def task_completion(organisation, template_code: str) -> Decimal | None:
    """Percent done of the organisation's row launched from a task template."""
    task = LedgerTask.objects.filter(
        template__code=template_code, organisation=organisation, parent__isnull=True
    ).first()
    return None if task is None else task.percent


def capture(indicator: Indicator, organisation, year: int) -> tuple[Decimal | None, str]:
    """(value, where it came from) for an indicator that reads a value; (None, "") otherwise."""
    source, code = indicator.value_source, indicator.value_code
    if source == ValueSource.KPI:
        value = kpi_value(organisation=organisation, year=year, code=code)
    elif source == ValueSource.LEDGER_COVERAGE:
        value = coverage_rate(organisation, code)
    elif source == ValueSource.TASK_COMPLETION:
        value = task_completion(organisation, code)
    else:
        return None, ""
    return value, f"{source}:{code}"

"""Indicator values read from elsewhere in the platform, captured at submission so the score
can be re-derived later: a KPI, a ledger coverage rate, a ledger task's completion."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from reformtrack.kpis.models import Indicator as KpiIndicator
from reformtrack.kpis.selectors import kpi_value
from reformtrack.programs.choices import TaskStatus
from reformtrack.programs.models import LedgerTask, Programme, TaskTemplate

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


def _number(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _source_name(indicator: Indicator) -> tuple[str, str]:
    """(kind of source, its name) for an indicator that reads a platform value."""
    source, code = indicator.value_source, indicator.value_code
    if source == ValueSource.KPI:
        kpi = KpiIndicator.objects.filter(code=code).first()
        return _("From the KPI"), kpi.name if kpi else code
    if source == ValueSource.LEDGER_COVERAGE:
        programme = Programme.objects.filter(code=code).first()
        return _("From the ledger"), programme.name if programme else code
    template = TaskTemplate.objects.filter(code=code).first()
    return _("From the ledger task"), template.title if template else code


def describe(indicator: Indicator, value: Decimal | None, *, captured: bool = True) -> str:
    """Where a platform value comes from, in words (programme or KPI name, not its code), with
    the value; says so when none was found (then no points: missing, or entered by hand — never
    a silent 0). Not yet `captured`: the source only."""
    if not indicator.value_source:
        return ""
    kind, name = _source_name(indicator)
    if value is None:
        if not captured:
            return _("%(kind)s: %(name)s") % {"kind": kind, "name": name}
        return _("%(kind)s: %(name)s, no value in the platform") % {"kind": kind, "name": name}
    number = _number(value)
    if indicator.value_source == ValueSource.KPI:
        kpi = KpiIndicator.objects.filter(code=indicator.value_code).first()
        number += kpi.unit if kpi else ""
    elif indicator.value_source == ValueSource.LEDGER_COVERAGE:
        return _("%(kind)s: %(name)s, completion rate %(value)s%%") % {
            "kind": kind, "name": name, "value": number}  # fmt: skip
    else:
        number += "%"
    return _("%(kind)s: %(name)s, %(value)s") % {"kind": kind, "name": name, "value": number}

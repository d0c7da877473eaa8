"""What an approver of a progress report sees (core.approvals_display): every counted field of
the task before → after the report, the narrative, the evidence filed with the report, the
task's history and links to the task and the report. Reads only, through the selectors."""

from __future__ import annotations

import copy

from django.core.exceptions import ObjectDoesNotExist
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from reformtrack.core.approvals_display import Display
from reformtrack.core.selectors.audit import history_of
from reformtrack.core.templatetags.amounts import trimmed, with_unit

from .periods import period_label
from .selectors import ledger as selectors
from .services.tasks import normalise

HISTORY_SHOWN = 20


def _percent(value) -> str:
    return "—" if value is None else f"{number_format(value, decimal_pos=2)}%".replace(".00%", "%")


def _plain(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def _with_unit(value, unit: str) -> str:
    """5 级 / 5 levels: the number as written, its unit in the reader's language."""
    return "—" if value is None else with_unit(trimmed(value), unit)


def _counted_after(task, report):
    """The task as it would count once the report is applied (a copy: nothing is saved)."""
    after = copy.copy(task)
    after.status = report.status
    after.percent = report.percent
    after.progress = report.narrative
    if report.indicator_actual is not None:
        after.indicator_actual = report.indicator_actual
    reported_on = getattr(report, "completed_on", None)
    if reported_on is not None:
        after.completed_on = reported_on
    normalise(after)
    return after


def report_changes(task, report) -> list[dict]:
    """One row per counted field: label, before, after and whether it changes."""
    after = _counted_after(task, report)
    rows = [
        (_("Status"), task.get_status_display(), after.get_status_display()),
        (_("Progress"), _percent(task.percent), _percent(after.percent)),
        (_("Completed on"), _plain(task.completed_on), _plain(after.completed_on)),
        (_("Progress notes"), _plain(task.progress), _plain(after.progress)),
    ]
    if task.indicator_unit or report.indicator_actual is not None:
        rows.append(
            (
                _("Actual value"),
                _with_unit(task.indicator_actual, task.indicator_unit),
                _with_unit(after.indicator_actual, task.indicator_unit),
            )
        )
    return [
        {"label": label, "before": before, "after": new, "changed": before != new}
        for label, before, new in rows
    ]


def report_display(approval, user) -> Display | None:
    """The report under approval as its approver sees it (None: not visible to the user)."""
    try:
        report = selectors.report_page(user, int(approval.object_id))
    except (ObjectDoesNotExist, ValueError):
        return None
    task = selectors.task_page(user, report.task_id)
    evidence = list(selectors.evidence_of(user, task, report=report))
    return Display(
        "programs/approval_report.html",
        {
            "report": report,
            "task": task,
            "period": period_label(task.programme.reporting, report.period_end),
            "changes": report_changes(task, report),
            "evidence": evidence,
            "history": history_of(task)[:HISTORY_SHOWN],
        },
    )

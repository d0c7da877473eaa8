"""Reads of programmes, ledgers, reports and evidence for a user."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch
from django.utils import timezone

from reformtrack.core.compiled_sql import instance, instances
from reformtrack.core.compiled_sql import rows as compiled_rows
from reformtrack.core.models import ApprovalRequest
from reformtrack.core.scoping import Action, granted_paths
from reformtrack.orgs.selectors import organisations_for

from ..counting import overdue_q
from ..models import (
    Area,
    Evidence,
    EvidenceVersion,
    Launch,
    LedgerTask,
    Programme,
    ProgressReport,
    RollupSnapshot,
    TaskTemplate,
)


def programmes_for(user):
    return Programme.objects.visible_to(user, Action.VIEW)


def programme_by_code(user, code: str) -> Programme:
    """The programme, or Programme.DoesNotExist (a 404 in views). Every programme page reads
    it: its SQL (decided by the code and whether the user reads programmes at all) is
    compiled once and run fresh each time."""
    key = ("programme-by-code", code, bool(granted_paths(user, Action.VIEW)))
    found = instance(Programme, key, lambda: programmes_for(user).filter(code=code))
    if found is None:
        raise Programme.DoesNotExist("No such programme.")
    return found


def launches_of(user, programme: Programme):
    return (
        Launch.objects.visible_to(user).filter(programme=programme).select_related("organisation")
    )


def ledger(user, programme: Programme, root=None, action: str = Action.VIEW):
    """Ledger rows of a programme in the user's scope (optionally one subtree), in ledger order."""
    qs = LedgerTask.objects.filter(programme=programme)
    if user is not None:
        qs = qs.visible_to(user, action)
    if root is not None:
        qs = qs.filter(org_path__prefix=root.path)
    current = EvidenceVersion.objects.order_by("evidence", "-number")
    return (
        qs.select_related("area", "organisation", "parent")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.prefetch_related(Prefetch("versions", queryset=current)),
            )
        )
        .order_by("area__position", "code")
    )


def tasks_for(user, action: str = Action.VIEW):
    return LedgerTask.objects.visible_to(user, action)


def overdue_by_programme(user, today=None) -> list[tuple[Programme, int]]:
    """How many tasks in the user's scope are overdue, per programme (the home page)."""
    today = today or timezone.localdate()
    key = ("overdue-by-programme", today, tuple(granted_paths(user, Action.VIEW)))
    counts = dict(compiled_rows(key, lambda: _overdue_counts(user, today)))  # SQL: key only
    if not counts:
        return []
    key = ("overdue-programmes", tuple(granted_paths(user, Action.VIEW)), tuple(sorted(counts)))
    shown = instances(Programme, key, lambda: programmes_for(user).filter(pk__in=counts))
    return [(p, counts[p.pk]) for p in shown]  # SQL compiled once per key, run fresh


def _overdue_counts(user, today):
    rows = tasks_for(user).filter(overdue_q(today)).values("programme").annotate(n=Count("id"))
    return rows.order_by().values_list("programme", "n")


def task_detail(user, pk: int) -> LedgerTask:
    return (
        tasks_for(user)
        .select_related("programme", "area", "organisation", "parent", "template")
        .get(pk=pk)
    )


def reports_of(user, task: LedgerTask):
    return ProgressReport.objects.visible_to(user).filter(task=task).select_related("reported_by")


def reports_for(user, action: str = Action.VIEW):
    return ProgressReport.objects.visible_to(user, action).select_related("task", "reported_by")


def evidence_of(user, task: LedgerTask, report: ProgressReport | None = None):
    """The task's evidence (only that filed with `report`, when given), newest version first."""
    found = Evidence.objects.visible_to(user).filter(task=task)
    if report is not None:
        found = found.filter(report=report)
    return found.prefetch_related(
        Prefetch("versions", queryset=EvidenceVersion.objects.order_by("-number"))
    )


def evidence_version(user, pk: int) -> EvidenceVersion:
    return EvidenceVersion.objects.visible_to(user).select_related("evidence__task").get(pk=pk)


def snapshots_of(user, programme: Programme, organisation):
    """The closed periods' roll-ups of one organisation's subtree, oldest first."""
    qs = RollupSnapshot.objects.filter(programme=programme, organisation=organisation)
    if user is not None:
        qs = qs.visible_to(user)
    return qs.order_by("period_end")


# --- Pages of programmes and ledgers -----------------------------------------------------------


def programme_list(user) -> list[Programme]:
    """Programmes with `task_count`: how many ledger rows of each lie in the user's scope."""
    counts = dict(
        LedgerTask.objects.visible_to(user)
        .order_by()
        .values_list("programme")
        .annotate(n=Count("pk"))
    )
    programmes = list(programmes_for(user).select_related("library"))
    for programme in programmes:
        programme.task_count = counts.get(programme.pk, 0)
    return programmes


def programme_library(programme: Programme):
    """Areas with their library tasks, and the target steps, for the programme's page."""
    areas = Area.objects.filter(programme=programme).prefetch_related(
        Prefetch("templates", queryset=TaskTemplate.objects.order_by("position"))
    )
    return {"areas": list(areas), "targets": list(programme.targets.all())}


def managed_organisations(user):
    """Organisations the user may launch programmes to (`manage`)."""
    return organisations_for(user, Action.MANAGE).order_by("path")


def measure_organisations(user, task: LedgerTask):
    """Where a measure of the task may go: the task's organisation or one below it that the
    user may change."""
    return (
        organisations_for(user, Action.CHANGE)
        .filter(path__prefix=task.org_path, is_active=True)
        .order_by("path")
    )


def ledger_organisations(user):
    """The organisations a ledger can be narrowed to: those the user sees."""
    return organisations_for(user).order_by("path")


def measures_of(user, task: LedgerTask):
    return tasks_for(user).filter(parent=task).select_related("organisation").order_by("code")


def task_page(user, pk: int) -> LedgerTask:
    """A task the user sees, with what its page shows joined in (DoesNotExist otherwise)."""
    return (
        tasks_for(user)
        .select_related("programme", "area", "organisation", "parent", "template")
        .get(pk=pk)
    )


def report_page(user, pk: int) -> ProgressReport:
    return (
        ProgressReport.objects.visible_to(user)
        .select_related("task__programme", "task__organisation", "reported_by")
        .get(pk=pk)
    )


def report_of_period(user, task: LedgerTask, period_end):
    """The task's report for a period, if there is one the user sees."""
    return reports_of(user, task).filter(period_end=period_end).first()


def approvals_of_reports(reports) -> dict:
    """The latest approval request of each report, by report pk, in one query."""
    ids = [str(r.pk) for r in reports]
    if not ids:
        return {}
    found = {}
    ct = ContentType.objects.get_for_model(ProgressReport)
    requests = ApprovalRequest.objects.filter(content_type=ct, object_id__in=ids).order_by("pk")
    for request in requests.select_related("current_organisation"):
        found[int(request.object_id)] = request  # the latest wins
    return found


def approval_steps(request):
    if request is None:
        return []
    return request.steps.select_related("actor", "organisation").order_by("at", "pk")

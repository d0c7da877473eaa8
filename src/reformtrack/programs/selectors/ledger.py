"""Reads of programmes, ledgers, reports and evidence for a user."""

from __future__ import annotations

from django.db.models import Prefetch

from reformtrack.core.scoping import Action

from ..models import (
    Evidence,
    EvidenceVersion,
    Launch,
    LedgerTask,
    Programme,
    ProgressReport,
    RollupSnapshot,
)


def programmes_for(user):
    return Programme.objects.visible_to(user, Action.VIEW)


def programme_by_code(user, code: str) -> Programme:
    """The programme, or Programme.DoesNotExist (a 404 in views)."""
    return programmes_for(user).get(code=code)


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
        qs = qs.filter(org_path__startswith=root.path)
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


def evidence_of(user, task: LedgerTask):
    return (
        Evidence.objects.visible_to(user)
        .filter(task=task)
        .prefetch_related(
            Prefetch("versions", queryset=EvidenceVersion.objects.order_by("-number"))
        )
    )


def evidence_version(user, pk: int) -> EvidenceVersion:
    return EvidenceVersion.objects.visible_to(user).select_related("evidence__task").get(pk=pk)


def snapshots_of(user, programme: Programme, organisation):
    """The closed periods' roll-ups of one organisation's subtree, oldest first."""
    qs = RollupSnapshot.objects.filter(programme=programme, organisation=organisation)
    if user is not None:
        qs = qs.visible_to(user)
    return qs.order_by("period_end")

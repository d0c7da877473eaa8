"""Roll-ups read stored counts and short index scans, and still show what the ledger says:
coverage rates (kept per programme task by every write, a move and a rebuild) equal counting the
tasks, for the whole tree and for a user who sees only part of it; the overdue list, read one
status at a time, equals one ordered query over the subtree; a coverage task's status change
costs the same queries at any depth."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from types import SimpleNamespace

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from reformtrack.orgs import services as org_services
from reformtrack.programs.counting import overdue_q
from reformtrack.programs.models import CoverageTally, LedgerTask
from reformtrack.programs.selectors.dashboard import overdue_tasks
from reformtrack.programs.selectors.rollup import counted_tasks, coverage_rates, subtree_tally
from reformtrack.programs.services import tallies
from reformtrack.programs.services.tasks import seed_progress_as_system

TODAY = dt.date(2026, 1, 15)


def shown(user, programme, root) -> list[tuple]:
    return [(c.code, c.applicable, c.done) for c in coverage_rates(user, programme, root)]


def counted(user, programme, root) -> list[tuple]:
    """Coverage as counting the ledger rows would give it (what the stored counts replace)."""
    rows = (
        counted_tasks(user, programme, root)
        .filter(kind="coverage", template__isnull=False)
        .values("template__code")
        .annotate(n=Count("id"), done=Count("id", filter=Q(status="done")))
        .order_by("template__code")
    )
    return [(r["template__code"], r["n"], r["done"]) for r in rows]


def stored(programme) -> list[tuple]:
    fields = ["org_path", "template_id", "subtree", "applicable", "done"]
    return sorted(CoverageTally.objects.filter(programme=programme).values_list(*fields))


def same_everywhere(programme, tree, user=None) -> None:
    for code in ("SASAC", "GROUP-A", "A-SUB", "A-SUB2", "GROUP-B", "B-SUB"):
        assert shown(user, programme, tree[code]) == counted(user, programme, tree[code]), code


def test_coverage_follows_every_write(programme, tree, task_of):
    # M-1 is a coverage task of every subsidiary: A-SUB, A-SUB2 and B-SUB
    assert shown(None, programme, tree["SASAC"]) == [("M-1", 3, 0)]
    seed_progress_as_system(task=task_of("M-1", "A-SUB"), status="done")
    seed_progress_as_system(task=task_of("M-1", "A-SUB2"), status="done")
    assert shown(None, programme, tree["SASAC"]) == [("M-1", 3, 2)]
    assert shown(None, programme, tree["GROUP-A"]) == [("M-1", 2, 2)]
    assert shown(None, programme, tree["GROUP-B"]) == [("M-1", 1, 0)]
    seed_progress_as_system(task=task_of("M-1", "A-SUB"), status="in_progress", percent=40)
    task_of("M-1", "B-SUB").delete()
    assert shown(None, programme, tree["SASAC"]) == [("M-1", 2, 1)]
    assert shown(None, programme, tree["GROUP-B"]) == []  # no coverage row left: no line
    same_everywhere(programme, tree)
    kept = stored(programme)
    tallies.rebuild(programme)
    assert stored(programme) == kept


def test_coverage_moves_with_a_subtree(programme, tree, task_of):
    seed_progress_as_system(task=task_of("M-1", "A-SUB2"), status="done")
    org_services.move_organisation(
        user=None, organisation=tree["A-SUB"], new_parent=tree["GROUP-B"]
    )
    assert shown(None, programme, tree["GROUP-A"]) == []
    assert shown(None, programme, tree["GROUP-B"]) == [("M-1", 3, 1)]
    assert shown(None, programme, tree["SASAC"]) == [("M-1", 3, 1)]
    kept = stored(programme)
    tallies.rebuild(programme)
    assert stored(programme) == kept


def test_coverage_shows_only_what_the_reader_sees(programme, people, tree, task_of):
    seed_progress_as_system(task=task_of("M-1", "B-SUB"), status="done")
    # the supervisor sees the whole tree; group B's office only its group, even at the root
    assert shown(people["supervisor_admin"], programme, tree["SASAC"]) == [("M-1", 3, 1)]
    assert shown(people["outsider"], programme, tree["SASAC"]) == [("M-1", 1, 1)]
    assert shown(people["reform_office"], programme, tree["SASAC"]) == [("M-1", 2, 0)]
    assert shown(people["outsider"], programme, tree["GROUP-A"]) == []
    for role in ("supervisor_admin", "outsider", "reform_office", "contributor"):
        same_everywhere(programme, tree, people[role])
    assert shown(people["system"], programme, tree["SASAC"]) == []  # administrators: no data


def test_the_migration_fills_coverage_from_the_ledger(programme, tree, task_of):
    seed_progress_as_system(task=task_of("M-1", "A-SUB"), status="done")
    kept = stored(programme)
    CoverageTally.objects.all().delete()
    migration = import_module("reformtrack.programs.migrations.0012_rollup_counts")
    migration.fill_coverage(apps, SimpleNamespace(connection=connection))  # what it uses
    assert stored(programme) == kept


def test_overdue_list_equals_one_ordered_query(programme, people, tree, task_of):
    # reported overdue with a deadline still ahead, open past the deadline, done, paused
    seed_progress_as_system(task=task_of("M-1", "A-SUB"), status="overdue")
    seed_progress_as_system(task=task_of("M-1", "A-SUB"), deadline=dt.date(2030, 1, 1))
    seed_progress_as_system(task=task_of("M-2", "GROUP-A"), status="done")
    seed_progress_as_system(task=task_of("M-3", "GROUP-B"), status="paused")
    seed_progress_as_system(task=task_of("M-2", "GROUP-B"), status="in_progress", percent=10)
    for user in (None, people["supervisor_admin"], people["outsider"], people["reform_office"]):
        for root in ("SASAC", "GROUP-A", "A-SUB"):
            for limit in (1, 2, 20):
                expected = list(
                    counted_tasks(user, programme, tree[root])
                    .filter(overdue_q(TODAY))
                    .order_by("deadline", "code")[:limit]
                )
                got = overdue_tasks(user, programme, tree[root], TODAY, limit=limit)
                assert got == expected, (user, root, limit)
    everything = overdue_tasks(None, programme, tree["SASAC"], TODAY)
    codes = {t.code for t in everything}
    assert "M-1-A-SUB" in codes and "M-2-GROUP-B" in codes
    assert not codes & {"M-2-GROUP-A", "M-3-GROUP-B"}
    assert everything[-1].code == "M-1-A-SUB"  # its deadline is the furthest


def queries_of(task, status) -> int:
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        seed_progress_as_system(task=task, status=status)
    return len(captured.captured_queries)


def test_a_coverage_status_change_costs_the_same_queries_at_any_depth(programme, tree, task_of):
    shallow, deep = task_of("M-1", "A-SUB"), task_of("M-1", "A-SUB2")
    assert len(deep.org_path) > len(shallow.org_path)
    queries_of(shallow, "in_progress")  # warm-up
    queries_of(deep, "in_progress")
    assert queries_of(shallow, "done") == queries_of(deep, "done")
    assert LedgerTask.objects.filter(programme=programme, status="done").count() == 2
    assert shown(None, programme, tree["SASAC"]) == [("M-1", 3, 2)]


def ledger_stored(programme) -> list[tuple]:
    from reformtrack.programs.models import LedgerTally

    fields = ["org_path", "area_id", "subtree", *tallies.TALLY_FIELDS]
    return sorted(LedgerTally.objects.filter(programme=programme).values_list(*fields))


def test_overdue_marking_raises_every_count_above_as_a_rebuild_would(programme, tree, task_of):
    seed_progress_as_system(task=task_of("M-2", "GROUP-B"), status="in_progress", percent=30)
    for day in (dt.date(2021, 6, 1), dt.date(2022, 1, 15)):  # M-2 late, then M-1 too
        marked = tallies.mark_overdue(programme, day)
        assert marked
        kept = ledger_stored(programme)
        tallies.rebuild(programme)
        assert ledger_stored(programme) == kept
    late = LedgerTask.objects.filter(programme=programme, parent__isnull=True, status="overdue")
    assert subtree_tally(None, programme, tree["SASAC"]).overdue == late.count() == 5
    assert subtree_tally(None, programme, tree["GROUP-A"]).overdue == 3

"""The first read after a write, fourth round: the dashboard's overdue list is kept as the rows
the database gave and made into tasks only when drawn (its tables' cache key is a digest of
those rows), the digest walk takes plain values as they are, and more reads whose SQL a small
key decides are compiled once (the coverage tasks' names, the KPI overview's targets). Nothing
read is kept: an edit shows on the very next read, and the digests of the same data are the
same (a digest of other data never is)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import fields, is_dataclass
from decimal import Decimal

import pytest
from django.db.models import Model
from django.urls import reverse
from django.utils import translation

from reformtrack.kpis.models import KpiTarget
from reformtrack.kpis.selectors import overview
from reformtrack.kpis.services import derive_targets
from reformtrack.orgs.services import update_organisation
from reformtrack.programs import charts
from reformtrack.programs.models import Area, LedgerTask, TaskTemplate
from reformtrack.programs.selectors import dashboard as selectors
from reformtrack.programs.selectors.joined_rows import JoinedRows
from reformtrack.programs.selectors.rollup import coverage_rates
from reformtrack.programs.services.tallies import mark_overdue

from . import test_kpis_engine
from .test_kpis_engine import YEAR_LINES, enter
from .test_page_speed import dashboard, overdue_rows, shared_figures  # noqa: F401

kpisets = test_kpis_engine.kpisets  # the shipped libraries, loaded
TODAY = dt.date(2026, 1, 15)  # every deadline of MINI has passed


def former_digest(value) -> str:
    """`charts.digest_of` as it was before plain values were taken without a call each."""
    parts: list = []

    def walk(value) -> None:
        kind = type(value)
        if is_dataclass(kind):
            parts.append(kind.__name__)
            for item in fields(kind):
                walk(getattr(value, item.name))
        elif isinstance(value, Model):
            parts.append(value._meta.label)
            parts.extend(getattr(value, f.attname) for f in kind._meta.concrete_fields)
        elif isinstance(value, list | tuple):
            parts.append(len(value))
            for item in value:
                walk(item)
        else:
            parts.append(value)

    walk(value)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_figures_digest_reads_every_value_as_before(programme, tree, language):
    mark_overdue(programme, TODAY)
    with translation.override(language):
        for root in ("SASAC", "GROUP-A", "A-SUB"):
            board = selectors.dashboard(None, programme, tree[root], TODAY)
            parts = (translation.get_language(), board.summary, board.children, board.heatmap)
            parts += (board.trend, board.target_line)
            assert charts.figures_digest(board) == former_digest(parts)
            assert charts.digest_of(board.coverage) == former_digest(board.coverage)
            assert charts.digest_of(board.ancestors) == former_digest(board.ancestors)


def test_the_overdue_list_is_the_orms_and_made_only_when_looked_at(programme, tree):
    mark_overdue(programme, TODAY)
    board = selectors.dashboard(None, programme, tree["SASAC"], TODAY)
    overdue = board.overdue
    assert isinstance(overdue, JoinedRows) and len(overdue) and overdue._made is None
    charts.board_digest(board)  # the tables' key: from the rows as read
    assert overdue._made is None
    expected = list(
        LedgerTask.objects.filter(pk__in=[row[0] for row in overdue.rows])
        .select_related("organisation", "area")
        .order_by("deadline", "code")
    )
    assert overdue == expected and list(overdue) == expected and overdue[0] == expected[0]
    assert [t.organisation.name for t in overdue] == [t.organisation.name for t in expected]
    assert [t.area.name for t in overdue] == [t.area.name for t in expected]
    again = selectors.dashboard(None, programme, tree["SASAC"], TODAY)
    assert charts.board_digest(again) == charts.board_digest(board)  # same data, same key


def test_an_overdue_task_edited_renamed_or_moved_shows_in_the_tables_at_once(
    client_for,
    people,
    programme,
    tree,
    shared_figures,  # noqa: F811
):
    """The tables come from the shared cache under a digest of the overdue rows as read: a
    task's title, its organisation's and its area's names each change the key."""
    mark_overdue(programme, TODAY)
    client = client_for(people["supervisor_admin"])
    first = overdue_rows(dashboard(client, tree["GROUP-A"]))
    task = LedgerTask.objects.filter(programme=programme, code__startswith="M-2-GROUP-A").get()
    assert f'data-task="{task.code}"' in first
    LedgerTask.objects.filter(pk=task.pk).update(title="改过的任务名")
    assert "改过的任务名" in overdue_rows(dashboard(client, tree["GROUP-A"]))
    Area.objects.filter(pk=task.area_id).update(name_zh="改过的领域")
    assert "改过的领域" in overdue_rows(dashboard(client, tree["GROUP-A"]))
    update_organisation(user=None, organisation=tree["GROUP-A"], name_zh="甲集团（新名）")
    assert "甲集团（新名）" in overdue_rows(dashboard(client, tree["GROUP-A"]))
    LedgerTask.objects.filter(pk=task.pk).update(deadline=dt.date(2030, 1, 1), status="todo")
    assert f'data-task="{task.code}"' not in overdue_rows(dashboard(client, tree["GROUP-A"]))


def test_a_coverage_task_renamed_shows_at_once(programme, tree):
    first = coverage_rates(None, programme, tree["SASAC"])
    assert first
    template = TaskTemplate.objects.get(pk=first[0].template_id)
    TaskTemplate.objects.filter(pk=template.pk).update(
        title_zh="改过的覆盖任务", title_en="Renamed"
    )
    with translation.override("zh-hans"):
        assert coverage_rates(None, programme, tree["SASAC"])[0].title == "改过的覆盖任务"
    with translation.override("en"):
        assert coverage_rates(None, programme, tree["SASAC"])[0].title == "Renamed"


def test_a_kpi_target_changed_shows_on_the_overview_at_once(kpisets, tree, people, client_for):
    group = tree["GROUP-A"]
    enter(group, 2023)
    enter(group, 2024, dict(YEAR_LINES, total_profit=90))
    derive_targets(user=None, organisation=group, year=2024, shape="YLWD")
    _result, rows = overview(group, year=2024)
    shown = {row.code: row.target for row in rows}
    assert shown["TOTAL_PROFIT"]
    KpiTarget.objects.filter(organisation=group, year=2024, code="TOTAL_PROFIT").update(
        value=Decimal("123.4")
    )
    _result, rows = overview(group, year=2024)
    assert "123.4" in {row.code: row.target for row in rows}["TOTAL_PROFIT"]
    KpiTarget.objects.filter(organisation=group, year=2024, code="TOTAL_PROFIT").delete()
    _result, rows = overview(group, year=2024)
    assert {row.code: row.target for row in rows}["TOTAL_PROFIT"] == ""
    page = client_for(people["viewer"]).get(
        reverse("kpis:overview", args=[group.pk]) + "?year=2024"
    )
    assert 'data-testid="check-TOTAL_PROFIT">' in page.content.decode()

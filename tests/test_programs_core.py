"""Programmes as data, launches down the tree, roll-ups, approvals of progress, periods,
reminders: the programs app's services and selectors as a reform office meets them."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from reformtrack.core.libraries import LibraryError, install_library
from reformtrack.core.models import Library, Notification
from reformtrack.core.selectors.approvals import approval_of
from reformtrack.core.services import approvals
from reformtrack.orgs import services as org_services
from reformtrack.orgs.models import Designation, DesignationKind
from reformtrack.programs.models import LedgerTask, Programme, RollupSnapshot
from reformtrack.programs.selectors.rollup import (
    coverage_rates,
    headline_trajectory,
    signal,
    subtree_tally,
    tally_by_area,
    tally_by_child,
)
from reformtrack.programs.services import reports, tasks
from reformtrack.programs.services.periods import close_period
from reformtrack.programs.services.programmes import launch_by_designation, launch_programme
from reformtrack.programs.services.reminders import remind_due, weekly_summary
from reformtrack.programs.services.tallies import mark_overdue

from .conftest import DATA

MINI = (DATA / "mini-programme.yaml").read_text(encoding="utf-8")
TODAY = dt.date(2026, 11, 23)


def done(task):
    return tasks.seed_progress_as_system(task=task, status="done")


# --- Libraries --------------------------------------------------------------------------


def test_library_loads_areas_tasks_and_targets(db):
    library, outcome = install_library(MINI)
    assert (library.code, library.version, outcome) == ("MINI", 1, "created")
    mini = Programme.objects.get(code="MINI")
    assert [a.code for a in mini.areas.all()] == ["A1"]
    assert {t.code: t.kind for t in mini.templates.all()} == {
        "M-1": "coverage", "M-2": "one_off", "M-3": "indicator",
    }  # fmt: skip
    assert [(s.due.isoformat(), s.percent) for s in mini.targets.all()] == [
        ("2021-12-31", Decimal(70)),
        ("2022-06-30", Decimal(95)),
    ]


def test_loading_the_same_file_again_changes_nothing(db):
    install_library(MINI)
    assert install_library(MINI)[1] == "unchanged"
    assert Library.objects.count() == 1


def test_a_changed_library_needs_a_higher_version(db):
    install_library(MINI)
    changed = MINI.replace("name_zh: 小程序", "name_zh: 小程序（修订）")
    with pytest.raises(LibraryError) as info:
        install_library(changed)
    assert info.value.errors[0]["field"] == "library.version"
    _library, outcome = install_library(changed.replace("version: 1", "version: 2"))
    assert outcome == "updated"
    assert Programme.objects.get(code="MINI").name_zh == "小程序（修订）"


def test_an_invalid_library_is_refused_whole_with_every_error_and_its_line(db):
    bad = (
        MINI.replace("kind: one_off", "kind: oneoff")
        .replace("percent: 95", "percent: 50")
        .replace("title_en: Boards", "title_en: Boards\n          colour: red")
    )
    with pytest.raises(LibraryError) as info:
        install_library(bad)
    errors = {e["field"]: e for e in info.value.errors}
    assert errors["programme.areas.0.tasks.1.kind"]["line"] == 31
    assert errors["programme.targets.0.steps"]["line"] == 12
    assert errors["programme.areas.0.tasks.0.colour"]["line"] == 23
    assert not Programme.objects.exists() and not Library.objects.exists()


def test_broken_yaml_names_its_line(db):
    with pytest.raises(LibraryError) as info:
        install_library("library:\n  code: X\n  name_zh: [unclosed\n")
    assert info.value.errors[0]["line"] is not None


def test_library_command_loads_and_lists(db, tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    out = StringIO()
    call_command("library", "load", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())[0]["outcome"] == "created"
    out = StringIO()
    call_command("library", "list", "--json", stdout=out)
    assert json.loads(out.getvalue())[0]["code"] == "MINI"
    (tmp_path / "bad.yaml").write_text(MINI.replace("version: 1", "version: zero"), "utf-8")
    with pytest.raises(CommandError):
        call_command("library", "load", str(tmp_path / "bad.yaml"), stdout=StringIO())


def test_every_shipped_library_loads(db):
    out = StringIO()
    call_command("library", "load", "shipped", "--json", stdout=out)
    results = json.loads(out.getvalue())
    assert all(r["outcome"] == "created" for r in results), results
    kinds = {row.kind for row in Library.objects.all()}
    assert {"programme", "ruleset", "kpiset"} <= kinds  # every app's shipped libraries
    assert not any("lexicons" in r.get("file", "") for r in results)  # plain data, not libraries


# --- Launch -----------------------------------------------------------------------------


def test_launch_gives_coverage_tasks_to_every_subsidiary_and_one_offs_to_groups(programme):
    codes = set(LedgerTask.objects.values_list("code", flat=True))
    assert {"M-1-A-SUB", "M-1-A-SUB2", "M-1-B-SUB"} <= codes
    assert {"M-2-GROUP-A", "M-2-GROUP-B", "M-3-GROUP-A"} <= codes
    assert "M-1-GROUP-A" not in codes and "M-2-A-SUB" not in codes


def test_launching_again_adds_only_what_is_new(programme, tree):
    org_services.create_organisation(
        user=None, parent=tree["GROUP-B"], code="B-NEW", name_zh="乙新公司", kind="subsidiary"
    )
    result = launch_programme(user=None, programme=programme, organisation=tree["SASAC"])
    assert result["created"] == 1
    assert LedgerTask.objects.filter(code="M-1-B-NEW").exists()


def test_launch_needs_manage_rights(programme, tree, people):
    with pytest.raises(PermissionDenied):
        launch_programme(
            user=people["reform_office"], programme=programme, organisation=tree["GROUP-A"]
        )


def test_launch_by_designation(tree, db):
    install_library(MINI)
    mini = Programme.objects.get(code="MINI")
    kind = DesignationKind.objects.get(code="DOUBLE_HUNDRED")
    Designation.objects.create(organisation=tree["A-SUB"], kind=kind, valid_from="2020-01-01")
    result = launch_by_designation(user=None, programme=mini, designation="DOUBLE_HUNDRED")
    assert result["launches"] == 1
    assert set(LedgerTask.objects.values_list("organisation__code", flat=True)) == {
        "A-SUB", "A-SUB2",
    }  # fmt: skip


# --- Roll-ups ---------------------------------------------------------------------------


def test_rollup_counts_by_child_area_and_coverage(programme, tree, task_of):
    done(task_of("M-1", "A-SUB"))
    done(task_of("M-2", "GROUP-A"))
    tasks.seed_progress_as_system(task=task_of("M-1", "A-SUB2"), status="in_progress", percent=50)
    sasac = tree["SASAC"]
    mark_overdue(programme, TODAY)  # the daily job: open tasks past their deadline
    total = subtree_tally(None, programme, sasac, TODAY)
    assert (total.tasks, total.done, total.main_tasks, total.main_done) == (7, 2, 5, 2)
    assert total.rate == Decimal("28.6") and total.main_rate == Decimal("40.0")
    # 任务完成率 and overall progress differ: partial progress counts in the latter only.
    assert total.progress == Decimal("35.7")
    assert total.overdue == 5
    children = tally_by_child(None, programme, sasac, TODAY)
    assert children[tree["GROUP-A"].path].tasks == 4
    assert children[tree["GROUP-B"].path].done == 0
    assert sum(t.tasks for t in tally_by_area(None, programme, sasac, TODAY).values()) == 7
    coverage = coverage_rates(None, programme, tree["GROUP-A"])
    assert [(c.code, c.applicable, c.done, c.rate) for c in coverage] == [
        ("M-1", 2, 1, Decimal("50.0"))
    ]


def test_rollup_is_scoped(programme, tree, people, task_of):
    done(task_of("M-1", "B-SUB"))
    seen = subtree_tally(people["reform_office"], programme, tree["SASAC"], TODAY)
    assert (seen.tasks, seen.done) == (4, 0)


def test_signal_against_the_target_trajectory(programme, tree, task_of):
    trajectory = headline_trajectory(programme)
    group_a = tree["GROUP-A"]
    assert trajectory.expected(programme, dt.date(2021, 12, 31)) == Decimal(70)
    assert trajectory.expected(programme, TODAY) == Decimal(95)
    tally = subtree_tally(None, programme, group_a, TODAY)
    assert signal(tally, programme, trajectory, TODAY) == "red"
    for code, org in (("M-1", "A-SUB"), ("M-1", "A-SUB2"), ("M-2", "GROUP-A")):
        done(task_of(code, org))
    tally = subtree_tally(None, programme, group_a, TODAY)
    assert signal(tally, programme, trajectory, TODAY) == "green"


def test_indicator_progress_follows_the_actual_value(programme, task_of):
    task = tasks.seed_progress_as_system(task=task_of("M-3", "GROUP-A"), indicator_actual=45)
    assert (task.status, task.percent) == ("not_started", Decimal(0)) or task.percent == 50
    task = tasks.seed_progress_as_system(
        task=task, status="in_progress", indicator_actual=Decimal(45)
    )
    assert task.percent == Decimal("50.00")
    task = tasks.seed_progress_as_system(task=task, indicator_actual=Decimal(91))
    assert task.status == "done"


def test_measures_roll_into_their_task(programme, tree, people, task_of):
    parent = task_of("M-2", "GROUP-A")
    office = people["reform_office"]
    first = tasks.add_measure(
        user=office, task=parent, organisation=tree["A-SUB"], code="m-2-a-1", measure="制定方案"
    )
    second = tasks.add_measure(
        user=office, task=parent, organisation=tree["A-SUB2"], code="M-2-A-2", measure="印发"
    )
    assert first.code == "M-2-A-1"
    tasks.seed_progress_as_system(task=first, status="done")
    parent.refresh_from_db()
    assert (parent.status, parent.percent) == ("in_progress", Decimal("50.00"))
    tasks.seed_progress_as_system(task=second, status="done")
    parent.refresh_from_db()
    assert parent.status == "done"
    # measures are not counted twice: the group still has 4 counted tasks
    assert subtree_tally(None, programme, tree["GROUP-A"], TODAY).tasks == 4


def test_a_measure_outside_the_tasks_subtree_is_refused(programme, tree, people, task_of):
    with pytest.raises((PermissionDenied, ValidationError)):
        tasks.add_measure(
            user=people["supervisor_admin"], task=task_of("M-2", "GROUP-A"),
            organisation=tree["B-SUB"], code="X-1",
        )  # fmt: skip


# --- Progress reports and approvals -----------------------------------------------------


def test_progress_counts_only_once_approved(programme, tree, people, task_of, make_user):
    task = task_of("M-1", "A-SUB")
    report = reports.save_report(
        user=people["contributor"], task=task, status="done", percent=100, narrative="已完成"
    )
    reports.submit_report(user=people["contributor"], report=report)
    task.refresh_from_db()
    assert task.status == "not_started"
    request = approval_of(report)
    sub_office = make_user("office_sub", role="reform_office", org=tree["A-SUB"])
    for user in (sub_office, people["reform_office"], people["supervisor_admin"]):
        request = approvals.decide(request=request, user=user, approve=True)
    task.refresh_from_db()
    report.refresh_from_db()
    assert (report.state, task.status, task.progress) == ("approved", "done", "已完成")


def test_a_returned_report_is_edited_and_submitted_again(programme, people, task_of):
    task = task_of("M-1", "A-SUB")
    report = reports.save_report(user=people["contributor"], task=task, status="done", percent=100)
    reports.submit_report(user=people["contributor"], report=report)
    with pytest.raises(ValidationError, match="state"):
        reports.save_report(user=people["contributor"], task=task, status="in_progress", percent=1)
    approvals.decide(
        request=approval_of(report), user=people["reform_office"], approve=False, comment="补材料"
    )
    report.refresh_from_db()
    assert report.state == "returned"
    again = reports.save_report(
        user=people["contributor"], task=task, status="in_progress", percent=40
    )
    assert again.pk == report.pk
    reports.submit_report(user=people["contributor"], report=again)
    again.refresh_from_db()
    assert again.state == "submitted"


def test_programmes_may_count_unapproved_progress(programme, people, task_of):
    Programme.objects.filter(pk=programme.pk).update(count_only_approved=False)
    task = task_of("M-1", "A-SUB")
    report = reports.save_report(user=people["contributor"], task=task, status="done", percent=100)
    reports.submit_report(user=people["contributor"], report=report)
    task.refresh_from_db()
    assert task.status == "done"


def test_a_contributor_reports_only_on_its_own_subtree(programme, people, task_of):
    with pytest.raises(PermissionDenied):
        reports.save_report(
            user=people["contributor"], task=task_of("M-2", "GROUP-A"), status="done", percent=100
        )


# --- Tree moves, periods, reminders -------------------------------------------------------


def test_moving_an_organisation_takes_its_ledger_rows_along(programme, tree, task_of):
    org_services.move_organisation(
        user=None, organisation=tree["A-SUB"], new_parent=tree["GROUP-B"]
    )
    tree["A-SUB"].refresh_from_db()
    assert task_of("M-1", "A-SUB").org_path == tree["A-SUB"].path
    assert task_of("M-1", "A-SUB2").org_path.startswith(tree["A-SUB"].path)
    assert subtree_tally(None, programme, tree["GROUP-B"], TODAY).tasks == 5


def test_closing_a_period_keeps_each_subtree_as_it_stood(programme, tree, task_of):
    done(task_of("M-1", "A-SUB"))
    LedgerTask.objects.filter(code="M-1-A-SUB").update(completed_on=dt.date(2021, 5, 10))
    done(task_of("M-2", "GROUP-A"))
    LedgerTask.objects.filter(code="M-2-GROUP-A").update(completed_on=dt.date(2021, 8, 1))
    close_period(user=None, programme=programme, day=dt.date(2021, 6, 15))
    close_period(user=None, programme=programme, day=dt.date(2021, 9, 1))
    group_a = RollupSnapshot.objects.filter(organisation=tree["GROUP-A"]).order_by("period_end")
    assert [(s.period_end.isoformat(), s.done, s.tasks) for s in group_a] == [
        ("2021-06-30", 1, 4),
        ("2021-09-30", 2, 4),
    ]
    assert (
        RollupSnapshot.objects.get(organisation=tree["SASAC"], period_end="2021-09-30").tasks == 7
    )


def test_closing_a_period_is_for_supervisor_administrators(programme, people):
    with pytest.raises(PermissionDenied):
        close_period(user=people["reform_office"], programme=programme, day=TODAY)


def test_reminders_reach_the_nearest_reporting_users_once_a_day(programme, people):
    people["contributor"].email = "contrib@example.cn"
    people["contributor"].save()
    first = remind_due(days=7, today=TODAY)
    assert first["sent"] >= 2
    notice = Notification.objects.get(user=people["contributor"], kind="ledger_due")
    assert "M-1-A-SUB" in notice.body and "M-2-GROUP-A" not in notice.body
    assert any(m.to == ["contrib@example.cn"] for m in mail.outbox)
    assert remind_due(days=7, today=TODAY)["sent"] == 0


def test_weekly_summary_goes_to_reform_offices(programme, people):
    result = weekly_summary(today=TODAY)
    assert result["sent"] == 2
    notice = Notification.objects.get(user=people["reform_office"], kind="ledger_weekly")
    assert "0 of 4" in notice.body or "4" in notice.body


def test_remind_and_rollup_commands_print_json(programme, tree):
    out = StringIO()
    call_command("remind", "--json", "--weekly", stdout=out)
    assert set(json.loads(out.getvalue())) == {"overdue", "due", "weekly"}
    out = StringIO()
    call_command("rollup", "show", "--program", "MINI", "--org", "SASAC", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"]["tasks"] == 7 and len(data["children"]) == 2
    out = StringIO()
    call_command(
        "rollup", "close", "--program", "MINI", "--period", "2021-06", "--json", stdout=out
    )
    assert json.loads(out.getvalue())["snapshots"] >= 5
    with pytest.raises(CommandError):
        call_command("rollup", "close", "--program", "MINI", "--period", "June", stdout=StringIO())


# --- Stored tallies -----------------------------------------------------------------------


def counted_directly(programme, root):
    """The roll-up recomputed from the task rows themselves, for comparison with the tallies."""
    from reformtrack.programs.counting import aggregates, tally_of

    rows = LedgerTask.objects.filter(
        programme=programme, parent__isnull=True, org_path__startswith=root.path
    )
    return tally_of(rows.aggregate(**aggregates(None))).as_dict()


def test_tallies_follow_every_kind_of_ledger_write(programme, tree, people, task_of):
    office = people["reform_office"]
    done(task_of("M-1", "A-SUB"))
    tasks.add_measure(user=office, task=task_of("M-2", "GROUP-A"), organisation=tree["A-SUB"],
                      code="M-2-A-1")  # fmt: skip
    report = reports.save_report(
        user=people["contributor"], task=task_of("M-1", "A-SUB2"), status="done", percent=100
    )
    Programme.objects.filter(pk=programme.pk).update(count_only_approved=False)
    report.task.programme.refresh_from_db()
    reports.submit_report(user=people["contributor"], report=report)
    org_services.create_organisation(
        user=None, parent=tree["GROUP-B"], code="B-NEW", name_zh="乙新", kind="subsidiary"
    )
    launch_programme(user=None, programme=programme, organisation=tree["SASAC"])
    org_services.move_organisation(
        user=None, organisation=tree["A-SUB"], new_parent=tree["GROUP-B"]
    )
    LedgerTask.objects.get(code="M-1-B-SUB").delete()
    for code in ("SASAC", "GROUP-A", "GROUP-B", "A-SUB"):
        root = tree[code]
        root.refresh_from_db()
        assert subtree_tally(None, programme, root, TODAY).as_dict() == counted_directly(
            programme, root
        ), code


def test_open_tasks_past_their_deadline_are_marked_overdue_by_the_daily_job(
    programme, tree, task_of
):
    from reformtrack.core.models import AuditRecord
    from reformtrack.programs.services.tallies import mark_all_overdue

    assert task_of("M-1", "A-SUB").status == "not_started"
    version = task_of("M-1", "A-SUB").version
    # Reading a roll-up writes nothing: the tally counts the tasks marked so far.
    assert subtree_tally(None, programme, tree["SASAC"], TODAY).overdue == 0
    assert task_of("M-1", "A-SUB").status == "not_started"
    assert not AuditRecord.objects.filter(object_type="programs.programme").exists()
    # The daily job (`reformtrack remind`) marks them, set-based, as the system.
    assert mark_all_overdue(today=TODAY.isoformat())["marked"] == 7
    assert subtree_tally(None, programme, tree["SASAC"], TODAY).overdue == 7
    assert task_of("M-1", "A-SUB").status == "overdue"
    assert task_of("M-1", "A-SUB").version == version + 1  # a form opened before is stale
    record = AuditRecord.objects.get(object_type="programs.programme")
    assert record.actor_id is None and record.changes["overdue_marked"]["after"] == 7
    assert mark_all_overdue(today=TODAY.isoformat())["marked"] == 0
    assert AuditRecord.objects.filter(object_type="programs.programme").count() == 1


def test_add_task_creates_a_counted_one_off_row(programme, tree):
    from reformtrack.programs.services.tasks import add_task

    area = programme.areas.first()
    before = subtree_tally(None, programme, tree["GROUP-A"]).tasks
    task = add_task(
        user=None, programme=programme, area=area, organisation=tree["A-SUB"],
        code="rect-1", title="整改：董事会建设", deadline=dt.date(2022, 12, 31), owner="张三",
    )  # fmt: skip
    assert task.code == "RECT-1" and task.kind == "one_off" and task.owner == "张三"
    assert subtree_tally(None, programme, tree["GROUP-A"]).tasks == before + 1
    with pytest.raises(ValidationError):
        add_task(
            user=None, programme=programme, area=area, organisation=tree["A-SUB"],
            code="RECT-1", title="again", deadline=dt.date(2022, 12, 31),
        )  # fmt: skip

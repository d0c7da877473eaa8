"""Demo ledgers: the shipped programme libraries, the Three-Year Action launched to the demo
groups with tasks in every state, coverage rates like those the source articles report, reports
in the approval flow, one evidence file, and closed quarters for the trend line.

Statuses come from a random generator seeded by each task's code, so loading twice changes
nothing and every machine shows the same demo.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from reformtrack.core.demo import register
from reformtrack.core.libraries import install_library
from reformtrack.core.models.approvals import ApprovalStatus
from reformtrack.core.selectors.approvals import approval_of
from reformtrack.core.services import approvals
from reformtrack.orgs.models import Organisation

from .choices import ReportState, TaskKind, TaskStatus
from .models import LedgerTask, Programme, ProgressReport
from .services import evidence as evidence_services
from .services import reports as report_services
from .services import tallies
from .services.periods import close_period
from .services.programmes import launch_programme
from .services.tasks import normalise

LAUNCHES = {
    "TYA": ["SINOCHEM", "CRRC", "CECEP", "ANSTEEL", "DEC", "CFHI", "FAW"],
    "DUA": ["SINOCHEM", "JSCH", "XCMG"],
}
# Share of tasks done per group in the Three-Year Action (the rest spread over the other states).
DONE_SHARE = {"SINOCHEM": 0.86, "CRRC": 0.9, "CECEP": 0.7, "ANSTEEL": 0.78, "DEC": 0.82,
              "CFHI": 0.6, "FAW": 0.74, "JSCH": 0.75, "XCMG": 0.8}  # fmt: skip
OTHER_STATES = [TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED,
                TaskStatus.OVERDUE, TaskStatus.PAUSED]  # fmt: skip
OWNERS = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"]
DEPARTMENTS = ["深化改革办公室", "人力资源部", "战略规划部", "财务部", "法律合规部", "党委办公室"]
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _load_libraries() -> dict:
    outcomes = {}
    for path in sorted((settings.REFORMTRACK_LIBRARY_DIR / "programmes").glob("*.yaml")):
        library, outcome = install_library(path.read_text(encoding="utf-8"), origin=path.name)
        outcomes[library.code] = outcome
    return outcomes


def _group_of(task: LedgerTask, groups: dict[str, str]) -> str:
    return groups.get(task.org_path[: 2 * Organisation.steplen], "")


def _fill(programme: Programme, groups: dict[str, str]) -> int:
    """Give untouched rows a state, an owner and progress text; touched rows stay as they are."""
    changed = []
    untouched = LedgerTask.objects.filter(
        programme=programme, status=TaskStatus.NOT_STARTED, progress=""
    )
    for task in untouched:
        rng = random.Random(task.code)
        share = DONE_SHARE.get(_group_of(task, groups), 0.75)
        if task.kind == TaskKind.COVERAGE and task.organisation.code == "SINOCHEM-ENV":
            share = 0.0  # one laggard subsidiary, so coverage rates read like the articles'
        status = TaskStatus.DONE if rng.random() < share else rng.choice(OTHER_STATES)
        if status == TaskStatus.NOT_STARTED:
            continue
        task.status = status
        task.percent = Decimal(rng.choice([20, 35, 50, 65, 80])) if status != "done" else 0
        task.owner = rng.choice(OWNERS)
        task.department = rng.choice(DEPARTMENTS)
        task.progress = {
            TaskStatus.DONE: "已按期完成，成果材料已归档。",
            TaskStatus.IN_PROGRESS: "正在推进，已完成阶段性工作。",
            TaskStatus.OVERDUE: "受外部因素影响未能按期完成，已制定整改计划。",
            TaskStatus.PAUSED: "根据上级部署暂缓实施。",
        }[status]
        if task.kind == TaskKind.INDICATOR and task.indicator_target:
            factor = Decimal(rng.choice([80, 95, 105, 110])) / 100
            task.indicator_actual = (task.indicator_target * factor).quantize(Decimal("0.01"))
        if status == TaskStatus.DONE:
            span = max((task.deadline - programme.period_start).days, 30)
            task.completed_on = programme.period_start + dt.timedelta(
                days=int(span * (0.5 + rng.random() * 0.5))
            )
        normalise(task)
        changed.append(task)
    LedgerTask.objects.bulk_update(
        changed,
        ["status", "percent", "owner", "department", "progress", "indicator_actual",
         "completed_on"],
        batch_size=500,
    )  # fmt: skip
    tallies.refresh((programme.pk, task.organisation_id) for task in changed)
    return len(changed)


def _reports(programme: Programme) -> None:
    """A report waiting for approval, an approved one and a returned one; one evidence file."""
    User = get_user_model()
    contributor = User.objects.get(username="haohua_contributor")
    office = User.objects.get(username="sinochem_office")
    haohua_office = User.objects.get(username="haohua_office")
    supervisor = User.objects.get(username="sasac_admin")
    tasks = list(
        LedgerTask.objects.filter(programme=programme, organisation__code="HAOHUA")
        .exclude(status=TaskStatus.DONE)
        .order_by("code")[:3]
    )
    if len(tasks) < 3 or ProgressReport.objects.filter(task__in=tasks).exists():
        return
    period = programme.period_end
    waiting, approved, returned = tasks
    report = report_services.save_report(
        user=contributor, task=waiting, period_end=period, status=TaskStatus.DONE,
        percent=Decimal(100), narrative="已完成，相关制度已印发。",
    )  # fmt: skip
    evidence_services.add_evidence(
        user=contributor,
        task=waiting,
        upload=SimpleUploadedFile("制度印发文件.pdf", MINIMAL_PDF, "application/pdf"),
        report=report,
    )  # filed with the report before it goes for approval
    report_services.submit_report(user=contributor, report=report)
    for task, approve in ((approved, True), (returned, False)):
        report = report_services.save_report(
            user=contributor, task=task, period_end=period, status=TaskStatus.IN_PROGRESS,
            percent=Decimal(60), narrative="按计划推进，已完成方案起草。",
        )  # fmt: skip
        report_services.submit_report(user=contributor, report=report)
        request = approval_of(report)
        if not approve:
            approvals.decide(
                request=request,
                user=haohua_office,
                approve=False,
                comment="请补充佐证材料后重新提交。",
            )
            continue
        while request.status == ApprovalStatus.PENDING:  # each level by its own office
            deciders = (haohua_office, office, supervisor)
            decider = next(u for u in deciders if approvals.may_decide(u, request))
            request = approvals.decide(request=request, user=decider, approve=True)
    assert ProgressReport.objects.filter(state=ReportState.RETURNED).exists()


def _close_quarters(programme: Programme) -> int:
    """Closed quarters from the start to the end of the programme: the trend line."""
    if programme.periods.exists():
        return 0
    count = 0
    day = programme.period_start
    while day <= programme.period_end:
        quarter_end = dt.date(day.year, ((day.month - 1) // 3 + 1) * 3, 1)
        close_period(user=None, programme=programme, day=quarter_end)
        count += 1
        day = dt.date(day.year + (quarter_end.month == 12), quarter_end.month % 12 + 1, 1)
    return count


@register(20, "programs")
def load(stdout=None) -> dict:
    libraries = _load_libraries()
    groups = dict(Organisation.objects.filter(kind="group").values_list("path", "code"))
    summary = {"libraries": libraries, "launched": {}, "filled": {}}
    for code, targets in LAUNCHES.items():
        programme = Programme.objects.filter(code=code).first()
        if programme is None:
            continue
        created = 0
        for org in Organisation.objects.filter(code__in=targets):
            created += launch_programme(user=None, programme=programme, organisation=org)["created"]
        summary["launched"][code] = created
        summary["filled"][code] = _fill(programme, groups)
        tallies.mark_overdue(programme)  # what the daily "overdue" job would have done
    tya = Programme.objects.filter(code="TYA").first()
    if tya is not None:
        _reports(tya)
        summary["closed_periods"] = _close_quarters(tya)
    if stdout is not None:
        stdout.write(
            "Demo ledgers: "
            + ", ".join(f"{code} {n} tasks" for code, n in summary["launched"].items())
        )
    return summary


@register(90, "overdue")
def overdue(stdout=None) -> dict:
    """What the daily "overdue" job would have done, once every part has added its tasks (the
    chain leaders' and the rectifications' ledgers come after this app's): without it their
    dashboards counted 0 overdue above a list of late tasks."""
    done = tallies.mark_all_overdue()
    if stdout is not None:
        stdout.write(str(done["summary"]))
    return {"programmes": done["programmes"], "marked": done["marked"]}

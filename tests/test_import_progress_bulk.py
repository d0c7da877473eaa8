"""Progress rows of a ledger import are saved and submitted in bulk, with the same result as one
report at a time through save_report and submit_report: the same reports (submitted, version
2, by the importer), approval requests, submission steps, notices and mails, audit records in
the same order (the chain verifies), tasks and tallies. Each sheet is imported twice in one
database, each time rolled back: through the bulk path and through the single path."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from reformtrack.core.importer import ImportFailed
from reformtrack.core.models import ApprovalRequest, ApprovalStep, AuditRecord, Notification
from reformtrack.core.scoping import forget
from reformtrack.core.selectors.audit import verify_chain
from reformtrack.orgs.models import RoleAssignment
from reformtrack.orgs.services import grant_role, revoke_role
from reformtrack.programs.exporters import headers, ledger_xlsx
from reformtrack.programs.importers import LedgerImporter
from reformtrack.programs.models import CoverageTally, LedgerTally, LedgerTask, ProgressReport
from reformtrack.programs.services.ledger_import import apply_preview
from reformtrack.programs.services.reports import save_report

ZH = headers("zh")
MASKED = {"id", "task_id", "created_at", "updated_at", "submitted_at", "at", "waiting_since"}


class Rollback(Exception):
    """Leaves the test database as it was before an import."""


def edited(data: bytes, change) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    head = [c.value for c in ws[1]]
    for number in range(2, ws.max_row + 1):
        values = {h: ws.cell(row=number, column=i + 1).value for i, h in enumerate(head)}
        for key, value in change(values).items():
            ws.cell(row=number, column=head.index(key) + 1).value = value
    return _saved(wb)


def _saved(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def masked(value):
    """Ids and times (which differ between the two runs) replaced by a mark, recursively (a
    time's change in an audit diff too)."""
    if isinstance(value, dict):
        return {
            k: "<masked>" if k in MASKED and v is not None else masked(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"/approvals/\d+/", "/approvals/<id>/", value)
    return value


def state(programme, since: int) -> dict:
    """What a reader of every table the import writes would see, ids and times masked."""
    report_codes = {r.pk: r.task.code for r in ProgressReport.objects.select_related("task")}
    requests = {
        r.pk: report_codes.get(int(r.object_id))
        for r in ApprovalRequest.objects.filter(content_type__model="progressreport")
    }
    orgs = dict(LedgerTask.objects.values_list("organisation_id", "organisation__code"))

    def org(pk):
        return orgs.get(pk, pk)

    return {
        "tasks": list(
            LedgerTask.objects.filter(programme=programme)
            .order_by("code")
            .values(
                *[
                    f
                    for f in (
                        "code",
                        "status",
                        "percent",
                        "progress",
                        "owner",
                        "deadline",
                        "version",
                        "organisation__code",
                        "area__code",
                        "template__code",
                        "parent__code",
                        "kind",
                    )
                ]
            )
        ),  # fmt: skip
        "reports": [
            {**masked(values), "task": values["task__code"]}
            for values in ProgressReport.objects.order_by("task__code").values(
                "task__code",
                "period_end",
                "status",
                "percent",
                "narrative",
                "indicator_actual",
                "state",
                "version",
                "reported_by__username",
            )
        ],  # fmt: skip
        "requests": sorted(
            (
                requests[r.pk],
                r.stored_title,
                r.title_message,
                r.organisation.code,
                r.chain,
                [org(pk) for pk in r.levels],
                r.current_level,
                r.current_organisation.code,
                r.status,
                r.submitted_by.username,
                r.round,
                r.version,
                r.decided_at,
                r.blocked_since is not None,
                r.blocked_since == r.waiting_since,
                r.escalated_to.code if r.escalated_to else None,
                r.chased_on,
            )
            for r in ApprovalRequest.objects.filter(pk__in=requests)
        ),  # fmt: skip
        "steps": sorted(
            (
                requests[s.request_id],
                s.level,
                s.organisation.code,
                s.decision,
                s.actor.username,
                s.comment,
                s.round,
                s.to_level,
            )
            for s in ApprovalStep.objects.filter(request_id__in=requests)
        ),  # fmt: skip
        "notices": sorted(
            (
                n.user.username,
                n.kind,
                n.stored_title,
                masked(n.title_message),
                n.body,
                masked(n.url),
                n.read_at,
            )
            for n in Notification.objects.all()
        ),  # fmt: skip
        "audit": [
            (
                r.action,
                r.object_type,
                r.object_repr,
                r.actor_id,
                r.actor_username,
                r.on_approval,
                masked(r.changes),
            )
            for r in AuditRecord.objects.filter(seq__gt=since).order_by("seq")
        ],  # fmt: skip
        "tallies": [
            sorted(tuple(sorted(masked(v).items())) for v in model.objects.values())
            for model in (LedgerTally, CoverageTally)
        ],
    }


def imported(programme, user, data: bytes, callbacks, *, one_by_one: bool, root=None):
    """Import `data` (bulk or one by one) and roll it back: the counts and `state` after it."""
    since = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    mail.outbox = []
    seen = {}
    with pytest.raises(Rollback), transaction.atomic():
        with callbacks() as registered:
            importer = LedgerImporter(
                user=user, programme=programme, root=root, one_by_one=one_by_one
            )
            result = importer.run(io.BytesIO(data))
        assert result.errors == []
        for callback in registered:  # the mails (not the audit checkpoints: rolled back)
            if getattr(callback, "func", None).__name__ == "send_mail":
                callback()
        assert verify_chain().ok
        seen["counts"] = result.counts
        seen["state"] = state(programme, since)
        seen["mails"] = sorted(
            (m.subject, masked(m.body), tuple(m.to)) for m in mail.outbox
        )  # fmt: skip
        raise Rollback
    return seen


def both_paths(programme, user, data, callbacks, root=None):
    bulk = imported(programme, user, data, callbacks, one_by_one=False, root=root)
    single = imported(programme, user, data, callbacks, one_by_one=True, root=root)
    return bulk, single


def test_an_office_s_progress_is_submitted_in_bulk_as_one_by_one(
    programme, people, tree, task_of, django_capture_on_commit_callbacks
):
    office, approver = people["reform_office"], people["supervisor_admin"]
    approver.email = "sup@example.org"
    approver.save()
    # A draft the office started on the task page: its row goes the single way, mid-batch.
    save_report(user=office, task=task_of("M-1", "A-SUB2"), status="in_progress",
                percent=Decimal(10), narrative="草稿")  # fmt: skip
    data = ledger_xlsx(user=office, programme=programme, root=tree["GROUP-A"])

    def progress(values):
        return {"完成状态": "推进中", "完成百分比": 60, "进展情况": f"{values['任务编号']} 进展"}

    data = edited(data, progress)
    bulk, single = both_paths(programme, office, data, django_capture_on_commit_callbacks,
                              root=tree["GROUP-A"])  # fmt: skip
    assert bulk["counts"]["reports"] >= 3 and bulk["counts"] == single["counts"]
    reports = bulk["state"]["reports"]
    assert {r["state"] for r in reports} == {"submitted"}
    assert {r["version"] for r in reports if r["task"] != "M-1-A-SUB2"} == {2}
    assert bulk["state"]["notices"] and bulk["mails"]  # the approver is told, by mail too
    for key in bulk["state"]:
        assert bulk["state"][key] == single["state"][key], key
    assert bulk["mails"] == single["mails"]


def test_new_tasks_with_progress_and_a_plan_change_as_one_by_one(
    programme, people, tree, django_capture_on_commit_callbacks
):
    launcher = people["supervisor_admin"]
    data = ledger_xlsx(user=launcher, programme=programme)

    def progress(values):
        if values["任务编号"] == "M-1-A-SUB":  # a plan change and progress: the single way
            return {"责任人": "王芳", "完成状态": "已完成"}
        if values["任务编号"].startswith("M-2"):
            return {"完成状态": "推进中", "完成百分比": 40}
        return {}

    data = edited(data, progress)
    wb = load_workbook(io.BytesIO(data))
    for n, org in enumerate(["A-SUB", "GROUP-A", "GROUP-B", "A-SUB2"]):
        values = {"任务编号": f"X-{n}", "改革领域": "治理", "改革任务": f"新任务{n}",
                  "责任单位": org, "完成时限": "2022-06-30", "完成状态": "推进中",
                  "完成百分比": 10 * n + 5, "新增": "是"}  # fmt: skip
        wb.active.append([values.get(h) for h in ZH])
    data = _saved(wb)
    bulk, single = both_paths(programme, launcher, data, django_capture_on_commit_callbacks)
    assert bulk["counts"]["created"] == 4 and bulk["counts"]["reports"] >= 7
    assert bulk["counts"] == single["counts"]
    for key in bulk["state"]:
        assert bulk["state"][key] == single["state"][key], key
    assert bulk["mails"] == single["mails"]


def test_a_report_refused_at_the_write_names_its_rows_and_writes_nothing(programme, people, tree):
    """The office's role ends between the preview and the write: every progress row is
    refused, with the single path's words, and nothing of the file is written."""
    office = people["reform_office"]
    data = ledger_xlsx(user=office, programme=programme, root=tree["GROUP-A"])
    data = edited(data, lambda values: {"完成状态": "推进中", "完成百分比": 30})
    refused = {}
    for one_by_one in (False, True):
        importer = LedgerImporter(user=office, programme=programme, root=tree["GROUP-A"])
        preview = importer.run(io.BytesIO(data), dry_run=True).preview
        assert preview.counts["reports"] >= 3
        revoke_role(assignment=RoleAssignment.objects.get(user=office))
        forget(office)
        tables = (ProgressReport, ApprovalRequest, ApprovalStep, Notification, AuditRecord)
        before = [model.objects.count() for model in tables]
        with pytest.raises(ImportFailed) as caught:
            apply_preview(user=office, programme=programme, preview=preview,
                          one_by_one=one_by_one)  # fmt: skip
        assert [model.objects.count() for model in tables] == before
        refused[one_by_one] = [(e.row, e.column, e.message) for e in caught.value.errors]
        grant_role(user=office, organisation=tree["GROUP-A"], role="reform_office")
        forget(office)
    assert len(refused[False]) == preview.counts["reports"]
    assert {column for _row, column, _message in refused[False]} == {"code"}
    assert refused[False] == refused[True]


def test_the_queries_of_progress_rows_do_not_grow_with_their_number(programme, people, tree):
    """4 progress rows and 25: the same number of queries (reads per batch, writes per table),
    after a first import (which also reads what the process keeps, e.g. content types)."""
    office = people["reform_office"]
    LedgerTask.objects.bulk_create(
        LedgerTask(
            programme=programme,
            area=programme.areas.get(),
            organisation=tree["A-SUB"],
            org_path=tree["A-SUB"].path,
            code=f"B-{n:02}",
            title=f"任务{n}",
            deadline=dt.date(2022, 6, 30),
            kind="one_off",
            status="in_progress",
            percent=Decimal(n),
        )  # fmt: skip
        for n in range(30)
    )
    data = ledger_xlsx(user=office, programme=programme, root=tree["GROUP-A"])
    counted = []
    for first, last in ((0, 1), (1, 5), (5, 30)):

        def progress(values, first=first, last=last):
            code = values["任务编号"]
            if code.startswith("B-") and first <= int(code[2:]) < last:
                return {"完成百分比": 80}
            return {}

        sheet = edited(data, progress)
        importer = LedgerImporter(user=office, programme=programme, root=tree["GROUP-A"])
        with CaptureQueriesContext(connection) as queries:
            result = importer.run(io.BytesIO(sheet))
        assert result.errors == [] and result.counts["reports"] == last - first
        counted.append(len([q for q in queries if "SAVEPOINT" not in q["sql"]]))
    assert counted[1] == counted[2]
    assert ProgressReport.objects.filter(state="submitted").count() == 30

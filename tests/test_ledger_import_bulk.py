"""Bulk ledger imports: new tasks and their audit records written in batches, on the same keyed
audit chain that `reformtrack audit verify` checks; files refused by their size before parsing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook

from reformtrack.core.context import Actor, acting
from reformtrack.core.models import AuditRecord
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.selectors.audit import verify_chain
from reformtrack.core.services import audit
from reformtrack.programs.exporters import headers
from reformtrack.programs.importers import LedgerImporter
from reformtrack.programs.models import LedgerTask
from tests.xlsx_bomb import bomb

ZH = headers("zh")


def ledger_file(rows: int, org: str = "GROUP-A") -> bytes:
    """`rows` new tasks (新增 = 是) with no progress, as the launching office adds them."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(ZH)
    for n in range(rows):
        values = {"任务编号": f"BULK-{n:05}", "改革领域": "治理", "改革任务": f"新任务{n}",
                  "责任单位": org, "完成时限": "2027-06-30", "新增": "是"}  # fmt: skip
        ws.append([values.get(h) for h in ZH])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def verify_text() -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_record_many_extends_one_verifiable_chain(db):
    before = AuditRecord.objects.count()
    audit.record(action=AuditAction.UPDATE, object_type="test.thing", object_id="0")
    written = audit.record_many(
        {"action": AuditAction.CREATE, "object_type": "test.thing", "object_id": str(n),
         "object_repr": f"thing {n}", "changes": {"after": {"n": n}}}
        for n in range(1, 7)
    )  # fmt: skip
    audit.record(action=AuditAction.UPDATE, object_type="test.thing", object_id="7")
    assert written == 6
    rows = list(AuditRecord.objects.order_by("seq")[before:])
    assert [r.object_id for r in rows] == [str(n) for n in range(8)]
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + 8))
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert rows[3].changes == {"after": {"n": 3}}
    assert verify_chain().ok
    assert "intact" in verify_text().lower()


def test_an_altered_batch_record_is_named(db):
    audit.record_many(
        {"action": AuditAction.CREATE, "object_type": "test.thing", "object_id": str(n)}
        for n in range(5)
    )
    target = AuditRecord.objects.get(object_type="test.thing", object_id="2")
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditrecord DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE core_auditrecord SET object_repr = %s WHERE seq = %s", ["x", target.seq]
        )
    report = verify_chain()
    assert not report.ok and report.first_bad_seq == target.seq


def test_bulk_import_creates_every_task_with_its_audit_record(programme, people, tree):
    data = ledger_file(1200)  # more than one batch of the importer and of the writer
    first = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    admin = people["supervisor_admin"]
    with acting(Actor(fixed_user=admin)):  # as a job runs it: in its owner's name
        result = LedgerImporter(user=admin, programme=programme).run(io.BytesIO(data))
    assert result.ok, result.errors[:3]
    assert result.counts["created"] == 1200
    created = LedgerTask.objects.filter(programme=programme, code__startswith="BULK-")
    assert created.count() == 1200
    task = created.get(code="BULK-00007")
    assert task.organisation == tree["GROUP-A"] and task.version == 1 and task.title == "新任务7"
    records = AuditRecord.objects.filter(
        seq__gt=first, object_type="programs.ledgertask", action=AuditAction.CREATE
    )
    assert records.count() == 1200
    mine = records.get(object_id=str(task.pk))
    assert mine.actor_username == admin.username and mine.actor_id == admin.pk
    assert mine.changes["after"]["code"] == "BULK-00007"
    assert verify_chain().ok


def test_a_refused_row_writes_no_task_and_no_record(programme, people):
    data = ledger_file(600)
    before = AuditRecord.objects.count()
    bad = io.BytesIO()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(ZH)
    for n in range(600):
        org = "NOWHERE" if n == 599 else "GROUP-A"
        values = {"任务编号": f"BULK-{n:05}", "改革领域": "治理", "改革任务": "t",
                  "责任单位": org, "完成时限": "2027-06-30", "新增": "是"}  # fmt: skip
        ws.append([values.get(h) for h in ZH])
    wb.save(bad)
    result = LedgerImporter(user=people["supervisor_admin"], programme=programme).run(
        io.BytesIO(bad.getvalue())
    )
    assert not result.ok and result.errors[0].row == 601
    assert not LedgerTask.objects.filter(code__startswith="BULK-").exists()
    assert AuditRecord.objects.count() == before
    assert data  # the good file is still importable afterwards
    assert (
        LedgerImporter(user=people["supervisor_admin"], programme=programme)
        .run(io.BytesIO(data))
        .ok
    )


@pytest.mark.parametrize("limit", ["ratio", "dimension"])
def test_a_small_file_of_millions_of_cells_is_refused_before_parsing(programme, settings, limit):
    data = bomb(rows=20_000, columns=50)  # a million cells, a few hundred kB
    if limit == "dimension":  # the member checks let it through: the declared size refuses it
        settings.REFORMTRACK_IMPORT_MAX_RATIO = 10**6
        settings.REFORMTRACK_IMPORT_MAX_CELLS = 500_000
    result = LedgerImporter(user=None, programme=programme).run(io.BytesIO(data))
    assert not result.ok and result.errors[0].row is None
    message = result.errors[0].message
    if limit == "ratio":
        assert "sheet1.xml" in message
    else:
        assert "20,000" in message and "50" in message

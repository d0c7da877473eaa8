"""New tasks of a bulk import: each audit record's changes are serialised once, for its hash and
its stored column, and hold what the single-row path records for a task made the same way; the
chain still verifies; a row the model refuses names its row and field and nothing is written."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook

from reformtrack.core import audit_keys
from reformtrack.core.audit_hash import (
    KEYED_FIELDS,
    canonical,
    canonical_json,
    keyed_hash,
    to_json_value,
)
from reformtrack.core.context import Actor, acting
from reformtrack.core.importer import ImportFailed, RowError
from reformtrack.core.models import AuditRecord
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.selectors.audit import verify_chain
from reformtrack.programs.exporters import headers
from reformtrack.programs.importers import LedgerImporter
from reformtrack.programs.models import LedgerTask
from reformtrack.programs.services.ledger_import import import_ledger
from reformtrack.programs.services.tasks import add_task

ZH = headers("zh")
ROW = {"改革领域": "治理", "改革任务": "新任务", "具体举措": "具体举措「甲」\n第二行",
       "责任单位": "GROUP-A", "责任部门": "改革办", "责任人": "张三",
       "完成时限": "2027-06-30", "成果形式": "制度文件", "新增": "是"}  # fmt: skip


def new_rows(codes: list[str]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(ZH)
    for code in codes:
        ws.append([{**ROW, "任务编号": code}.get(h) for h in ZH])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def created_record(task: LedgerTask) -> AuditRecord:
    return AuditRecord.objects.get(
        object_type="programs.ledgertask", object_id=str(task.pk), action=AuditAction.CREATE
    )


def record_values(record: AuditRecord) -> dict:
    return {name: getattr(record, name) for name in KEYED_FIELDS}


def test_a_bulk_record_holds_what_the_single_row_path_records(programme, people, tree):
    admin = people["supervisor_admin"]
    codes = ["BULK-1", "BULK-2", "BULK-3"]  # more than two records: the bulk INSERT path
    with acting(Actor(fixed_user=admin)):
        result = LedgerImporter(user=admin, programme=programme).run(io.BytesIO(new_rows(codes)))
        assert result.ok, result.errors
        single = add_task(
            user=admin, programme=programme, area=programme.areas.get(name_zh="治理"),
            organisation=tree["GROUP-A"], code="SINGLE-1", title="新任务",
            deadline=dt.date(2027, 6, 30), measure=ROW["具体举措"], department="改革办",
            owner="张三", deliverable="制度文件",
        )  # fmt: skip
    bulk = LedgerTask.objects.get(programme=programme, code="BULK-2")
    bulk_record, single_record = created_record(bulk), created_record(single)

    def without_identity(changes: dict) -> dict:
        return {k: v for k, v in changes["after"].items() if k not in ("id", "code")}

    assert without_identity(bulk_record.changes) == without_identity(single_record.changes)
    assert bulk_record.changes["after"]["id"] == bulk.pk
    assert bulk_record.changes["after"]["code"] == "BULK-2"
    assert bulk_record.object_repr == "BULK-2 新任务"
    assert single_record.object_repr == "SINGLE-1 新任务"
    assert (bulk_record.actor_id, bulk_record.actor_username) == (admin.pk, admin.username)
    # The hash over the stored record (read back from the database) is the stored hash.
    key = audit_keys.require_keyring().get(bulk_record.key_id)
    for record in (bulk_record, single_record):
        assert keyed_hash(record_values(record), key.secret) == record.hash
    assert verify_chain().ok


def test_the_bulk_records_chain_and_verify(programme, people):
    admin = people["supervisor_admin"]
    first = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    codes = [f"BULK-{n:04}" for n in range(40)]
    with acting(Actor(fixed_user=admin)):
        assert LedgerImporter(user=admin, programme=programme).run(io.BytesIO(new_rows(codes))).ok
    records = list(AuditRecord.objects.filter(seq__gt=first).order_by("seq"))
    assert [r.object_repr.split()[0] for r in records] == codes
    for before, after in zip(records, records[1:], strict=False):
        assert after.prev_hash == before.hash and after.seq == before.seq + 1
    assert all(r.changes["after"]["measure"] == ROW["具体举措"] for r in records)
    assert verify_chain().ok


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"after": {"title": "改革「任务」", "percent": "0", "b": None, "a": [1, "x", True]}},
        {"z": {"nested": {"deep": '值\n"引号"', "n": -3}}, "A": "upper first", "_": 0},
    ],
)
def test_a_record_serialised_once_hashes_as_the_published_canonical_form(changes):
    values = {
        "seq": 7, "at": dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC), "actor_id": 1,
        "actor_username": "sup", "ip": "127.0.0.1", "action": "create",
        "object_type": "programs.ledgertask", "object_id": "9", "object_repr": "BULK-1 新任务",
        "changes": to_json_value(changes), "request_id": "", "prev_hash": "0" * 64,
        "key_id": "k1", "algorithm": "hmac-sha256", "on_approval": None,
    }  # fmt: skip
    text = canonical_json(values["changes"])
    assert canonical(values, KEYED_FIELDS, {"changes": text}) == canonical(values, KEYED_FIELDS)
    assert json.loads(text) == values["changes"]
    key = b"k" * 32
    assert keyed_hash(values, key, {"changes": text}) == keyed_hash(values, key)


def test_a_row_the_model_refuses_names_its_row_and_field_and_writes_nothing(programme, tree):
    area = programme.areas.get(name_zh="治理")
    tasks, records = LedgerTask.objects.count(), AuditRecord.objects.count()
    rows = [
        {"row": n + 2, "code": f"SVC-{n}", "new": True, "organisation": tree["GROUP-A"],
         "area": area, "title": "x" * (301 if n == 2 else 10), "deadline": dt.date(2027, 6, 30)}
        for n in range(4)
    ]  # fmt: skip
    with pytest.raises(ImportFailed) as caught:
        import_ledger(user=None, programme=programme, rows=rows)
    [error] = caught.value.errors
    assert (error.row, error.column) == (4, "title") and "300" in error.message
    assert isinstance(error, RowError)
    assert LedgerTask.objects.count() == tasks and AuditRecord.objects.count() == records

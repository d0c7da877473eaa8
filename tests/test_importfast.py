"""A ledger import changes the data version (the page cache's key) as its rows' own triggers
would: once when it commits, not at all when it is refused, and a later write still changes it
(on SQLite the import sets the connection's row triggers aside and changes the version once
itself, core/bulk_version.py)."""

from __future__ import annotations

import datetime as dt
import gc
import io

import pytest
from django.db import connection, transaction

from reformtrack.core import bulk_version
from reformtrack.core.importer import ImportFailed
from reformtrack.core.models import AuditRecord
from reformtrack.core.page_cache import data_version
from reformtrack.core.selectors.audit import verify_chain
from reformtrack.orgs.models import Organisation
from reformtrack.programs.importers import LedgerImporter
from reformtrack.programs.models import LedgerTask
from reformtrack.programs.services.ledger_import import import_ledger

# Autocommit, as the command line and the job worker run: the version is read between writes.
pytestmark = pytest.mark.django_db(transaction=True)


def new_rows(programme, org, codes, title=lambda n: f"新任务{n}"):
    area = programme.areas.get(name_zh="治理")
    return [
        {"row": n + 2, "code": code, "new": True, "organisation": org, "area": area,
         "title": title(n), "deadline": dt.date(2027, 6, 30)}
        for n, code in enumerate(codes)
    ]  # fmt: skip


def test_an_import_changes_the_version_once_a_refused_one_not_at_all(programme, tree):
    org = tree["GROUP-A"]
    before = data_version()
    import_ledger(user=None, programme=programme, rows=new_rows(programme, org, ["IF-1", "IF-2"]))
    written = data_version()
    assert written not in (None, before)
    assert LedgerTask.objects.filter(code__in=["IF-1", "IF-2"]).count() == 2

    tasks, records = LedgerTask.objects.count(), AuditRecord.objects.count()
    too_long = new_rows(programme, org, ["IF-3", "IF-4"], title=lambda n: "长" * (301 * n or 5))
    with pytest.raises(ImportFailed) as refused:
        import_ledger(user=None, programme=programme, rows=too_long)
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "title")]
    assert (LedgerTask.objects.count(), AuditRecord.objects.count()) == (tasks, records)
    assert data_version() == written  # nothing written, nothing changed

    # The connection's own triggers are back: a plain write changes the version again.
    Organisation.objects.filter(pk=org.pk).update(name_zh="改名")
    assert data_version() not in (None, written)


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's row triggers only")
def test_inside_once_rows_write_no_version_until_the_end(tree):
    org = tree["GROUP-A"]
    raw = connection.connection
    with transaction.atomic():
        before = _version()
        with bulk_version.once():
            Organisation.objects.filter(pk=org.pk).update(name_zh="一")
            assert _version() == before  # the row trigger did not run
            with bulk_version.once():  # nested: the outer one changes it
                Organisation.objects.filter(pk=org.pk).update(name_zh="二")
            assert _version() == before
        assert _version() != before
        unchanged = _version()
        with bulk_version.once():
            pass  # nothing written: no change
        assert _version() == unchanged
        Organisation.objects.filter(pk=org.pk).update(name_zh="三")
        assert _version() != unchanged  # the triggers are on again
    assert raw.getconfig(bulk_version.ENABLE)


def test_text_a_bulk_write_streams_is_stored_and_audited_as_written(programme, tree):
    """On PostgreSQL new tasks and their audit records go in by COPY (core/fast_insert.py):
    tabs, newlines, backslashes, quotes and a literal \\N come back as they were written."""
    texts = ["制表\t符", "换行\n第二行\r\n", "反斜杠 \\ 和 \\N", "引号 \"双\" '单'", "\\."]
    rows = new_rows(programme, tree["GROUP-A"], [f"IF-T{n}" for n in range(len(texts))])
    for row, text in zip(rows, texts, strict=True):
        row.update(measure=text, department=text[:3])
    import_ledger(user=None, programme=programme, rows=rows)
    tasks = LedgerTask.objects.filter(code__startswith="IF-T").order_by("code")
    assert [(t.measure, t.department) for t in tasks] == [(t, t[:3]) for t in texts]
    records = AuditRecord.objects.filter(object_type="programs.ledgertask", action="create")
    after = {r.changes["after"]["code"]: r.changes["after"] for r in records}
    assert [after[t.code]["measure"] for t in tasks] == texts
    assert verify_chain().ok  # each record hashes, read back, to the hash it was written with


def test_the_collector_is_as_it_was_after_an_import_even_a_refused_one(programme):
    """An import defers the collector's full passes (core.importer.quiet_collector) and puts
    its thresholds back, even when it refuses the file."""
    before = gc.get_threshold()
    refused = LedgerImporter(user=None, programme=programme).run(io.BytesIO(b"not a workbook"))
    assert refused.errors and gc.get_threshold() == before


def _version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM core_dataversion WHERE id = 1")
        return cursor.fetchone()[0]

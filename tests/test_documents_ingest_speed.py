"""Ingestion at scale: organisation names from an index built once per state of the tree (the
same matches as reading every name), batches that write each document once with its audit
record, and a cost per document that does not grow with the documents already stored."""

from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reformtrack.core.models import AuditRecord
from reformtrack.documents import alias_index, services
from reformtrack.documents.models import Document, Extraction
from reformtrack.documents.text import entities
from reformtrack.orgs import services as org_services

DATA = Path(__file__).parent / "data" / "documents"


def _news(n: int, figure: int) -> bytes:
    return (
        f"甲子公司第{n}号新闻\n发布时间：2021-08-0{1 + n % 8}\n"
        f"甲子公司营业收入{figure}亿元，利润总额{figure // 3}亿元，同比增长{n % 50}.5%。"
    ).encode()


def test_the_index_finds_the_same_organisations_as_every_name(tree):
    index = alias_index.current()
    for path in sorted(DATA.glob("0*.txt")):
        text = path.read_text(encoding="utf-8")
        with_index = [i.as_dict() for i in entities.organisations(text, index)]
        assert with_index == [i.as_dict() for i in entities.organisations(text, index.names)]


def test_the_index_follows_the_tree(tree):
    before = alias_index.current()
    assert alias_index.current() is before  # not rebuilt while the tree stays as it is
    org_services.create_organisation(
        user=None, parent=tree["SASAC"], code="NEWCO", name_zh="新立能源集团有限公司",
        short_name_zh="新立能源", kind="group",
    )  # fmt: skip
    document, _created = services.ingest(
        user=None, data="新立能源发布公告\n发布时间：2021-08-02\n新立能源被评为标杆。".encode(),
        filename="newco.txt",
    )  # fmt: skip
    assert document.items.filter(kind="organisation", org_code="NEWCO").exists()
    assert document.source == "新立能源"  # the inferred publisher by its name in the tree


def test_a_batch_writes_each_document_with_its_items_and_audit_record(tree):
    files = [(_news(n, 700 + n), f"n{n}.txt") for n in range(5)]
    files.insert(2, (b"MZ\x90", "virus.exe"))
    files.append(files[0])  # the same file twice in one batch
    results = list(services.ingest_many(user=None, files=files, batch=4))
    assert [bool(r.error) for r in results] == [False, False, True, False, False, False, False]
    assert "unsupported" in results[2].error
    assert results[-1].document.pk == results[0].document.pk and not results[-1].created
    assert Document.objects.count() == 5
    assert Extraction.objects.filter(kind="organisation", org_code="A-SUB").count() >= 5
    created = AuditRecord.objects.filter(object_type="documents.document", action="create")
    assert sorted(int(r.object_id) for r in created) == sorted(
        Document.objects.values_list("pk", flat=True)
    )
    for document in Document.objects.select_related("cluster"):
        assert document.cluster.best_id is not None


def test_the_queries_per_document_do_not_grow_with_the_documents_stored(tree):
    def queries_for(n: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            services.ingest(user=None, data=_news(n, 1000 + n), filename=f"q{n}.txt")
        return len(captured)

    list(services.ingest_many(user=None, files=[(_news(n, 500), f"s{n}.txt") for n in range(3)]))
    few = queries_for(100)
    list(services.ingest_many(user=None, files=[(_news(n, 500), f"m{n}.txt") for n in range(40)]))
    # Not more with 43 documents stored than with 3 (the spun model's refresh may save one).
    assert queries_for(101) <= few

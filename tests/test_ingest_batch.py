"""Ingesting a batch stores exactly what ingesting its files one by one stores: the same
documents, items, signatures, clusters (copies arriving in the same batch find each other, and
find copies stored before), best copies, spun flags and audit records in the same order. A
file that cannot be read is reported by name and nothing of it is written while the rest of its
batch is; a batch whose writing fails leaves nothing of itself (no row, no file, no record).
And the statements a batch takes do not grow with its documents."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reformtrack.core.models.audit import AuditRecord
from reformtrack.documents import ingestion, services
from reformtrack.documents.models import Cluster, Document, Extraction, Signature

DATA = Path(__file__).parent / "data" / "documents"
SEED = sorted(DATA.glob("0*.txt"))
DIGEST = DATA / "004_5ad8e80663ae9ad9.txt"
ZH = (
    "国务院国资委召开会议。截至目前，400余户中央企业子企业完成混合所有制改革，引入社会资本"
    "9000多亿元，营业收入同比增长11.4%，八成以上企业实现盈利。"
)
EN = (
    "SASAC said on Monday that more than 400 subsidiaries of central SOEs had completed "
    "mixed-ownership reform, bringing in over 900 billion yuan of private capital. Operating "
    "revenue rose 11.4 percent year on year, and over 80 percent of the firms were profitable."
)


def _variant(text: str, n: int) -> str:
    """A copy as scrapers make them: punctuation doubled, a line of its own."""
    if n % 2:
        text = text.replace("，", "，，")
    return f"{text}\n(copy {n})\n"


# Shares two figures with ZH and EN (a candidate) but is no copy of either; stored before
# their copy, so the lookup has to read past it.
DECOY = "某集团简报：400余户企业，9000多亿元，另有12户、35户、58户、77户、91户、123户、456户。"


def _stored_first() -> list[tuple[bytes, str]]:
    """Files ingested before the batch: its copies are looked up among these."""
    texts = [p.read_text(encoding="utf-8") for p in SEED if p != DIGEST]
    files = [(_variant(t, 0).encode(), f"stored-{i}.txt") for i, t in enumerate(texts)]
    return [*files, (DECOY.encode(), "decoy.txt"), (f"{ZH}\n原文".encode(), "stored-zh.txt")]


def _batch() -> list[tuple[bytes, str]]:
    """Copies of the stored files, copies of each other (same and other language), a digest
    (its entries are documents), a file twice, and files that cannot be read."""
    texts = [p.read_text(encoding="utf-8") for p in SEED if p != DIGEST]
    files = [(_variant(t, n).encode(), f"copy-{n}-{i}.txt")
             for n in (1, 2) for i, t in enumerate(texts)]  # fmt: skip
    files += [(ZH.encode(), "zh.txt"), (EN.encode(), "en.txt"), (f"{ZH}\n再次".encode(), "zh2.txt")]
    files += [(DIGEST.read_bytes(), "digest.txt"), (b"\x00\x01binary", "broken.pdf")]
    files += [(files[0][0], "copy-again.txt"), (b"MZ\x90\x00", "tool.exe")]
    return files


def _rows(documents_before: int, clusters_before: int, records_before: int) -> dict:
    """What a user could tell of what the ingestion after these ids wrote: documents and
    clusters named by their order (stored ones by their id), the audit records it appended."""
    docs = list(Document.objects.filter(pk__gt=documents_before).order_by("pk"))
    place = {d.pk: n for n, d in enumerate(docs)}
    new = Cluster.objects.filter(pk__gt=clusters_before).order_by("pk").values_list("pk", flat=True)
    order = {pk: n for n, pk in enumerate(new)}

    def doc(pk):
        return place.get(pk, f"stored-{pk}")

    def cluster(pk):
        return order.get(pk, f"stored-{pk}")

    rows = {
        "documents": [
            (
                d.filename,
                d.checksum,
                d.title,
                d.language,
                d.script,
                d.spun,
                str(d.published_on),
                d.source,
                cluster(d.cluster_id),
                doc(d.parent_id),
                d.part,
                d.tokens,
                d.keys,
            )
            for d in docs
        ],  # fmt: skip
        "best": sorted(  # new clusters by their order, stored ones by "stored-" and their id
            (
                (cluster(c.pk), doc(c.best_id))
                for c in Cluster.objects.filter(pk__in={d.cluster_id for d in docs})
            ),
            key=str,
        ),  # fmt: skip
        "items": [
            (doc(i.document_id), i.kind, i.text, i.start, i.end, i.value, i.org_code, i.review)
            for i in Extraction.objects.filter(document__in=docs).order_by("pk")
        ],
        "signatures": [
            (doc(s.document_id), s.value)
            for s in Signature.objects.filter(document__in=docs).order_by("pk")
        ],
    }
    named = {"id": doc, "parent_id": doc, "best_id": doc, "cluster_id": cluster}
    rows["audit"] = []
    for r in AuditRecord.objects.filter(seq__gt=records_before).order_by("seq"):
        ids = dict(named, id=cluster) if r.object_type == "documents.cluster" else named
        changes = {
            field: (
                {
                    k: ids.get(k, str)(v) if v is not None and k in ids else v
                    for k, v in change.items()
                    if k not in ("created_at", "file")
                }
                if field == "after"
                else {k: ids[field](v) if v is not None else v for k, v in change.items()}
            )  # fmt: skip
            for field, change in r.changes.items()
        }
        object_id = ids["id"](int(r.object_id))
        rows["audit"].append((r.action, r.object_type, object_id, r.actor_username, changes))
    return rows


def _ingest(files, batch: int) -> list:
    return [(r.file, r.created, bool(r.error)) for r in
            services.ingest_many(user=None, files=files, batch=batch)]  # fmt: skip


@pytest.mark.parametrize("first", [ingestion.FIRST, 1])
def test_a_batch_stores_what_one_by_one_stores(db, monkeypatch, first):
    """`first`: candidates of each document read at once (1: every document whose first
    candidate is no copy reads on, one document at a time)."""
    _ingest(_stored_first(), batch=1)
    # A stored copy whose cluster was deleted, and a stored cluster that keeps no best copy:
    # the batch puts the first in a new cluster and ranks the second's copies again.
    orphan = Document.objects.get(filename="stored-0.txt")
    Cluster.objects.filter(pk=orphan.cluster_id).delete()
    kept_none = Document.objects.get(filename="stored-1.txt").cluster_id
    Cluster.objects.filter(pk=kept_none).update(best=None)
    monkeypatch.setattr(ingestion, "FIRST", first)
    read_on, first_copy = [], ingestion._first_copy

    def reading_on(document, last=0):
        read_on.append(first_copy(document, last))
        return read_on[-1]

    monkeypatch.setattr(ingestion, "_first_copy", reading_on)
    seen = {}
    for batch in (1, 100):  # one by one, then the whole batch in one transaction
        last = Document.objects.order_by("-pk").values_list("pk", flat=True).first()
        clusters = Cluster.objects.order_by("-pk").values_list("pk", flat=True).first()
        records = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first()
        outcome = _ingest(_batch(), batch=batch)
        seen[batch] = (outcome, _rows(last, clusters, records))
        # back to the state before: the stored documents as they were
        Document.objects.filter(pk__gt=last).delete()
        Cluster.objects.filter(documents__isnull=True).delete()
        Document.objects.filter(filename="stored-0.txt").update(cluster=None)
        Cluster.objects.filter(pk=kept_none).update(best=None)
    assert seen[100] == seen[1]
    if first == 1:  # copies found past a first candidate that is none (the decoy)
        assert any(found is not None for found in read_on)
    outcome, rows = seen[100]
    assert ("broken.pdf", False, True) in outcome and ("tool.exe", False, True) in outcome
    docs = {d[0]: d for d in rows["documents"]}
    # copies in the same batch share a cluster; so do the Chinese and the English copies
    assert docs["copy-1-0.txt"][8] == docs["copy-2-0.txt"][8]
    assert docs["zh.txt"][8] == docs["en.txt"][8] == docs["zh2.txt"][8]
    assert str(docs["zh.txt"][8]).startswith("stored-")  # the stored copy's, past the decoy
    # a copy of the stored file without a cluster put both in a new one
    assert Document.objects.get(filename="stored-0.txt").cluster_id is None  # restored above
    assert any(a[0] == "update" and "cluster_id" in a[4] for a in rows["audit"])
    assert sum(d[0].startswith("digest.txt#") for d in rows["documents"]) > 10


def test_a_file_that_cannot_be_read_is_named_and_the_rest_of_its_batch_written(db):
    files = [(ZH.encode(), "zh.txt"), (b"\x00\x01binary", "broken.pdf"), (EN.encode(), "en.txt")]
    outcome = list(services.ingest_many(user=None, files=files))
    assert [r.file for r in outcome] == ["zh.txt", "broken.pdf", "en.txt"]
    assert outcome[1].error and outcome[1].document is None
    assert outcome[0].created and outcome[2].created
    assert sorted(Document.objects.values_list("filename", flat=True)) == ["en.txt", "zh.txt"]
    assert outcome[0].document.cluster_id == outcome[2].document.cluster_id


def _files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "documents"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("step", ["_insert_signatures", "_record_many"])
def test_a_batch_whose_writing_fails_leaves_nothing_of_itself(db, monkeypatch, step):
    _ingest(_stored_first()[:2], batch=1)
    before = (Document.objects.count(), Cluster.objects.count(), Extraction.objects.count(),
              Signature.objects.count(), AuditRecord.objects.count(), _files())  # fmt: skip

    def fail(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingestion, step, fail)
    with pytest.raises(RuntimeError):
        _ingest(_batch(), batch=100)
    after = (Document.objects.count(), Cluster.objects.count(), Extraction.objects.count(),
             Signature.objects.count(), AuditRecord.objects.count(), _files())  # fmt: skip
    assert after == before


def test_a_batch_takes_the_same_statements_whatever_its_size(db, monkeypatch):
    """Writing a batch (copies looked up, rows, clusters, best copies, audit records) takes a
    fixed number of statements: none per document."""
    texts = [p.read_text(encoding="utf-8") for p in SEED if p != DIGEST]
    _ingest([(_variant(t, 0).encode(), f"stored-{i}.txt") for i, t in enumerate(texts)], 100)
    write, counts = ingestion._write, []

    def counted(*args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            write(*args, **kwargs)
        counts.append(len(queries))

    monkeypatch.setattr(ingestion, "_write", counted)
    for size in (4, 12):  # copies of the stored files, and of each other
        files = [(_variant(texts[n % len(texts)], 100 * size + n).encode(), f"s{size}-{n}.txt")
                 for n in range(size)]  # fmt: skip
        assert all(created for _f, created, _e in _ingest(files, batch=100))
    assert counts[0] == counts[1] < 15

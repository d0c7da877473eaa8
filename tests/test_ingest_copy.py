"""PostgreSQL: a batch's rows sent by COPY (documents with ids taken from their sequence) and the
copy lookup's values sent as one JSON value store exactly what plain INSERTs and a VALUES list
store: the same documents with the same ids, items, signatures, clusters, best copies and audit
records, and the same outcome for every file."""

import pytest
from django.db import connection

from reformtrack.core.models.audit import AuditRecord
from reformtrack.documents import ingestion
from reformtrack.documents.models import Cluster, Document

from .test_ingest_batch import _batch, _ingest, _rows, _stored_first


def test_rows_by_copy_are_the_rows_inserts_store(db, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    _ingest(_stored_first(), batch=1)
    stored = dict(Document.objects.values_list("pk", "cluster_id"))
    bests = dict(Cluster.objects.values_list("pk", "best_id"))
    seen = {}
    for bulk in (False, True):  # plain INSERTs and a VALUES list, then COPY and JSON
        monkeypatch.setattr(ingestion, "_bulk", lambda bulk=bulk: bulk)
        last = max(stored)
        clusters = max(bests)
        records = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first()
        outcome = _ingest(_batch(), batch=100)
        rows = _rows(last, clusters, records)
        ids = list(Document.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True))
        seen[bulk] = (outcome, rows, [pk - ids[0] for pk in ids])
        Document.objects.filter(pk__gt=last).delete()  # back to the stored state
        Cluster.objects.filter(pk__gt=clusters).delete()
        for pk, cluster in stored.items():
            Document.objects.filter(pk=pk).exclude(cluster_id=cluster).update(cluster=cluster)
        for pk, best in bests.items():
            Cluster.objects.filter(pk=pk).exclude(best_id=best).update(best=best)
    assert seen[True] == seen[False]
    assert len(seen[True][1]["items"]) > 100 and len(seen[True][1]["audit"]) > 20

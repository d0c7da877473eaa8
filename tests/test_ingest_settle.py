"""A process's first ingested batch freezes what analysis loaded for good (jieba's and LAC's
tables, the lexicons), so the collector's full passes stop walking it; once, and with nothing
else changed (what is stored is proved unchanged by the batch and copy tests)."""

import gc

import pytest

from reformtrack.documents import ingestion, services


@pytest.mark.django_db
def test_the_first_batch_settles_the_process_once():
    list(services.ingest_many(user=None, files=[("国资委召开会议。".encode(), "a.txt")]))
    assert ingestion._settled
    frozen = gc.get_freeze_count()
    assert frozen > 0
    list(services.ingest_many(user=None, files=[("国资委再次召开会议。".encode(), "b.txt")]))
    assert gc.get_freeze_count() <= frozen  # not frozen again (frozen objects can still go)


@pytest.mark.django_db
def test_one_upload_in_a_request_freezes_nothing(monkeypatch):
    """A web upload runs inside its request: freezing then would keep that request (and its
    uploaded body) for the process's life."""
    monkeypatch.setattr(ingestion, "_settled", False)
    frozen = gc.get_freeze_count()
    services.ingest(user=None, data="国资委第三次召开会议。".encode(), filename="c.txt")
    assert not ingestion._settled and gc.get_freeze_count() <= frozen

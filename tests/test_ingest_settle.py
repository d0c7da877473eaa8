"""A process's first ingested batch freezes what analysis loaded for good (jieba's and LAC's
tables, the lexicons), so the collector's full passes stop walking it; once, and with nothing
else changed (what is stored is proved unchanged by the batch and copy tests)."""

import gc

import pytest

from reformtrack.documents import ingestion, services


@pytest.mark.django_db
def test_the_first_batch_settles_the_process_once():
    services.ingest(user=None, data="国资委召开会议。".encode(), filename="a.txt")
    assert ingestion._settled
    frozen = gc.get_freeze_count()
    assert frozen > 0
    services.ingest(user=None, data="国资委再次召开会议。".encode(), filename="b.txt")
    assert gc.get_freeze_count() <= frozen  # not frozen again (frozen objects can still go)

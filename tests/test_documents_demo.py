"""The documents demo loads the five articles and a draft brief, and changes nothing twice."""

from reformtrack.documents import demo
from reformtrack.documents.models import Brief, Document


def test_demo_is_idempotent(db):
    first = demo.load()
    assert first["new"] == 5 and Brief.objects.count() == 1
    counts = (Document.objects.count(), Brief.objects.count())
    again = demo.load()
    assert again["new"] == 0 and (Document.objects.count(), Brief.objects.count()) == counts

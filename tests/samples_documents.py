"""Permission-matrix samples of the documents app. Documents and their extracted items are
reference data: every business user reads them all ("reference"); reviewing needs `change`
and promoting `approve` (checked on the grants, and on the organisation by the services)."""

import datetime as dt

from reformtrack.documents import briefs, services
from reformtrack.documents.models import Brief, Document, Extraction


def build(tree, people):
    docs = {}
    for side, name in (("a", "甲子公司"), ("b", "乙子公司")):
        text = f"{name}新闻\n发布时间：2021-08-02\n在专项评估中，{name}被评为标杆。"
        docs[side], _created = services.ingest(
            user=None, data=text.encode(), filename=f"sample-{side}.txt"
        )
    items = {side: Extraction.objects.filter(document=d).first() for side, d in docs.items()}
    # Briefs for one organisation are scoped to it.
    weekly = {
        side: briefs.build_brief(user=None, week=dt.date(2021, 8, 2), organisation=tree[code])
        for side, code in (("a", "A-SUB"), ("b", "B-SUB"))
    }
    # No "api" sample: reference data is no 404 for another group, which the API test expects.
    return {
        "models": {Document: docs, Extraction: items, Brief: weekly},
        "params": {"fmt": {"a": "html", "b": "html"}},
        "reference": {Document, Extraction},
    }

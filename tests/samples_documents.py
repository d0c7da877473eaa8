"""Permission-matrix samples of the documents app. A document belongs to an organisation: its
subtree and the supervisors above it read it, another group gets a 404 (page and API); its
extracted items follow it. A brief belongs to the organisation whose office edits it."""

import datetime as dt

from reformtrack.documents import briefs, services
from reformtrack.documents.models import Brief, Document, Extraction, LearnedSubstitution


def build(tree, people):
    docs = {}
    for side, code, name in (("a", "A-SUB", "甲子公司"), ("b", "B-SUB", "乙子公司")):
        text = f"{name}新闻\n发布时间：2021-08-02\n在专项评估中，{name}被评为标杆。"
        docs[side], _created = services.ingest(
            user=None, data=text.encode(), filename=f"sample-{side}.txt", owner=tree[code]
        )
    items = {side: Extraction.objects.filter(document=d).first() for side, d in docs.items()}
    # A brief built by the operator for one organisation belongs to it.
    weekly = {
        side: briefs.build_brief(user=None, week=dt.date(2021, 8, 2), organisation=tree[code])
        for side, code in (("a", "A-SUB"), ("b", "B-SUB"))
    }
    swaps = {
        side: LearnedSubstitution.objects.create(owner=tree[code], spun="产业", original="工业")
        for side, code in (("a", "A-SUB"), ("b", "B-SUB"))
    }
    return {
        "models": {Document: docs, Extraction: items, Brief: weekly, LearnedSubstitution: swaps},
        "api": {"document": docs, "brief": weekly},
        "params": {"fmt": {"a": "html", "b": "html"}},
    }

"""Demo documents: the five source articles (seeds 000-004, copied into demo_data/) and the
weekly brief of 2021-08-02 as a draft. Idempotent: files are known by checksum, the brief by
its week."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reformtrack.core.demo import register

DEMO_DATA = Path(__file__).parent / "demo_data"
BRIEF_WEEK = dt.date(2021, 8, 2)


@register(50, "documents")
def load(stdout=None) -> dict:
    from . import briefs, services
    from .models import Brief, Document

    new = 0
    for path in sorted(DEMO_DATA.glob("*.txt")):
        _document, created = services.ingest(user=None, data=path.read_bytes(), filename=path.name)
        new += created
    if not Brief.objects.filter(week_start=BRIEF_WEEK, organisation=None).exists():
        briefs.build_brief(user=None, week=BRIEF_WEEK)
    if stdout is not None:
        stdout.write(f"documents: {new} new, {Document.objects.count()} in all")
    return {"new": new, "documents": Document.objects.count(), "briefs": Brief.objects.count()}

"""Demo documents: the five source articles (seeds 000-004, copied into demo_data/), public
policies and news owned by the supervisor (SASAC), and SASAC's weekly brief of 2021-08-02 as a
draft, which only SASAC's office edits and publishes. Idempotent: files are known by checksum,
the brief by its week."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reformtrack.core.demo import register

DEMO_DATA = Path(__file__).parent / "demo_data"
BRIEF_WEEK = dt.date(2021, 8, 2)
SUPERVISOR = "SASAC"  # owner of the public documents and of the brief


@register(50, "documents")
def load(stdout=None) -> dict:
    from reformtrack.orgs.models import Organisation

    from . import briefs, services
    from .models import Brief, Document
    from .ownership import top_supervisor

    owner = Organisation.objects.filter(code=SUPERVISOR).first() or top_supervisor()
    new = 0
    for path in sorted(DEMO_DATA.glob("*.txt")):
        _document, created = services.ingest(
            user=None, data=path.read_bytes(), filename=path.name, owner=owner
        )
        new += created
    if not Brief.objects.filter(week_start=BRIEF_WEEK, organisation=None, owner=owner).exists():
        briefs.build_brief(user=None, week=BRIEF_WEEK, owner=owner)
    if stdout is not None:
        stdout.write(f"documents: {new} new, {Document.objects.count()} in all")
    return {"new": new, "documents": Document.objects.count(), "briefs": Brief.objects.count()}

"""Large back-fills on Celery with Redis when CELERY_BROKER_URL is set; the same plain
functions run in-process otherwise (the default). Celery itself is imported only when a broker
is configured (the `scale` extra); the worker is in `celery_app`:

    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 DJANGO_SETTINGS_MODULE=reformtrack.settings \\
        celery -A reformtrack.documents.celery_app worker --pool solo
"""

from __future__ import annotations

import os
from pathlib import Path


def broker_url() -> str:
    from django.conf import settings

    return getattr(settings, "CELERY_BROKER_URL", "") or os.environ.get("CELERY_BROKER_URL", "")


def analyse_file(path: str) -> dict:
    """The pipeline without the database: what ingestion would find (language, date, spun)."""
    from .pipeline import process

    done = process(Path(path).read_bytes(), Path(path).name)
    return {
        "file": path, "language": done.language, "published_on": str(done.meta["published_on"]),
        "spun": done.spun, "items": len(done.items),
    }  # fmt: skip


def ingest_file(path: str) -> dict:
    """Ingest one file as the operator; returns the document id and whether it is new."""
    from .services import ingest

    document, created = ingest(user=None, data=Path(path).read_bytes(), filename=Path(path).name)
    return {"file": path, "id": document.pk, "created": created}


def backfill(paths: list[str]) -> list:
    """Queue one ingestion per file when a broker is configured, else ingest in-process in
    batches (one transaction per 100 files). Returns task ids (queued) or results (in-process;
    a file that cannot be read gives its error, the others are ingested)."""
    if broker_url():
        from .celery_app import app, ingest_task

        app.conf.broker_url = broker_url()
        return [ingest_task.delay(str(p)).id for p in paths]
    from .services import ingest_many

    files = ((Path(p).read_bytes(), Path(p).name) for p in paths)
    results = []
    for path, done in zip(paths, ingest_many(user=None, files=files), strict=True):
        row = {"file": str(path), "id": done.document.pk if done.document else None}
        row["created"] = done.created
        if done.error:
            row["error"] = done.error
        results.append(row)
    from .models import Document
    from .spun_learning import learn_from_documents

    learn_from_documents(Document.objects.filter(pk__in=[r["id"] for r in results if r["id"]]))
    return results

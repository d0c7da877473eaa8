"""The Celery app and tasks of document back-fills (imported only when Celery is used)."""

from __future__ import annotations

import os

from celery import Celery

from . import tasks

app = Celery("reformtrack-documents")
app.conf.update(
    broker_url=os.environ.get("CELERY_BROKER_URL", "memory://"),
    result_backend=os.environ.get("CELERY_RESULT_BACKEND") or os.environ.get("CELERY_BROKER_URL"),
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
)


def _django() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


@app.task(name="documents.analyse")
def analyse_task(path: str) -> dict:
    _django()
    return tasks.analyse_file(path)


@app.task(name="documents.ingest")
def ingest_task(path: str) -> dict:
    _django()
    return tasks.ingest_file(path)

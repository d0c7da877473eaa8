"""The Celery app of jobs (imported only when JOBS_BACKEND=celery): one generic task that runs
any `django.tasks` task by its path, so job code is the same on every backend."""

from __future__ import annotations

import os

from celery import Celery

app = Celery("reformtrack")
app.conf.update(
    broker_url=os.environ.get("CELERY_BROKER_URL", "memory://"),
    task_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    worker_prefetch_multiplier=1,
)


@app.task(name="reformtrack.run_task")
def run_task(module_path: str, args: list, kwargs: dict):
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reformtrack.settings")
        django.setup()
    from django.utils.module_loading import import_string

    return import_string(module_path).call(*args, **kwargs)

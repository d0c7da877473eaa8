"""A `django.tasks` backend that hands tasks to Celery (Redis at CELERY_BROKER_URL): the scaled
profile. `JOBS_BACKEND=celery`; workers: `reformtrack worker` (which runs
`celery -A reformtrack.core.jobs.celery_app worker`). Celery loads only when a task is sent."""

from __future__ import annotations

from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskResult, TaskResultStatus
from django.utils.json import normalize_json


class CeleryBackend(BaseTaskBackend):
    supports_defer = False
    supports_get_result = False

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        from .celery_app import app, run_task

        app.conf.broker_url = broker_url()
        sent = run_task.apply_async(
            args=[task.module_path, normalize_json(list(args)), normalize_json(kwargs)],
            queue=task.queue_name,
            priority=None,
        )
        return TaskResult(
            task=task, id=sent.id, status=TaskResultStatus.READY, enqueued_at=None,
            started_at=None, last_attempted_at=None, finished_at=None, args=list(args),
            kwargs=kwargs, backend=self.alias, errors=[], worker_ids=[],
        )  # fmt: skip


def broker_url() -> str:
    from django.conf import settings

    return settings.CELERY_BROKER_URL or "memory://"

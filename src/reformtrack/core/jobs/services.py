"""Enqueue a job and run it: the one path every backend (database, Celery, immediate) takes."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from ..context import Actor, acting
from .progress import Progress

logger = logging.getLogger(__name__)


def enqueue(
    kind: str,
    *,
    user,
    organisation=None,
    function: str,
    kwargs: dict | None = None,
    title: str = "",
):
    """Record a job and put it on the queue; returns the Job (queued, or finished already with
    the immediate backend). `function` is a dotted path to `f(*, progress, user, **kwargs)`."""
    from django.tasks import task_backends

    from ..models import Job
    from .tasks import run_job

    job = Job.objects.create(
        kind=kind,
        title=stored_title(title),
        messages=title_messages(title),
        owner=user if getattr(user, "is_authenticated", False) else None,
        organisation=organisation,
        function=function,
        kwargs=kwargs or {},
    )
    backend = task_backends[run_job.backend]
    if _transactional(backend):
        _send(job.pk)  # the queue row commits (or not) with the job row
    else:
        transaction.on_commit(lambda: _send(job.pk))  # a broker would see it before the commit
    job.refresh_from_db()
    return job


def stored_title(title) -> str:
    """Titles are kept in the site's language, as notices are (a lazy text is rendered so)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return str(title)[:300]


def title_messages(title) -> list[dict]:
    """A title given as a stored_messages.Message is also kept as the job's first message
    (level "title"), so the job reads in each reader's language (`Job.__str__`)."""
    from ..stored_messages import as_stored

    stored = as_stored(title)
    return [{"level": "title", "message": stored}] if stored else []


def _transactional(backend) -> bool:
    """Database queues write in our transaction; the immediate backend runs at once."""
    from django.tasks.backends.immediate import ImmediateBackend

    name = type(backend).__module__
    return name.startswith("django_tasks_db") or isinstance(backend, ImmediateBackend)


def _send(job_id: int) -> None:
    from ..models import Job
    from .tasks import run_job

    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def execute(job_id: int, *, on_change=None) -> dict:
    """Run a queued job here and now (the worker's task body; also the command line's)."""
    from ..models import Job, JobState

    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.select_related("owner").get(pk=job_id)
    if not claimed:  # run twice (a retried message): the first run owns it
        return {"job": job_id, "state": job.state}
    progress = Progress(job, on_change=on_change)
    actor = Actor(fixed_user=job.owner, username=f"system:job-{job.pk}")
    try:
        with acting(actor):
            result = import_string(job.function)(progress=progress, user=job.owner, **job.kwargs)
    except Exception as exc:  # noqa: BLE001 - any failure ends the job as failed, with its reason
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        progress.error(_reason(exc))
        _finish(job, progress, JobState.FAILED, {})
        return {"job": job_id, "state": JobState.FAILED}
    _finish(job, progress, JobState.DONE, result or {})
    return {"job": job_id, "state": JobState.DONE}


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(m) for m in exc.messages)
    return str(exc) or type(exc).__name__


def _finish(job, progress: Progress, state: str, result: dict) -> None:
    """The row's final state: the page stops polling once it reads done or failed."""
    result = dict(result)
    upload = result.pop("file", None)
    progress.save()
    job.refresh_from_db()
    if upload is not None:
        name, data = upload
        job.result_file.save(name, ContentFile(data), save=False)
    if state == "done" and job.total is None:
        job.total = job.done
    job.state = state
    job.result = result
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "result", "result_file", "total", "finished_at"])

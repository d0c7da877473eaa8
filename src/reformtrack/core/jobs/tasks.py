"""The one queue task: run a job by its id. Every backend calls this same function."""

from django.tasks import task


@task()
def run_job(job_id: int) -> dict:
    from .services import execute

    return execute(job_id)

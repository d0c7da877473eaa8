"""Run a job in the command's own process under a progress bar, then one line (or JSON).

The job is recorded like any other (the web page shows it too); `--queue` style commands call
`enqueue` instead and print the job's id."""

from __future__ import annotations

import sys

from django.core.management.base import CommandError


def run_here(
    command, kind: str, *, user, function: str, kwargs: dict, organisation=None, title="",
    json_mode: bool = False,
):  # fmt: skip
    """Record the job, run it here with a tqdm bar on stderr; returns the finished Job.
    A failed job raises CommandError naming its errors."""
    from tqdm import tqdm

    from ..models import Job, JobState
    from .services import execute, stored_title, title_messages

    job = Job.objects.create(
        kind=kind, title=stored_title(title), owner=user, organisation=organisation,
        function=function, kwargs=kwargs, messages=title_messages(title),
    )  # fmt: skip
    bar = tqdm(
        total=None, desc=job.title or kind, unit="", leave=False,
        disable=json_mode or not sys.stderr.isatty(),
    )  # fmt: skip

    def draw(progress) -> None:
        if progress.total is not None and bar.total != progress.total:
            bar.total = progress.total
        bar.n = progress.done
        if progress.item:
            bar.set_postfix_str(progress.item[:40], refresh=False)
        bar.refresh()

    try:
        execute(job.pk, on_change=draw)
    finally:
        bar.close()
    job.refresh_from_db()
    if job.state == JobState.FAILED:
        errors = [m["text"] for m in job.messages if m["level"] == "error"]
        raise CommandError(f"{job.title or kind} failed: " + "; ".join(errors[-3:]))
    return job


def summary(job) -> dict:
    """What a command prints of a finished job (the `--json` form)."""
    return {
        "job": job.pk, "kind": job.kind, "state": job.state, "done": job.done,
        "total": job.total, "errors": job.error_count,
        "seconds": round(job.duration.total_seconds(), 2) if job.duration else None,
        "result": job.result,
    }  # fmt: skip


def summary_line(job) -> str:
    data = summary(job)
    extra = ", ".join(f"{k} {v}" for k, v in job.result.items() if not isinstance(v, (dict, list)))
    line = (f"{job.title or job.kind}: {data['state']}, {data['done']}/{data['total']} in "
            f"{data['seconds']} s, {data['errors']} errors")  # fmt: skip
    return f"{line} ({extra})" if extra else line

"""Permission-matrix samples of jobs: a finished job with a result file per group."""

from __future__ import annotations

from django.core.files.base import ContentFile

from reformtrack.core.models import Job, JobState


def build(tree, people) -> dict:
    jobs = {}
    for side, code in (("a", "A-SUB"), ("b", "B-SUB")):
        job = Job.objects.create(
            kind="sample", organisation=tree[code], state=JobState.DONE, total=1, done=1,
            function="reformtrack.programs.services.tallies.mark_all_overdue",
        )  # fmt: skip
        job.result_file.save(f"result-{side}.csv", ContentFile(b"a,b\n"))
        jobs[side] = job
    return {"models": {Job: jobs}}

"""Jobs: long work on the task queue, with a page that shows its progress, errors and result.

Most tests run jobs on Django's immediate backend (in the test's own transaction); one runs a
job the way production does: queued in the database (django-tasks-db) and picked up by
`reformtrack worker --batch`.
"""

from __future__ import annotations

import io
import json
import signal

import pytest
from django.core.management import call_command
from django.urls import reverse

from reformtrack.core.jobs import enqueue
from reformtrack.core.jobs.cli import run_here, summary_line
from reformtrack.core.models import AuditRecord, Job, JobState
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.services import audit

HERE = __name__
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


# Job functions the tests run (any importable `f(*, progress, user, **kwargs)` is a job).
def count_rows(*, progress, user, rows: int, bad: list | None = None) -> dict:
    progress.total = rows
    for number in range(1, rows + 1):
        if number in (bad or []):
            progress.error(f"row {number}: no deadline")
        progress.advance(1, f"row {number}")
    audit.record(action=AuditAction.UPDATE, object_type="test.job", object_id="1")
    return {"rows": rows, "summary": f"{rows} rows", "file": ("rows.csv", b"a,b\n1,2\n")}


def explode(*, progress, user) -> dict:
    progress.total = 3
    progress.advance(1, "row 1")
    raise ValueError("row 2: the sheet ends early")


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def test_a_job_runs_to_done_with_progress_result_and_file(immediate, people, tree):
    office = people["reform_office"]
    job = enqueue(
        "count", user=office, organisation=tree["GROUP-A"], title="Counting",
        function=f"{HERE}.count_rows", kwargs={"rows": 5, "bad": [3]},
    )  # fmt: skip
    assert job.state == JobState.DONE
    assert (job.done, job.total, job.error_count) == (5, 5, 1)
    assert job.messages[0]["text"] == "row 3: no deadline"
    assert job.result == {"rows": 5, "summary": "5 rows"}
    assert job.result_file.read() == b"a,b\n1,2\n"
    assert job.started_at <= job.finished_at
    # The work is recorded in the name of whoever started the job.
    record = AuditRecord.objects.get(object_type="test.job")
    assert record.actor_id == office.pk


def test_a_failing_job_is_failed_with_its_reason(immediate, people):
    job = enqueue("boom", user=people["viewer"], function=f"{HERE}.explode")
    assert job.state == JobState.FAILED
    assert (job.done, job.total) == (1, 3)
    assert [m["text"] for m in job.messages] == ["row 2: the sheet ends early"]


def test_job_page_polls_while_running_and_stops_when_finished(immediate, client_for, people):
    office = people["reform_office"]
    running = Job.objects.create(kind="count", owner=office, function=f"{HERE}.count_rows")
    Job.objects.filter(pk=running.pk).update(
        state=JobState.RUNNING, total=200, done=50, current_item="row 50"
    )
    client = client_for(office)
    page = client.get(reverse("core:job", args=[running.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'hx-trigger="every 1s"' in html and '<progress value="50" max="200">' in html
    assert "row 50" in html and "htmx" in html  # the page loads htmx, offline
    # htmx's poll gets only the progress block; once finished it no longer polls.
    Job.objects.filter(pk=running.pk).update(state=JobState.DONE, done=200, current_item="")
    block = client.get(reverse("core:job", args=[running.pk]), HTTP_HX_REQUEST="true")
    text = block.content.decode()
    assert text.lstrip().startswith('<section class="card" id="job-progress"')
    assert "hx-trigger" not in text and "<html" not in text


def test_job_page_shows_errors_and_links_the_result(immediate, client_for, people, tree):
    office = people["reform_office"]
    job = enqueue(
        "count", user=office, organisation=tree["GROUP-A"], function=f"{HERE}.count_rows",
        kwargs={"rows": 4, "bad": [2, 4]},
    )  # fmt: skip
    client = client_for(office)
    html = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "row 2: no deadline" in html and "row 4: no deadline" in html
    assert "4 rows" in html
    download = client.get(reverse("core:job_result", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"a,b\n1,2\n"
    assert "rows" in download["Content-Disposition"]


def test_jobs_are_scoped_like_business_objects(immediate, client_for, people, tree):
    mine = enqueue(
        "count", user=people["reform_office"], organisation=tree["A-SUB"],
        function=f"{HERE}.count_rows", kwargs={"rows": 1},
    )  # fmt: skip
    private = enqueue("count", user=people["contributor"], function=f"{HERE}.count_rows",
                      kwargs={"rows": 1})  # fmt: skip
    # Whoever sees the organisation sees its jobs; a job without one is its owner's alone.
    viewer = client_for(people["viewer"])
    assert viewer.get(reverse("core:job", args=[mine.pk])).status_code == 200
    assert viewer.get(reverse("core:job", args=[private.pk])).status_code == 404
    assert client_for(people["contributor"]).get(
        reverse("core:job", args=[private.pk])
    ).status_code == 200  # fmt: skip
    outsider = client_for(people["outsider"])
    for name in ("core:job", "core:job_result"):
        assert outsider.get(reverse(name, args=[mine.pk])).status_code == 404
    # "My jobs" lists the jobs the user started, and only those.
    table = client_for(people["reform_office"]).get(reverse("core:jobs")).context["table"]
    assert [row.record.pk for row in table.paginated_rows] == [mine.pk]


def test_command_line_runs_a_job_here_with_a_summary(people, tree):
    command = type("Cmd", (), {})()
    job = run_here(
        command, "count", user=None, title="Counting", function=f"{HERE}.count_rows",
        kwargs={"rows": 3},
    )  # fmt: skip
    assert job.state == JobState.DONE and job.owner is None
    assert summary_line(job).startswith("Counting: done, 3/3 in ")
    assert "rows 3" in summary_line(job)


def test_command_line_job_failure_is_a_command_error(people):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="row 2: the sheet ends early"):
        run_here(object(), "boom", user=None, function=f"{HERE}.explode", kwargs={})
    assert Job.objects.get(kind="boom").state == JobState.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_queued_job_is_run_by_the_database_worker(tree, people, settings):
    """The production path: the job waits in the database queue until a worker runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    office = people["reform_office"]
    job = enqueue(
        "count", user=office, organisation=tree["GROUP-A"], function=f"{HERE}.count_rows",
        kwargs={"rows": 7, "bad": [5]},
    )  # fmt: skip
    assert job.state == JobState.QUEUED and job.done == 0 and job.task_id
    assert DBTaskResult.objects.filter(pk=job.task_id, status="READY").exists()
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:  # the worker installs its own signal handlers: give pytest its own back afterwards
        call_command("worker", "--batch", stdout=io.StringIO())
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert (job.done, job.total, job.error_count) == (7, 7, 1)
    assert job.result["rows"] == 7
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"


def test_closing_a_period_from_the_command_line_is_a_job(programme):
    out = io.StringIO()
    call_command("rollup", "close", "--program", "MINI", "--period", "2021-06", "--json",
                 stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["period_end"] == "2021-06-30" and data["snapshots"] > 0
    job = Job.objects.get(pk=data["job"]["job"])
    assert job.kind == "close_period" and job.state == JobState.DONE
    assert job.done == job.total == data["snapshots"]


def test_remind_marks_overdue_as_the_system(programme, task_of):
    out = io.StringIO()
    call_command("remind", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["overdue"]["state"] == "done" and data["overdue"]["result"]["marked"] == 7
    assert task_of("M-1", "A-SUB").status == "overdue"
    record = AuditRecord.objects.get(object_type="programs.programme")
    assert record.actor_id is None and record.actor_username.startswith("system")


def test_closing_a_period_from_the_dashboard_queues_a_job(immediate, client_for, people, programme):
    dashboard = reverse("programs:dashboard", args=["MINI"])
    close = reverse("programs:close-period", args=["MINI"])
    admin = client_for(people["supervisor_admin"])
    assert 'data-testid="close-period"' in admin.get(dashboard).content.decode()
    response = admin.post(close, {"period": "2021-06"})
    job = Job.objects.get(kind="close_period")
    assert response.status_code == 302 and response["Location"] == reverse(
        "core:job", args=[job.pk]
    )
    assert job.state == JobState.DONE and job.owner == people["supervisor_admin"]
    assert job.result["period_end"] == "2021-06-30" and job.done == job.total > 0
    # Only a supervisor administrator closes periods; others see no form and are refused.
    office = client_for(people["reform_office"])
    assert 'data-testid="close-period"' not in office.get(dashboard).content.decode()
    assert office.post(close, {"period": "2021-06"}).status_code == 403
    assert admin.post(close, {"period": "someday"}).status_code == 302
    assert Job.objects.count() == 1


def test_rebuilding_tallies_is_a_job_that_restores_the_counts(programme, tree):
    from reformtrack.programs.models import CoverageTally, LedgerTally
    from reformtrack.programs.selectors.rollup import subtree_tally
    from reformtrack.programs.services.tallies import mark_overdue

    mark_overdue(programme)
    fields = ["organisation_id", "org_path", "depth", "area_id", "subtree", "tasks", "done"]
    fields += ["main_tasks", "main_done", "weight", "weight_done", "progress_sum", "overdue"]

    def rows():
        return sorted(LedgerTally.objects.filter(programme=programme).values_list(*fields))

    kept = rows()  # as every ledger write left them
    before = subtree_tally(None, programme, tree["SASAC"]).as_dict()
    LedgerTally.objects.filter(programme=programme).delete()  # e.g. after a raw load
    out = io.StringIO()
    call_command("rollup", "rebuild", "--program", "MINI", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["state"] == "done" and data["result"]["rows"] > 0
    assert subtree_tally(None, programme, tree["SASAC"]).as_dict() == before
    coverage = CoverageTally.objects.filter(programme=programme).count()  # recounted too
    assert rows() == kept and data["result"]["rows"] == len(kept) + coverage


def test_celery_backend_runs_the_same_job(settings, people, django_capture_on_commit_callbacks):
    """JOBS_BACKEND=celery: the job is sent once the transaction commits and runs through the
    same task body (Celery in eager mode here; Redis and `reformtrack worker` in production)."""
    from reformtrack.core.jobs.celery_app import app

    settings.TASKS = {"default": {"BACKEND": "reformtrack.core.jobs.celery.CeleryBackend"}}
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = enqueue(
                "count", user=people["viewer"], function=f"{HERE}.count_rows",
                kwargs={"rows": 2},
            )  # fmt: skip
            assert job.state == JobState.QUEUED  # nothing is sent before the commit
    finally:
        app.conf.task_always_eager = False
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == 2 and job.task_id

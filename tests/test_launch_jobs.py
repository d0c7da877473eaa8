"""Launching a programme is a job: the programme page's request only queues it (no task, tally or
audit record is written in the request); the job writes every applicable task in bulk, counts
the tallies, records the launch in the audit trail under the launcher and ends with a one-line
summary and a link to the programme. The command line runs the same job under a progress bar."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reformtrack.core.jobs import execute
from reformtrack.core.libraries import install_library
from reformtrack.core.models import AuditRecord, Job, JobState
from reformtrack.orgs.models import Designation, DesignationKind
from reformtrack.programs.models import Launch, LedgerTally, LedgerTask, Programme

from .conftest import DATA

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def mini(tree):
    install_library((DATA / "mini-programme.yaml").read_text(encoding="utf-8"))
    return Programme.objects.get(code="MINI")


def launch_writes(queries) -> list[str]:
    """Writes of the launch itself (the job row and its queue entry are the request's work)."""
    return [
        q["sql"][:120]
        for q in queries
        if WRITE.match(q["sql"])
        and re.search(r"programs_|core_auditrecord", q["sql"])
        and "django_session" not in q["sql"]
    ]


def test_the_launch_request_only_queues_the_job(client_for, people, tree, mini):
    client = client_for(people["supervisor_admin"])
    url = reverse("programs:launch", args=["MINI"])
    audit_before = AuditRecord.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"organisation": tree["SASAC"].pk})
    job = Job.objects.get(kind="programme_launch")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert launch_writes(captured.captured_queries) == []
    assert not LedgerTask.objects.exists() and not Launch.objects.exists()
    assert AuditRecord.objects.count() == audit_before
    assert job.state == JobState.QUEUED and job.owner == people["supervisor_admin"]

    execute(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    codes = set(LedgerTask.objects.values_list("code", flat=True))
    assert {"M-1-A-SUB", "M-1-A-SUB2", "M-1-B-SUB", "M-2-GROUP-A", "M-3-GROUP-A"} <= codes
    assert job.result["created"] == len(codes) and job.done == job.total == len(codes)
    assert job.result["url"] == reverse("programs:programme", args=["MINI"])
    assert str(len(codes)) in job.result["summary"]
    # tallies counted, one audit record of the launch naming the launcher and every task
    assert LedgerTally.objects.filter(programme=mini).exists()
    record = AuditRecord.objects.filter(object_type__icontains="launch").latest("seq")
    assert record.actor_id == people["supervisor_admin"].pk
    assert sorted(record.changes["task_codes"]["after"]) == sorted(codes)
    # the job page shows the summary and links to the programme
    page = client.get(reverse("core:job", args=[job.pk]), **EN).content.decode()
    assert reverse("programs:programme", args=["MINI"]) in page
    summary = re.search(r'data-value="summary">([^<]*)<', page).group(1)
    assert str(len(codes)) in summary


def test_launching_again_by_job_adds_nothing_twice(client_for, people, tree, mini):
    client = client_for(people["supervisor_admin"])
    url = reverse("programs:launch", args=["MINI"])
    for _ in range(2):
        client.post(url, {"organisation": tree["SASAC"].pk})
        execute(Job.objects.filter(kind="programme_launch").latest("pk").pk)
    first, second = Job.objects.filter(kind="programme_launch").order_by("pk")
    assert first.result["created"] > 0 and second.result["created"] == 0
    assert LedgerTask.objects.count() == first.result["created"]
    assert Launch.objects.count() == 1


def test_a_launch_by_designation_is_a_job_and_refusals_come_at_once(client_for, people, tree, mini):
    kind = DesignationKind.objects.get(code="DOUBLE_HUNDRED")
    for code in ("A-SUB2", "B-SUB"):
        Designation.objects.create(organisation=tree[code], kind=kind, valid_from="2021-01-01")
    url = reverse("programs:launch", args=["MINI"])
    assert client_for(people["reform_office"]).post(url, {}).status_code == 403
    client = client_for(people["supervisor_admin"])
    nobody = DesignationKind.objects.exclude(code="DOUBLE_HUNDRED").first()
    refused = client.post(url, {"designation": nobody.code})
    assert refused.status_code == 200 and refused.context["form"].errors["designation"]
    assert not Job.objects.exists()

    response = client.post(url, {"designation": "DOUBLE_HUNDRED"})
    job = Job.objects.get(kind="programme_launch")
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert not LedgerTask.objects.exists()
    execute(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result["launches"] == 2
    assert set(LedgerTask.objects.values_list("code", flat=True)) == {"M-1-A-SUB2", "M-1-B-SUB"}
    assert {launch.designation for launch in Launch.objects.all()} == {"DOUBLE_HUNDRED"}


def test_the_command_line_launch_runs_the_same_job(tree, people, mini):
    out = io.StringIO()
    call_command("launch", "--program", "mini", "--org", "SASAC", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["state"] == "done" and data["result"]["created"] == LedgerTask.objects.count() > 0
    assert data["done"] == data["total"] == data["result"]["created"]
    assert Job.objects.get(pk=data["job"]).kind == "programme_launch"

    out = io.StringIO()
    call_command("launch", "--program", "MINI", "--org", "SASAC", stdout=out)
    line = out.getvalue().strip()
    assert "done" in line and "created 0" in line and "\n" not in line

    with pytest.raises(CommandError):
        call_command("launch", "--program", "MINI", "--org", "GROUP-A", "--user",
                     people["reform_office"].username, stdout=io.StringIO())  # fmt: skip

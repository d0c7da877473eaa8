"""A request never does batch work and reading writes nothing.

Every main page is read with every deadline of the programme past (the case that used to mark
the day's overdue tasks, recount tallies and write audit records inside the first request of
the day): the page must send no INSERT, UPDATE or DELETE but the session's own row, leave the
tasks as they were and add nothing to the audit trail. The marking is the daily job's work.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reformtrack.core.models import AuditRecord, Job
from reformtrack.programs.models import LedgerTally, LedgerTask
from reformtrack.programs.services.tallies import mark_all_overdue

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
SESSION = re.compile(r"\bdjango_session\b")


def pages(tree, programme):
    group = tree["GROUP-A"]
    task = LedgerTask.objects.filter(programme=programme).order_by("pk").first()
    return {
        "home": reverse("core:home"),
        "inbox": reverse("core:inbox"),
        "programmes": reverse("programs:programmes"),
        "ledger": reverse("programs:ledger", args=[programme.code]),
        "dashboard": reverse("programs:dashboard", args=[programme.code]),
        "dashboard of a group": reverse("programs:dashboard", args=[programme.code])
        + f"?org={group.pk}",
        "organisation": reverse("orgs:organisation", args=[group.pk]),
        "KPI home": reverse("kpis:home"),
        "KPI overview": reverse("kpis:overview", args=[group.pk]),
        "my jobs": reverse("core:jobs"),
        "task": reverse("programs:task", args=[task.pk]),
        "KPI peers": reverse("kpis:peers", args=[group.pk]),
        "documents": reverse("documents:list"),
        "briefs": reverse("documents:briefs"),
        "assessments": reverse("assessments:campaigns"),
        "audit": reverse("core:audit"),
        "API tasks": "/api/programs/tasks/?limit=50",
    }


# Pages some of the users may not open: reading them still writes nothing.
MAY_REFUSE = {"audit", "task", "KPI peers"}


def writes(queries) -> list[str]:
    return [
        q["sql"][:160] for q in queries if WRITE.match(q["sql"]) and not SESSION.search(q["sql"])
    ]


@pytest.mark.parametrize("who", ["supervisor_admin", "reform_office", "viewer"])
def test_reading_main_pages_writes_nothing(client_for, people, tree, programme, who):
    client = client_for(people[who])
    statuses = dict(LedgerTask.objects.values_list("pk", "status"))
    audit_before = AuditRecord.objects.count()
    for name, url in pages(tree, programme).items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        allowed = {200, 403, 404} if name in MAY_REFUSE else {200}
        assert response.status_code in allowed, f"{name}: {response.status_code}"
        assert writes(captured.captured_queries) == [], f"{name} ({url}) wrote to the database"
    assert dict(LedgerTask.objects.values_list("pk", "status")) == statuses
    assert AuditRecord.objects.count() == audit_before
    assert not Job.objects.exists()


def test_overdue_counts_come_from_the_daily_job_not_from_a_reader(
    client_for, people, tree, programme
):
    client = client_for(people["supervisor_admin"])
    url = reverse("programs:dashboard", args=[programme.code])
    assert client.get(url).status_code == 200
    assert not LedgerTask.objects.filter(status="overdue").exists()
    assert sum(LedgerTally.objects.filter(subtree=False).values_list("overdue", flat=True)) == 0
    mark_all_overdue()
    marked = LedgerTask.objects.filter(status="overdue", parent__isnull=True).count()
    assert marked == 7
    assert sum(LedgerTally.objects.filter(subtree=False).values_list("overdue", flat=True)) == 7
    html = client.get(url).content.decode()
    assert re.search(r'<dd data-value="overdue">7\b', html)

"""Texts written once and read by many (reminder notices, job titles) read in each reader's
language: an English reader sees English, a Chinese reader Chinese, whatever the language the
text was written in (reminders are written by cron in the site's language)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from reformtrack.core.jobs import enqueue
from reformtrack.core.models import Notification
from reformtrack.core.stored_messages import Message
from reformtrack.programs.services.reminders import remind_due, weekly_summary

from .conftest import signed_in

TODAY = dt.date(2026, 11, 23)
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def nothing(*, progress, user) -> dict:
    """A job that does nothing (the test looks at its title)."""
    return {}


def page(user, language: str, url: str) -> str:
    client = signed_in(Client(), user)
    client.cookies["django_language"] = language
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_a_weekly_summary_notice_reads_in_the_readers_language(programme, people):
    assert weekly_summary(today=TODAY)["sent"] >= 1
    office = people["reform_office"]
    english = page(office, "en", reverse("core:inbox"))
    chinese = page(office, "zh-hans", reverse("core:inbox"))
    assert "tasks done" in english and "overall progress" in english
    assert "已完成" not in english and "整体进度" not in english
    assert "已完成" in chinese and "整体进度" in chinese
    assert "tasks done" not in chinese and "overall progress" not in chinese
    # The mail and the text kept for older readers are in the site's language (Chinese).
    assert "整体进度" in Notification.objects.get(user=office, kind="ledger_weekly").body


def test_a_due_reminder_with_more_tasks_than_listed_says_so_in_each_language(
    programme, people, monkeypatch
):
    from reformtrack.programs.services import reminders

    monkeypatch.setattr(reminders, "LISTED", 1)  # more tasks than one notice lists
    remind_due(days=4000, today=TODAY)
    notice = Notification.objects.filter(kind="ledger_due").first()
    assert notice is not None
    english = page(notice.user, "en", reverse("core:inbox"))
    chinese = page(notice.user, "zh-hans", reverse("core:inbox"))
    assert "more" in english and "另有" not in english
    assert "另有" in chinese and "… and" not in chinese
    assert "due within" in english and "天内到期" in chinese


@pytest.mark.parametrize(("language", "shown", "not_shown"), [
    ("en", "Export of Ledger", "导出"), ("zh-hans", "导出：台账", "Export of"),
])  # fmt: skip
def test_a_job_title_reads_in_the_readers_language(
    settings, people, tree, language, shown, not_shown
):
    settings.TASKS = IMMEDIATE
    office = people["reform_office"]
    title = Message(gettext_noop("Export of %(table)s"), table=gettext_lazy("Ledger"))
    job = enqueue(
        "table_export", user=office, organisation=tree["GROUP-A"], title=title,
        function=f"{__name__}.nothing",
    )  # fmt: skip
    assert job.title == "导出：台账"  # kept in the site's language for the command line
    for url in (reverse("core:job", args=[job.pk]), reverse("core:jobs")):
        html = page(office, language, url)
        assert shown in html and not_shown not in html, url


@pytest.mark.parametrize(("language", "shown", "not_shown"), [
    ("en", "Counting the ledger", "统计台账"), ("zh-hans", "正在统计台账", "Counting the ledger"),
])  # fmt: skip
def test_a_running_jobs_step_reads_in_the_readers_language(
    people, tree, language, shown, not_shown
):
    from reformtrack.core.jobs.progress import Progress
    from reformtrack.core.models import Job, JobState

    office = people["reform_office"]
    job = Job.objects.create(
        kind="close_period", owner=office, organisation=tree["GROUP-A"], state=JobState.RUNNING,
        function=f"{__name__}.nothing",
    )  # fmt: skip
    Progress(job).at(Message(gettext_noop("Counting the ledger")))  # as close_period does
    html = page(office, language, reverse("core:job", args=[job.pk]))
    assert shown in html and not_shown not in html

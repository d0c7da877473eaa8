"""The home page lists what waits for the user (UI review P3-18), within their scope."""

from __future__ import annotations

import re

import pytest

from reformtrack.programs.services import reports


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def todo(html: str) -> str:
    return html.split('data-testid="home-todo"', 1)[1].split("</section>", 1)[0]


def test_home_counts_pending_approvals_and_overdue_tasks(people, client_for, programme, task_of):
    report = reports.save_report(
        user=people["contributor"], task=task_of("M-1", "A-SUB"), status="done", percent=100
    )
    reports.submit_report(user=people["contributor"], report=report)
    html = todo(client_for(people["reform_office"]).get("/").content.decode())
    assert re.search(r'<a href="/inbox/">1 项审批等待您处理</a>', html)
    # MINI's deadlines are past: group A's M-2 and M-3, A-SUB's and A-SUB2's M-1 are overdue.
    link = re.search(
        r'<a href="(/programmes/MINI/ledger/\?overdue=on)">小程序：(\d+) 项逾期任务</a>', html
    )
    assert link and link.group(2) == "4"


def test_home_counts_only_the_users_scope(people, client_for, programme):
    html = todo(client_for(people["outsider"]).get("/").content.decode())
    assert "没有等待您处理的审批。" in html
    assert "小程序：3 项逾期任务" in html  # GROUP-B's M-2, M-3 and B-SUB's M-1


def test_home_without_anything_waiting(people, client_for, tree):
    html = todo(client_for(people["viewer"]).get("/").content.decode())
    assert "没有等待您处理的审批。" in html
    assert "您的范围内没有逾期任务。" in html

"""Change history reads as labelled fields and choice labels, not columns and codes (P2-27)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from reformtrack.core.models import AuditRecord
from reformtrack.core.templatetags.audit_tags import readable_changes
from reformtrack.programs.services.tasks import add_task, seed_progress_as_system

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def new_task(programme, people, tree):
    """A one-off task added outside any template (as a rectification is)."""
    return add_task(
        user=people["reform_office"], programme=programme, area=programme.areas.first(),
        organisation=tree["GROUP-A"], code="fix-1", title="整改董事会", deadline="2026-12-31",
    )  # fmt: skip


def history_section(html: str) -> str:
    heading = "<h2>变更记录</h2>" if "<h2>变更记录</h2>" in html else "<h2>History</h2>"
    return html.split(heading, 1)[1]


def test_a_created_task_is_one_labelled_line(people, client_for, new_task):
    task = new_task
    html = client_for(people["reform_office"]).get(task.get_absolute_url()).content.decode()
    history = history_section(html)
    assert history.count('data-testid="change-summary"') == 1
    summary = re.search(r'data-testid="change-summary">(.*?)</p>', history, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", summary)
    assert "任务编号 FIX-1" in text
    assert "甲集团" in text  # the organisation by name, not its id
    assert "一次性" in text  # the kind's label
    for raw in ("programme_id", "organisation_id", "area_id", "one_off", "not_started", "id "):
        assert raw not in text
    assert "未启动" not in text  # default values are not repeated


def test_a_change_shows_field_names_and_labels(people, client_for, new_task):
    office = people["reform_office"]
    task = seed_progress_as_system(task=new_task, status="in_progress", percent=40)
    html = client_for(office).get(task.get_absolute_url()).content.decode()
    row = r'<tr><th>(.*?)</th><td class="before">(.*?)</td><td class="after">(.*?)</td>'
    rows = re.findall(row, history_section(html))
    assert ("状态", "未启动", "推进中") in rows
    assert ("完成百分比", "0", "40") in rows
    assert not any(label in ("updated_at", "更新时间", "id") for label, _b, _a in rows)


def test_english_labels_follow_the_ui(people, client_for, new_task):
    task = new_task
    html = client_for(people["reform_office"]).get(task.get_absolute_url(), **EN).content.decode()
    text = re.sub(r"<[^>]+>", "", history_section(html))
    assert "Task code FIX-1" in text
    assert "Kind One-off" in text


def test_records_of_unknown_types_keep_their_keys(db):
    record = AuditRecord(object_type="", changes={"reason": "bad password"})
    with translation.override("zh-hans"):
        assert readable_changes(record).rows == [("reason", None, "bad password")]

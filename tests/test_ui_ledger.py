"""Ledger table readability (UI review P3-14): no mid-word wraps, selects offer 全部."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_filter_selects_offer_all_instead_of_dashes(people, client_for, programme):
    html = client_for(people["reform_office"]).get("/programmes/MINI/ledger/").content.decode()
    form = html.split('data-testid="ledger-filters"', 1)[1].split("</form>", 1)[0]
    assert "---------" not in form
    for name in ("org", "area", "status", "kind"):
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', form, re.S).group(1)
        assert re.search(r'<option value=""[^>]*>全部</option>', select), name


def test_dates_badges_and_kinds_do_not_wrap(people, client_for, programme, task_of):
    task = task_of("M-2", "GROUP-A")
    html = client_for(people["reform_office"]).get("/programmes/MINI/ledger/").content.decode()
    row = re.search(rf'<tr [^>]*data-task="{task.code}"[^>]*>(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="nowrap">(.*?)</td>', row, re.S)
    assert task.deadline.isoformat() in cells
    assert "一次性" in cells
    assert any("未启动" in cell for cell in cells)

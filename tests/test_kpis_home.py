"""The KPI home as a supervisor meets it: each organisation's latest full-year KPIs with ✓/✗
against the targets and the count met, groups first; its scope only; and a query count that
does not grow with the number of organisations."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reformtrack.kpis.services import derive_targets
from reformtrack.kpis.summary import home_summary

from . import test_kpis_engine
from .test_kpis_engine import YEAR_LINES, enter

kpisets = test_kpis_engine.kpisets  # the shipped libraries, loaded


def test_home_summarises_latest_full_year_against_targets(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2023)
    enter(tree["GROUP-A"], 2024, dict(YEAR_LINES, total_profit=90))
    enter(tree["GROUP-A"], 2025, period="Q2")  # not a full year: 2024 stays the latest
    derive_targets(user=None, organisation=tree["GROUP-A"], year=2024, shape="YLWD")
    enter(tree["A-SUB"], 2024)
    enter(tree["GROUP-B"], 2023)
    text = client_for(people["supervisor_admin"]).get(reverse("kpis:home")).content.decode()
    orgs = re.findall(r'<tr data-org="([^"]+)"', text)
    assert orgs.index("GROUP-A") < orgs.index("A-SUB") and "GROUP-B" in orgs  # groups first
    a_row = re.search(r'<tr data-org="GROUP-A">.*?</tr>', text, re.S)[0]
    assert "<td>2024</td>" in a_row and "90.00 亿元" in a_row
    assert re.search(r'data-kpi="TOTAL_PROFIT"[^>]*>90.00 亿元 <span data-testid="mark">✓', a_row)
    assert re.search(r'data-testid="met">\d/6<', a_row)
    assert reverse("kpis:peers", args=[tree["GROUP-A"].pk]) in a_row
    b_row = re.search(r'<tr data-org="GROUP-B">.*?</tr>', text, re.S)[0]
    assert "<td>2023</td>" in b_row and "未设目标" in b_row  # judged by 2023's set, no targets


def test_home_shows_only_the_users_scope(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2024)
    enter(tree["GROUP-B"], 2024)
    text = client_for(people["viewer"]).get(reverse("kpis:home")).content.decode()
    assert "甲集团" in text and "乙集团" not in text


def test_home_queries_do_not_grow_with_organisations(kpisets, tree, people):
    user = people["supervisor_admin"]
    enter(tree["GROUP-A"], 2024)
    home_summary(user)  # the user's grants are read once and cached
    with CaptureQueriesContext(connection) as one:
        rows = home_summary(user)
        assert len(rows) == 1 and len(rows[0].cells) == 6
    for code in ("GROUP-B", "A-SUB", "B-SUB"):
        enter(tree[code], 2024)
    with CaptureQueriesContext(connection) as four:
        assert len(home_summary(user)) == 4
    assert len(four.captured_queries) == len(one.captured_queries)

"""Peer comparison as a group's reform office meets it: statistics and its own rank over all the
supervisor's groups, but never another group's name or value."""

from __future__ import annotations

import re

from django.urls import reverse

from reformtrack.kpis.peers import peers

from . import test_kpis_engine
from .test_kpis_engine import YEAR_LINES, enter

kpisets = test_kpis_engine.kpisets  # the shipped libraries, loaded


def _section(text: str, code: str) -> str:
    return re.search(rf'<section class="card" data-kpi="{code}">.*?</section>', text, re.S)[0]


def test_office_sees_rank_and_median_over_both_groups_but_not_group_b(
    kpisets, tree, people, client_for, settings
):
    settings.REFORMTRACK_PEER_MIN_HIDDEN = 1  # two groups only in this tree
    enter(tree["GROUP-A"], 2024)  # ROE 60 / 400 = 15.00 %
    enter(tree["GROUP-B"], 2024, dict(YEAR_LINES, net_profit=30))  # ROE 7.50 %
    page = client_for(people["reform_office"]).get(
        reverse("kpis:peers", args=[tree["GROUP-A"].pk]) + "?year=2024"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "乙集团" not in text and "Group B" not in text and "GROUP-B" not in text
    roe = _section(text, "ROE")
    assert "中位数 11.25" in roe and "n=2" in roe  # (15.00 + 7.50) / 2, over A and B
    assert 'data-testid="rank">1 / 2<' in roe and "甲集团" in roe
    assert "7.50" not in roe  # Group B's value is never shown
    assert "其他 1 家单位" in roe


def test_selector_counts_hidden_rows_and_ranks_among_all(kpisets, tree, people, settings):
    settings.REFORMTRACK_PEER_MIN_HIDDEN = 1
    enter(tree["GROUP-A"], 2024, dict(YEAR_LINES, net_profit=30))
    enter(tree["GROUP-B"], 2024)
    data = peers(people["reform_office"], tree["GROUP-A"], year=2024)
    roe = next(t for t in data["table"] if t["code"] == "ROE")
    assert [r["organisation"].code for r in roe["rows"]] == ["GROUP-A"]
    assert roe["rows"][0]["rank"] == 2 and roe["count"] == 2 and roe["hidden"] == 1
    assert data["hidden"] == 1 and [m.code for m in data["members"]] == ["GROUP-A"]


def test_a_chosen_peer_set_stays_within_scope(kpisets, tree, people):
    """Otherwise choosing one outsider as the only peer would disclose it through the mean."""
    enter(tree["GROUP-A"], 2024)
    enter(tree["GROUP-B"], 2024, dict(YEAR_LINES, net_profit=30))
    data = peers(people["reform_office"], tree["GROUP-A"], year=2024, codes=["GROUP-B", "GROUP-A"])
    roe = next(t for t in data["table"] if t["code"] == "ROE")
    assert roe["count"] == 1 and roe["hidden"] == 0


def test_supervisor_sees_every_group_and_nothing_hidden(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2024)
    enter(tree["GROUP-B"], 2024, dict(YEAR_LINES, net_profit=30))
    text = (
        client_for(people["supervisor_admin"])
        .get(reverse("kpis:peers", args=[tree["GROUP-A"].pk]) + "?year=2024")
        .content.decode()
    )
    roe = _section(text, "ROE")
    assert "乙集团" in roe and "7.50" in roe and 'data-testid="hidden"' not in roe


def test_too_few_hidden_peers_withhold_the_statistics(kpisets, tree, people, client_for):
    """With two groups, A's median and its own value would give away B's: by default (fewer
    than four hidden peers) no statistic, rank or multiple is shown to A's office."""
    enter(tree["GROUP-A"], 2024)
    enter(tree["GROUP-B"], 2024, dict(YEAR_LINES, net_profit=30))
    text = (
        client_for(people["reform_office"])
        .get(reverse("kpis:peers", args=[tree["GROUP-A"].pk]) + "?year=2024")
        .content.decode()
    )
    roe = _section(text, "ROE")
    assert 'data-testid="withheld"' in roe and "11.25" not in roe and "7.50" not in roe
    assert 'data-testid="rank">—<' in roe and "15.00" in roe  # its own value only
    supervisor = peers(people["supervisor_admin"], tree["GROUP-A"], year=2024)
    assert not next(t for t in supervisor["table"] if t["code"] == "ROE")["withheld"]

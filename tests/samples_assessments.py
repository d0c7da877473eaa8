"""Permission-matrix samples of the assessments app: a campaign opened by each group for its
subsidiary, its assessment and a score; rule sets are reference data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reformtrack.assessments.models import RuleSet
from reformtrack.assessments.services.campaigns import open_campaign
from reformtrack.core.libraries import install_library

SHIPPED = Path(__file__).parent.parent / "src/reformtrack/libraries/rulesets"


def build(tree, people) -> dict:
    for path in sorted(SHIPPED.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)
    rule_set = RuleSet.objects.get(code="SPECIAL-EVAL")
    campaigns, assessments, scores = {}, {}, {}
    for side, group, sub in (("a", "GROUP-A", "A-SUB"), ("b", "GROUP-B", "B-SUB")):
        campaigns[side] = open_campaign(
            user=None, rule_set=rule_set, year=2022, code=f"PM-{side.upper()}",
            name_zh=f"评估{side}", organisation=tree[group], self_deadline=dt.date(2022, 11, 30),
            review_deadline=dt.date(2023, 3, 31), targets=[tree[sub]],
        )  # fmt: skip
        assessments[side] = campaigns[side].assessments.get()
        scores[side] = assessments[side].scores.first()
    return {
        "models": {
            campaigns["a"].__class__: campaigns,
            assessments["a"].__class__: assessments,
        },
        "api": {"campaign": campaigns, "assessment": assessments, "score": scores},  # fmt: skip
        "reference": {RuleSet},
    }

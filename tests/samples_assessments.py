"""Permission-matrix samples of the assessments app: a campaign opened by each group for its
subsidiary, its assessment, a score and an evidence file; rule sets are reference data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from reformtrack.assessments.models import RuleSet
from reformtrack.assessments.services.campaigns import open_campaign
from reformtrack.assessments.services.evidence import add_score_evidence
from reformtrack.core.libraries import install_library

SHIPPED = Path(__file__).parent.parent / "src/reformtrack/libraries/rulesets"


def build(tree, people) -> dict:
    for path in sorted(SHIPPED.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)
    rule_set = RuleSet.objects.get(code="SPECIAL-EVAL")
    campaigns, assessments, scores, files = {}, {}, {}, {}
    for side, group, sub in (("a", "GROUP-A", "A-SUB"), ("b", "GROUP-B", "B-SUB")):
        campaigns[side] = open_campaign(
            user=None, rule_set=rule_set, year=2022, code=f"PM-{side.upper()}",
            name_zh=f"评估{side}", organisation=tree[group], self_deadline=dt.date(2022, 11, 30),
            review_deadline=dt.date(2023, 3, 31), targets=[tree[sub]],
        )  # fmt: skip
        assessments[side] = campaigns[side].assessments.get()
        scores[side] = assessments[side].scores.first()
        files[side] = add_score_evidence(
            user=None, score=scores[side], upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
        )
    return {
        "models": {
            campaigns["a"].__class__: campaigns,
            assessments["a"].__class__: assessments,
            files["a"].__class__: files,
        },
        "params": {"evidence_pk": {side: item.pk for side, item in files.items()}},
        "api": {"campaign": campaigns, "assessment": assessments, "score": scores},  # fmt: skip
        "reference": {RuleSet},
    }

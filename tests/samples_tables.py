"""Permission-matrix samples of the table tools: a saved view per group (each its owner's)."""

from __future__ import annotations

from reformtrack.core.models import SavedView


def build(tree, people) -> dict:
    views = {
        side: SavedView.objects.create(user=people[who], table="programs.ledger", name="mine")
        for side, who in (("a", "contributor"), ("b", "outsider"))
    }
    return {"models": {SavedView: views}}

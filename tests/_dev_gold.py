"""Scoring a range of the unseen dev articles as `docs evaluate` does, for tests that hold the
articles gathered for one piece of work to their figures (never the held-back test half)."""

from __future__ import annotations

from pathlib import Path

import yaml

from reformtrack.documents.evaluation import evaluate_documents
from reformtrack.documents.lexicons import organisation_aliases
from reformtrack.documents.pipeline import process

DEV = Path(__file__).parent / "data" / "documents" / "unseen" / "dev"


def load_gold(path: Path) -> dict:
    """A gold file as `yaml.safe_load` reads it, through libyaml's loader (the dev file is
    0.4 MB: 0.8 s in pure Python, 0.15 s in C)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def score_dev(first: int, last: int, *, with_address: bool = False) -> tuple[dict, int]:
    """(`evaluate_documents`' report, how many articles) for dev articles `first`..`last`;
    `with_address` gives each its page address, as `docs evaluate` does."""
    gold = load_gold(DEV / "gold.yaml")
    gold["documents"] = [d for d in gold["documents"] if first <= int(d["file"][:3]) <= last]
    extracted = {}
    for doc in gold["documents"]:
        address = doc["source"] if with_address else ""
        done = process((DEV / doc["file"]).read_bytes(), doc["file"], address=address)
        extracted[doc["file"]] = {"published_on": done.meta["published_on"], "items": done.items}
    names: dict[str, list[str]] = {}
    for entry in organisation_aliases():
        names.setdefault(entry.code, []).extend(entry.aliases)
    return evaluate_documents(gold, extracted, names), len(gold["documents"])

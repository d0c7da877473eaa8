"""The unseen yardstick: real articles annotated before extraction, split dev/test by language.
The gold files are whole and consistent, the halves disjoint and balanced, the scorer matches
fairly (aliases, titles, approximate figures, units, years), and `docs evaluate` reports per type
and per language. Only the dev half is run here: the test half is scored once per change, by
hand. No thresholds: these figures are what extraction work moves."""

import datetime as dt
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from reformtrack.documents.evaluation import GOLD_TYPES, MONEY_UNITS, evaluate_documents

from ._dev_gold import load_gold

UNSEEN = Path(__file__).parent / "data" / "documents" / "unseen"
HALVES = ("dev", "test")
LANGUAGES = {"zh-Hans", "zh-Hant", "en"}
DECAYS = {"clean", "noisy", "spun", "converted"}


def gold(half: str) -> dict:
    return load_gold(UNSEEN / half / "gold.yaml")


def test_every_text_has_gold_and_every_gold_a_text():
    for half in HALVES:
        data = gold(half)
        assert data["schema"] == 2 and data["half"] == half
        files = [d["file"] for d in data["documents"]]
        assert len(files) == len(set(files))
        assert set(files) == {p.name for p in (UNSEEN / half).glob("*.txt")}
        for doc in data["documents"]:
            assert (UNSEEN / half / doc["file"]).read_text(encoding="utf-8").strip()
            assert doc["language"] in LANGUAGES and doc["decay"] in DECAYS
            assert doc["source"].startswith("http"), doc["file"]
            # a text naming nothing of its categories is a precision check: it says so
            assert doc["items"] or doc.get("note"), doc["file"]


def test_items_are_of_known_kinds_and_shapes():
    for half in HALVES:
        for doc in gold(half)["documents"]:
            where = f"{half}/{doc['file']}"
            assert set(doc["categories"]) <= set(GOLD_TYPES), where
            dates = [i for i in doc["items"] if i["kind"] == "date"]
            assert len(dates) <= 1 and ("date" in doc["categories"]) == bool(dates), where
            for item in doc["items"]:
                # an organisation outside the categories only names a rated body (not scored)
                named = item["kind"] == "organisation" and "rating" in doc["categories"]
                assert item["kind"] in doc["categories"] or named, (where, item)
                if item["kind"] == "date":
                    assert isinstance(item["date"], dt.date), where
                if item["kind"] == "money":
                    assert item["unit"] in MONEY_UNITS, (where, item)
                if item["kind"] == "organisation":
                    assert item["canonical"] and item["names"], (where, item)
                if item["kind"] == "target":
                    assert isinstance(item["deadline"], dt.date), (where, item)


def test_halves_are_disjoint_and_balanced_by_language():
    """The first split (dev 001-099) was balanced by language; articles added to dev later
    (101 on, each batch annotated before the rules saw it) make dev larger, never the test half
    smaller, and share no text or source with it."""
    dev, test = gold("dev"), gold("test")
    texts = {h: {(UNSEEN / h / d["file"]).read_text(encoding="utf-8") for d in half["documents"]}
             for h, half in (("dev", dev), ("test", test))}  # fmt: skip
    assert not texts["dev"] & texts["test"]
    assert not {d["source"] for d in dev["documents"]} & {d["source"] for d in test["documents"]}
    assert len(dev["documents"]) + len(test["documents"]) >= 44
    first_split = [d for d in dev["documents"] if int(Path(d["file"]).stem) < 100]
    by_language = [Counter(d["language"] for d in docs)
                   for docs in (first_split, test["documents"])]  # fmt: skip
    assert set(by_language[0]) == set(by_language[1]) == LANGUAGES
    for language in LANGUAGES:
        assert abs(by_language[0][language] - by_language[1][language]) <= 1, language


def test_scoring_matches_aliases_titles_approximate_figures_and_units():
    """A hand-made extraction, so the rules of matching are pinned without the extractor."""
    doc = {
        "file": "a.txt",
        "language": "zh-Hans",
        "categories": [
            "date",
            "organisation",
            "person",
            "programme",
            "percent",
            "money",
            "count",
            "target",
        ],  # fmt: skip
        "items": [
            {"kind": "date", "date": dt.date(2024, 1, 3), "also": [dt.date(2024, 1, 2)]},
            {"kind": "organisation", "canonical": "国务院国资委", "names": ["国资委"]},
            {"kind": "person", "name": "翁杰明", "title": "国资委党委委员、副主任"},
            {"kind": "programme", "code": "OPFR", "year": 2024, "names": ["一利五率"]},
            {"kind": "percent", "value": 80, "approx": True},
            {"kind": "percent", "value": 70, "approx": True},
            {"kind": "percent", "value": 0.17, "unit": "pp"},
            {"kind": "money", "value": 9000, "approx": True, "unit": "亿元"},
            {"kind": "count", "value": 80000, "approx": True, "unit": "户"},
            {"kind": "target", "percent": 70, "deadline": dt.date(2024, 12, 31)},
        ],
    }
    found = {
        "published_on": dt.date(2024, 1, 2),
        "items": [
            {"kind": "organisation", "text": "SASAC", "value": {"code": "X"}},
            {"kind": "organisation", "text": "省国资委", "value": {"code": "Y"}},
            {"kind": "person", "text": "翁杰明", "value": {"name": "翁杰明", "title": "副主任"}},
            {"kind": "programme", "text": "一利五率", "value": {"code": "OPFR", "year": 2023}},
            {"kind": "percent", "text": "八成", "value": {"percent": "80"}},
            {"kind": "percent", "text": "0.17", "value": {"percent": "0.17"}},  # not pp
            {"kind": "money", "text": "9000多亿元", "value": {"value": "900000000000"}},
            {"kind": "count", "text": "8万户", "value": {"count": 80000}},
            {"kind": "target", "text": "70%", "value": {"percent": "70", "deadline": "2024-12-31"}},
        ],
    }
    data = {"schema": 2, "aliases": {"国务院国资委": ["SASAC"]}, "documents": [doc]}
    rows = {r["name"]: r for r in evaluate_documents(data, {"a.txt": found})["types"]}
    assert rows["date"]["correct"] == 1  # an accepted alternative reading
    assert (rows["organisation"]["correct"], rows["organisation"]["found"]) == (1, 2)
    assert rows["person"]["correct"] == 1 and rows["title"]["correct"] == 1
    assert rows["programme"]["correct"] == 0  # the wrong year's programme
    assert (rows["percent"]["correct"], rows["percent"]["found"]) == (2, 3)  # 70% of the target
    assert rows["money"]["correct"] == 1 and rows["count"]["correct"] == 1
    assert rows["target"]["correct"] == 1
    cut = dict(found, items=[{"kind": "person", "text": "翁杰明",
                              "value": {"name": "翁杰明", "title": "主任"}}])  # fmt: skip
    rows = {r["name"]: r for r in evaluate_documents(data, {"a.txt": cut})["types"]}
    assert rows["title"]["correct"] == 0  # 副主任 cut to 主任 is wrong


@pytest.mark.django_db
def test_evaluate_prints_a_table_per_type_and_language(tmp_path):
    dev = gold("dev")
    chosen = [next(d for d in dev["documents"] if d["language"] == lang) for lang in LANGUAGES]
    for doc in chosen:
        (tmp_path / doc["file"]).write_bytes((UNSEEN / "dev" / doc["file"]).read_bytes())
    small = dict(dev, documents=chosen)
    (tmp_path / "gold.yaml").write_text(yaml.safe_dump(small, allow_unicode=True), "utf-8")
    out = StringIO()
    call_command("docs", "evaluate", str(tmp_path / "gold.yaml"), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["type", "gold", "found", "correct", "precision", "recall", "F1"]
    assert any(line.startswith("zh-Hant") for line in lines)
    assert lines[-1].startswith("overall precision") and "F1" in lines[-1]

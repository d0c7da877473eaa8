"""Precision and recall of extraction against a gold file of annotated facts (YAML): per
document, the categories annotated exhaustively and their items as comparable keys."""

from __future__ import annotations

from decimal import Decimal

import yaml


def key_of(kind: str, value: dict) -> str:
    if kind == "rating":
        return f"rating:{value['organisation']}:{value['rating']}"
    if kind == "target":
        return f"target:{Decimal(str(value['percent'])).normalize():f}:{value['deadline']}"
    if kind == "percent":
        return f"percent:{Decimal(str(value['percent'])).normalize():f}"
    if kind == "money":
        return f"money:{Decimal(str(value['value'])).normalize():f}"
    if kind == "count":
        return f"count:{value['count']}"
    if kind in ("organisation", "programme"):
        return f"{kind}:{value['code']}"
    if kind == "person":
        return f"person:{value['name']}"
    return f"{kind}:{value}"


def evaluate(gold_text: str, extracted: dict[str, list[dict]]) -> dict:
    """`extracted`: file name → items (kind, value). Sets of keys, compared per category."""
    gold = yaml.safe_load(gold_text)
    totals: dict[str, list[int]] = {}
    for doc in gold["documents"]:
        items = extracted.get(doc["file"], [])
        for category in doc["categories"]:
            wanted = {key_of(category, g) for g in doc.get("items", []) if g["kind"] == category}
            found = {key_of(i["kind"], i["value"]) for i in items if i["kind"] == category}
            t = totals.setdefault(category, [0, 0, 0])
            t[0] += len(wanted & found)
            t[1] += len(found)
            t[2] += len(wanted)
    rows, tp, fp_all, fn_all = [], 0, 0, 0
    for category, (hit, found, wanted) in sorted(totals.items()):
        rows.append(
            {
                "category": category,
                "found": found,
                "gold": wanted,
                "correct": hit,
                "precision": round(hit / found, 3) if found else 1.0,
                "recall": round(hit / wanted, 3) if wanted else 1.0,
            }
        )
        tp, fp_all, fn_all = tp + hit, fp_all + found, fn_all + wanted
    overall = {
        "precision": round(tp / fp_all, 3) if fp_all else 1.0,
        "recall": round(tp / fn_all, 3) if fn_all else 1.0,
    }
    return {"categories": rows, "overall": overall}

"""Spun-text repair on swaps the shipped table does not hold: clean Chinese texts (the shipped
seeds, the demo documents, the clean articles of the unseen dev half; never the test half) are
spun with a held-out list of official-word synonyms (benchmarks/data/spun_lists/*.yaml; none
is in spun-zh.yaml), the texts are split into a learning half and a measuring half, the
learner sees only the learning half's aligned clean/spun pairs (as it would in a cluster
holding both copies), and repair is measured on the measuring half's spun copies (share of
swaps restored, edits where the spinner changed nothing) and on its clean copies and the
learning half's (false edits). The n-gram model is trained on the clean library = the learning
half's clean texts only, and the document threshold is calibrated on them. Prints JSON per
list; `--out` keeps it."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

LISTS_DIR = ROOT / "benchmarks/data/spun_lists"
HELD_BACK = "heldout"  # scored only when named: never by default


def load_list(name: str) -> tuple[dict[str, str], list[str]]:
    """A held-out synonym list (clean word → spinner's synonym) and its clean sentences that use
    the spinner's forms as ordinary words (a repair there is a false edit), from YAML."""
    import yaml

    data = yaml.safe_load((LISTS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    return dict(data["pairs"]), list(data.get("ordinary_uses", []))


def list_names() -> list[str]:
    return sorted(p.stem for p in LISTS_DIR.glob("*.yaml"))


def clean_texts() -> dict[str, str]:
    """Simplified Chinese texts as shipped clean, normalised (noise repairs only)."""
    import yaml

    from reformtrack.documents.text.detect import detect, to_simplified
    from reformtrack.documents.text.normalise import normalise

    paths = [*sorted(Path("/work/shared/seeds").glob("*.txt"))]
    paths += sorted((ROOT / "src/reformtrack/documents/demo_data").glob("*.txt"))
    dev = ROOT / "tests/data/documents/unseen/dev"
    gold = yaml.safe_load((dev / "gold.yaml").read_text())
    records = gold if isinstance(gold, list) else gold["documents"]
    paths += [dev / r["file"] for r in records if r.get("decay") == "clean"]
    out: dict[str, str] = {}
    for path in paths:
        if not path.exists():
            continue
        text, _repairs = normalise(path.read_text(encoding="utf-8"))
        _language, script = detect(text)
        if script not in ("Hans", "Hant") or path.name.startswith("003_"):
            continue  # 003 is the shipped spun copy: not clean
        simplified = to_simplified(text)
        if simplified not in out.values():  # the demo documents repeat the seeds
            out[f"{path.parent.name}/{path.name}"] = simplified
    return out


def spin(text: str, swaps: dict[str, str]) -> tuple[str, list[tuple[int, str, str]]]:
    """Replace each word jieba cuts that the list holds; (position in the spun text, spun,
    clean) of each swap."""
    from reformtrack.documents.text.segment import _jieba

    out, done, position = [], [], 0
    for word in _jieba().cut(text):
        if word in swaps:
            done.append((position, swaps[word], word))
            word = swaps[word]
        out.append(word)
        position += len(word)
    return "".join(out), done


def check_held_out(held_out: dict[str, str]) -> None:
    from reformtrack.documents.lexicons import substitutions

    subs, protect = substitutions()
    table = {s.spun for s in subs} | {s.clean for s in subs} | set(protect)
    clash = [w for pair in held_out.items() for w in pair if w in table]
    spun_as_clean = set(held_out.values()) & set(held_out)
    if clash or spun_as_clean:
        raise SystemExit(f"held-out list overlaps the table: {clash} {spun_as_clean}")


def main(
    which: str = "first",
    *,
    threshold: float | None = None,
    spun_margin: float | None = None,
    corpus: bool = True,
) -> dict:
    from reformtrack.documents.text.ngram import CharModel, corpus_texts
    from reformtrack.documents.text.spun_learn import Swap, align, calibrate, repair

    held_out, ordinary_uses = load_list(which)
    check_held_out(held_out)
    texts = clean_texts()
    names = sorted(texts)
    learn_names = [n for i, n in enumerate(names) if i % 3 != 2]  # two thirds learn
    measure_names = [n for i, n in enumerate(names) if i % 3 == 2]
    learned: Counter = Counter()
    started = time.perf_counter()
    for name in learn_names:
        spun, _done = spin(texts[name], held_out)
        learned += align(texts[name], spun)
    learn_seconds = time.perf_counter() - started
    swaps = list(learned)
    # the model reads the shipped corpus (as the product does, beside its library) and the
    # learning half's clean texts; the document threshold is learned from the clean text the
    # model read, as the product learns it from the clean library
    library = [*(corpus_texts() if corpus else ()), *(texts[n] for n in learn_names)]
    model = CharModel(library)
    calibrated = calibrate(library, swaps, model)
    opts = {"threshold": calibrated if threshold is None else threshold}
    if spun_margin is not None:
        opts["spun_margin"] = spun_margin
    correct_pairs = {Swap(s, c) for c, s in held_out.items()}

    restored = total = learnable = wrong_in_spun = found_spun = 0
    wrong_examples: Counter = Counter()
    misses: Counter = Counter()
    for name in measure_names:
        spun, done = spin(texts[name], held_out)
        result = repair(spun, swaps, model, **opts)
        found_spun += bool(result.spun and done)
        total += len(done)
        learnable += sum(Swap(s, c) in learned for _p, s, c in done)
        restored_here = 0
        at = _input_starts(result.changes) if result.spun else {}
        for position, s, c in done:
            if _restored(at, position, s, c):
                restored_here += 1
            else:
                misses[f"{s}→{c}"] += 1
        restored += restored_here
        swapped_at = [(p, p + len(s)) for p, s, _c in done]
        for start, change in at.items():  # a change where the spinner changed nothing
            end = start + len(change["before"])
            if not any(a < end and start < b for a, b in swapped_at):
                wrong_in_spun += 1
                wrong_examples[f"{change['before']}→{change['after']}"] += 1

    false_edits = chars = opportunities = 0
    edited: Counter = Counter()
    clean_set = {name: texts[name] for name in names}  # the measuring and learning halves
    # each sentence is a clean text of its own, as such a word turns up in a clean article
    clean_set.update({f"ordinary-uses/{i}": line for i, line in enumerate(ordinary_uses)})
    for text in clean_set.values():
        result = repair(text, swaps, model, **opts)
        chars += len(text)
        opportunities += sum(text.count(form) for form in {x.spun for x in swaps})
        false_edits += len(result.changes)
        edited.update(f"{c['before']}→{c['after']}" for c in result.changes)
    ungated_edits: Counter = Counter()  # every decision, the document-level check switched off
    for text in clean_set.values():
        changes = repair(text, swaps, model, **{**opts, "already_spun": True}).changes
        ungated_edits.update(f"{c['before']}→{c['after']}" for c in changes)
    ungated = sum(ungated_edits.values())
    return {
        "list": which,
        "held_out_pairs": len(held_out),
        "texts": {"learning": len(learn_names), "measuring": len(measure_names)},
        "document_threshold": round(opts["threshold"], 2),
        "learned_swaps": len(swaps),
        "learned_correct": len(set(swaps) & correct_pairs),
        "learned_other": len(set(swaps) - correct_pairs),
        "measured_copies_with_swaps": sum(bool(spin(texts[n], held_out)[1]) for n in measure_names),
        "measured_copies_found_spun": found_spun,
        "swaps_in_measured_copies": total,
        "swaps_whose_pair_was_learned": learnable,
        "restored": restored,
        "restore_rate": round(restored / total, 4) if total else None,
        "restore_rate_of_learnable": round(restored / learnable, 4) if learnable else None,
        "wrong_edits_in_spun_copies": wrong_in_spun,
        "wrong_edits_in_spun_copies_examples": dict(wrong_examples.most_common(10)),
        "clean_chars": chars,
        "clean_occurrences_of_learned_forms": opportunities,
        "false_edits": false_edits,
        "false_edit_rate": round(false_edits / opportunities, 4) if opportunities else 0.0,
        "false_edits_without_document_check": ungated,
        "false_edit_rate_without_document_check": (
            round(ungated / opportunities, 4) if opportunities else 0.0
        ),
        "false_edit_examples": dict(edited.most_common(10)),
        "false_edit_examples_without_document_check": dict(ungated_edits.most_common(10)),
        "missed_examples": dict(misses.most_common(10)),
        "learn_seconds": round(learn_seconds, 2),
        "summary": {
            "restored_of_learnable": _pct(restored, learnable),
            "restored_counting_unlearned": _pct(restored, total),
            "false_edit_rate_on_clean": _pct(false_edits, opportunities, zero=0.0),
            "wrong_edits_in_spun_copies": wrong_in_spun,
        },
        "goals": {"restore_rate": ">= 0.95", "false_edit_rate": "<= 0.01"},
    }


def _pct(part: int, whole: int, zero: float | None = None) -> float | None:
    return round(100 * part / whole, 1) if whole else zero


def _input_starts(changes: list[dict]) -> dict[int, dict]:
    """Where each change began in the text before repair → the change."""
    out, shift = {}, 0
    for c in sorted(changes, key=lambda c: c["start"]):
        out[c["start"] - shift] = c
        shift += len(c["after"]) - len(c["before"])
    return out


def _restored(at: dict[int, dict], position: int, spun: str, clean: str) -> bool:
    """A change covers the swapped word and puts the clean word in its place (a learned
    form may be wider than the word: 加深晋升 → 深化提升)."""
    for start, change in at.items():
        before, after = change["before"], change["after"]
        left = position - start
        if left < 0 or position + len(spun) > start + len(before):
            continue
        if len(before) == len(after):
            if after[left : left + len(clean)] == clean:
                return True
        elif clean in after:
            return True
    return False


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--threshold", type=float, help="document log10 threshold (default: calibrated)"
    )
    parser.add_argument("--spun-margin", type=float, help="log10 margin inside spun texts")
    parser.add_argument(
        "--list",
        action="append",
        choices=list_names(),
        help="synonym list (benchmarks/data/spun_lists) to spin with, repeatable",
    )
    parser.add_argument(
        "--lists",
        help="comma-separated synonym lists, e.g. first,fresh,dev2 (default: every list but "
        f"{HELD_BACK}; {HELD_BACK} is scored once, by the lead, at the end of a change)",
    )
    parser.add_argument(
        "--no-corpus", action="store_true", help="leave the shipped corpus out of the model"
    )
    args = parser.parse_args()
    chosen = [*(args.list or []), *(args.lists.split(",") if args.lists else [])]
    unknown = [name for name in chosen if name not in list_names()]
    if unknown:
        parser.error(f"unknown list(s): {', '.join(unknown)}")
    chosen = chosen or [name for name in list_names() if name != HELD_BACK]
    reports = {
        name: main(
            name,
            threshold=args.threshold,
            spun_margin=args.spun_margin,
            corpus=not args.no_corpus,
        )
        for name in chosen
    }
    report = {
        "summary": {name: r["summary"] for name, r in reports.items()},
        "lists": reports,
    }
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")

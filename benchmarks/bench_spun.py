"""Spun-text repair on swaps the shipped table does not hold: clean Chinese texts (the shipped
seeds, the demo documents, the clean articles of the unseen dev half; never the test half) are
spun with a held-out list of official-word synonyms (benchmarks/data/spun_lists/*.yaml; none
is in spun-zh.yaml). Three folds, each text in one by a hash of its name (stable as dev
articles are added): each fold's spun copies are measured with what the learner took from the
other folds' aligned clean/spun pairs (as it would in a cluster holding both copies) — share
of swaps restored, why the others were not, edits where the spinner changed nothing — and
every clean text and the list's ordinary uses count false edits. The n-gram model reads the
shipped corpus and the learning folds' clean texts only, and the document threshold is
calibrated on them. A separate row, `with_clean_sibling`, measures the same spun copies where
their cluster also holds the clean copy (the product then restores them from it, word by
word): kept apart, so copies without one keep their own figure. `--leave N`: the spinner
leaves every Nth listed word, so spun copies keep a few clean words of their own pairs.
Prints JSON per list, summed over the folds; `--out` keeps it."""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
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


def spin(
    text: str, swaps: dict[str, str], leave: int = 0
) -> tuple[str, list[tuple[int, str, str]]]:
    """Replace each word jieba cuts that the list holds; (position in the spun text, spun,
    clean) of each swap. `leave` N: every Nth such word is left as written (a spinner that
    misses some, so a spun copy keeps a few clean words of its own pairs)."""
    from reformtrack.documents.text.segment import _jieba

    out, done, position, seen = [], [], 0, 0
    for word in _jieba().cut(text):
        seen += word in swaps
        if word in swaps and not (leave and seen % leave == 0):
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


FOLDS = 3  # every text is measured once, learning on the other folds


def fold_of(name: str, folds: int = FOLDS, seed: int = 0) -> int:
    """A text's fold, by a hash of its name: stable as texts are added (an index split
    reshuffled every text whenever a dev article was added). `seed` salts the hash, to see
    how the scores move with the split (0: the unsalted split every earlier run used)."""
    key = name if not seed else f"{seed}:{name}"
    return zlib.crc32(key.encode("utf-8")) % folds


def main(
    which: str = "first",
    *,
    threshold: float | None = None,
    spun_margin: float | None = None,
    corpus: bool = True,
    folds: int = FOLDS,
    fold_seed: int = 0,
    leave: int = 0,
) -> dict:
    """Three-fold: each fold's texts are measured with what the other folds taught (the
    long 2021 digest, half of all the text, is measured once and taught from twice)."""
    held_out, ordinary_uses = load_list(which)
    check_held_out(held_out)
    texts = clean_texts()
    names = sorted(texts)
    tally: Counter = Counter()
    seen: dict[str, Counter] = {
        k: Counter()
        for k in (
            "wrong",
            "misses",
            "lost",
            "edited",
            "ungated",
            "sib_misses",
            "sib_wrong",
            "sib_edited",
        )  # fmt: skip
    }
    thresholds, learned_counts, diagnostics = [], [], []
    started = time.perf_counter()
    for fold in range(folds):
        learn_names = [n for n in names if fold_of(n, folds, fold_seed) != fold]
        measure_names = [n for n in names if fold_of(n, folds, fold_seed) == fold]
        part = _fold(texts, learn_names, measure_names, held_out, ordinary_uses, seen,
                     threshold=threshold, spun_margin=spun_margin, corpus=corpus,
                     leave=leave)  # fmt: skip
        tally.update(part["counts"])
        thresholds.append(round(part["threshold"], 2))
        learned_counts.append(part["learned"])
        diagnostics.append(part["diag"])
    seconds = time.perf_counter() - started
    t = tally
    return {
        "list": which,
        "held_out_pairs": len(held_out),
        "folds": folds,
        "fold_seed": fold_seed,
        "spinner_leaves_every": leave,
        "texts": len(names),
        "document_threshold_per_fold": thresholds,
        "learned_swaps_per_fold": learned_counts,
        "measured_copies_with_swaps": t["with_swaps"],
        "measured_copies_found_spun": t["found_spun"],
        # of them, found by their confirmed forms and no clean word (spun_learn.CONFIRMED_FORMS)
        "measured_copies_found_spun_sparse": t["found_spun_sparse"],
        # ... and of them, found by one learned form used again and again (spun_learn._repeated)
        "measured_copies_found_spun_repeated": t["found_spun_repeated"],
        "swaps_in_measured_copies": t["total"],
        "swaps_whose_pair_was_learned": t["learnable"],
        "restored": t["restored"],
        "restore_rate": round(t["restored"] / t["total"], 4) if t["total"] else None,
        "restore_rate_of_learnable": (
            round(t["restored"] / t["learnable"], 4) if t["learnable"] else None
        ),
        "wrong_edits_in_spun_copies": t["wrong"],
        "wrong_edits_in_spun_copies_examples": dict(seen["wrong"].most_common(10)),
        "clean_chars": t["chars"],
        "clean_occurrences_of_learned_forms": t["opportunities"],
        "false_edits": t["false_edits"],
        "false_edit_rate": _rate(t["false_edits"], t["opportunities"]),
        "false_edits_without_document_check": t["ungated"],
        "false_edit_rate_without_document_check": _rate(t["ungated"], t["opportunities"]),
        "false_edit_examples": dict(seen["edited"].most_common(10)),
        "false_edit_examples_without_document_check": dict(seen["ungated"].most_common(10)),
        "missed_examples": dict(seen["misses"].most_common(10)),
        "missed_by_cause": {
            k: seen["lost"][k]
            for k in ("never_learned", "copy_not_found_spun", "left_in_copy_found_spun")
        },
        # the same spun copies where their cluster also holds the clean copy (kept apart:
        # a copy with a clean sibling is restored from it, one without is not)
        "with_clean_sibling": {
            "copies": t["sib_copies"],
            "swaps": t["sib_total"],
            "restored": t["sib_restored"],
            "restore_rate": _rate(t["sib_restored"], t["sib_total"]),
            "wrong_edits_in_spun_copies": t["sib_wrong"],
            "wrong_edit_examples": dict(seen["sib_wrong"].most_common(10)),
            "spun_copy_taken_as_original": t["sib_original_spun"],
            "left_as_restoring_reads_no_cleaner": t["sib_not_cleaner"],
            "false_edits_in_clean_copies": t["sib_false_edits"],
            "false_edit_examples": dict(seen["sib_edited"].most_common(10)),
            "missed_examples": dict(seen["sib_misses"].most_common(10)),
        },
        "seconds": round(seconds, 2),
        "per_fold": diagnostics,
        "summary": {
            "restored_of_learnable": _pct(t["restored"], t["learnable"]),
            "restored_counting_unlearned": _pct(t["restored"], t["total"]),
            "false_edit_rate_on_clean": _pct(t["false_edits"], t["opportunities"], zero=0.0),
            "wrong_edits_in_spun_copies": t["wrong"],
            "with_clean_sibling_restored": _pct(t["sib_restored"], t["sib_total"]),
            "with_clean_sibling_false_edits": t["sib_false_edits"],
        },
        "goals": {"restore_rate": ">= 0.95", "false_edit_rate": "<= 0.01"},
    }


def _fold(texts, learn_names, measure_names, held_out, ordinary_uses, seen, *, threshold,
          spun_margin, corpus, leave=0) -> dict:  # fmt: skip
    """One fold: learn on `learn_names`' clean/spun pairs, measure on `measure_names`' spun
    copies, and count false edits on every clean text and the list's ordinary uses."""
    from reformtrack.documents.text.ngram import CharModel, corpus_texts
    from reformtrack.documents.text.spun_learn import (
        Swap,
        align,
        calibrate,
        document_score,
        repair,
    )

    learned: Counter = Counter()
    for name in learn_names:
        spun, _done = spin(texts[name], held_out, leave)
        learned += align(texts[name], spun)
    swaps = list(learned)
    # the model reads the shipped corpus (as the product does, beside its library) and the
    # learning folds' clean texts; the document threshold is learned from the clean text the
    # model read, as the product learns it from the clean library
    library = [*(corpus_texts() if corpus else ()), *(texts[n] for n in learn_names)]
    model = CharModel(library)
    calibrated = calibrate(library, swaps, model)
    opts = {"threshold": calibrated if threshold is None else threshold}
    if spun_margin is not None:
        opts["spun_margin"] = spun_margin
    t: Counter = Counter()
    # how far each text stood from being found spun (score minus the raise of its bar over
    # the threshold, where it had enough spun words): what a higher threshold would cost
    diag = {"library_max": max(
        [document_score(x, swaps, model, leave_out=True) for x in library], default=0.0),
        "spun": [], "unseen_clean": []}  # fmt: skip
    for name in measure_names:
        spun, done = spin(texts[name], held_out, leave)
        result = repair(spun, swaps, model, **opts)
        if done and result.eligible:
            restored_here = sum(
                _restored(_input_starts(result.changes), p, s, c) for p, s, c in done
            ) if result.spun else 0  # fmt: skip
            diag["spun"].append((round(result.score - result.bar + opts["threshold"], 2),
                                 len(done), restored_here))  # fmt: skip
        t["with_swaps"] += bool(done)
        t["found_spun"] += bool(result.spun and done)
        t["found_spun_sparse"] += bool(result.sparse and done)
        t["found_spun_repeated"] += bool(result.repeated and done)
        t["total"] += len(done)
        t["learnable"] += sum(Swap(s, c) in learned for _p, s, c in done)
        at = _input_starts(result.changes) if result.spun else {}
        for position, s, c in done:
            if _restored(at, position, s, c):
                t["restored"] += 1
                continue
            seen["misses"][f"{s}→{c}"] += 1
            if Swap(s, c) not in learned:
                seen["lost"]["never_learned"] += 1
            elif not result.spun:
                seen["lost"]["copy_not_found_spun"] += 1
            else:
                seen["lost"]["left_in_copy_found_spun"] += 1
        swapped_at = [(p, p + len(s)) for p, s, _c in done]
        for start, change in at.items():  # a change where the spinner changed nothing
            end = start + len(change["before"])
            if not any(a < end and start < b for a, b in swapped_at):
                t["wrong"] += 1
                seen["wrong"][f"{change['before']}→{change['after']}"] += 1
        if done:
            _sibling(texts[name], spun, done, result, swaps, model, opts, t, seen)
    clean_set = dict(texts)  # every clean text, the learning folds' and the measured
    # each sentence is a clean text of its own, as such a word turns up in a clean article
    clean_set.update({f"ordinary-uses/{i}": line for i, line in enumerate(ordinary_uses)})
    forms = {x.spun for x in swaps}
    unseen = {texts[n] for n in measure_names}
    for text in clean_set.values():
        result = repair(text, swaps, model, **opts)
        if text in unseen and result.bar:  # [score against the threshold, found eligible]
            effective = round(result.score - result.bar + opts["threshold"], 2)
            diag["unseen_clean"].append([effective, result.eligible])
        t["chars"] += len(text)
        t["opportunities"] += sum(text.count(form) for form in forms)
        t["false_edits"] += len(result.changes)
        seen["edited"].update(f"{c['before']}→{c['after']}" for c in result.changes)
        # every decision, the document-level check switched off
        changes = repair(text, swaps, model, **{**opts, "already_spun": True}).changes
        t["ungated"] += len(changes)
        seen["ungated"].update(f"{c['before']}→{c['after']}" for c in changes)
    diag["library_max"] = round(diag["library_max"], 2)
    diag["library_texts"] = len(learn_names)
    return {"counts": t, "threshold": opts["threshold"], "learned": len(swaps), "diag": diag}


def _sibling(clean, spun, done, result, swaps, model, opts, t, seen) -> None:
    """The same spun copy in a cluster that also holds its clean copy (the product restores
    it from there): which copy the product takes as the original (not found spun, then reading
    cleaner; the cluster's best is not known here, so reading decides), the swaps restored,
    edits where the spinner changed nothing, and edits made to the clean copy where the spun
    one was taken as the original."""
    from reformtrack.documents.text.spun_learn import repair
    from reformtrack.documents.text.spun_sibling import restoration, restore, restores_from

    clean_flagged = repair(clean, swaps, model, **opts).spun
    t["sib_copies"] += 1
    t["sib_total"] += len(done)
    middle = result.text if result.spun else spun
    first = result.changes if result.spun else []
    if middle == clean:  # the learned repairs alone restored every word
        changes = first
    elif restores_from(result.spun, middle, clean_flagged, clean, model):
        restored = restoration(middle, first, result.spun, clean, model)
        changes = restored.changes if restored is not None else first
        t["sib_not_cleaner"] += restored is None
    else:
        t["sib_original_spun"] += 1
        changes = first
        edits = restore(clean, middle).changes  # the clean copy "restored" from the spun one
        t["sib_false_edits"] += len(edits)
        seen["sib_edited"].update(f"{c['before']}→{c['after']}" for c in edits)
    at = _input_starts(changes)
    restored = sum(_restored(at, p, s, c) for p, s, c in done)
    t["sib_restored"] += restored
    seen["sib_misses"].update(f"{s}→{c}" for p, s, c in done if not _restored(at, p, s, c))
    swapped_at = [(p, p + len(s)) for p, s, _c in done]
    for start, change in at.items():
        end = start + len(change["before"])
        if not any(a < end and start < b for a, b in swapped_at):
            t["sib_wrong"] += 1
            seen["sib_wrong"][f"{change['before']}→{change['after']}"] += 1


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


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
    parser.add_argument(
        "--fold-seed", type=int, default=0, help="salt for the fold hash (0: the usual split)"
    )
    parser.add_argument("--spun-margin", type=float, help="log10 margin inside spun texts")
    parser.add_argument(
        "--leave",
        type=int,
        default=0,
        help="the spinner leaves every Nth listed word as written (0: it swaps every one)",
    )
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
            fold_seed=args.fold_seed,
            leave=args.leave,
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

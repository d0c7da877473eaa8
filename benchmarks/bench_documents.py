"""Ingestion throughput: documents per second through the whole pipeline (read, normalise,
detect, spun repair, metadata, entities, facts, tokens, fingerprints, database rows, clusters)
beside bare jieba segmentation of the same text (the floor of any Chinese pipeline).

    python benchmarks/bench_documents.py [--count 10000] [--seed 7] [--out FILE]

The corpus repeats and mutates the source articles (tests/data/documents; the weekly brief is
cut into its 22 entries first): repeated punctuation, anti-copy junk, synonym spinning from
the substitution table, shifted dates and figures, a unique line so every file is new.
Prints JSON: documents, seconds, documents per second, jieba's characters per second and the
pipeline's share of it.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
from benchmarks.common import setup_django, write  # noqa: E402

DATA = ROOT_DIR / "tests" / "data" / "documents"


def base_texts() -> list[str]:
    from reformtrack.documents.text.digest import split_digest
    from reformtrack.documents.text.normalise import normalise

    texts = []
    for path in sorted(DATA.glob("0*.txt")):
        text = path.read_text(encoding="utf-8")
        entries = split_digest(normalise(text)[0])
        if entries:
            texts += [
                f"{e.title}\n发布时间：2021-08-0{1 + e.number % 8}\n{e.body}" for e in entries
            ]
        else:
            texts.append(text)
    return texts


def mutate(text: str, rng: random.Random, n: int, spins: list[tuple[str, str]]) -> str:
    if rng.random() < 0.3:  # spin: clean words swapped for the spinner's synonyms
        for spun, clean in rng.sample(spins, k=min(12, len(spins))):
            text = text.replace(clean, spun)
    if rng.random() < 0.3:
        text = text.replace("，", "," * rng.randint(2, 8)).replace("。", "。" * rng.randint(2, 5))
    if rng.random() < 0.2:
        junk = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(7))
        cut = rng.randrange(len(text))
        text = text[:cut] + junk + text[cut:]
    text = text.replace("2021", str(rng.choice([2020, 2021, 2022])), 1)
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if digits:
        i = rng.choice(digits)
        text = text[:i] + str(rng.randint(0, 9)) + text[i + 1 :]
    return f"{text}\n(copy {n})\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    vendor = setup_django()

    from reformtrack.documents import services
    from reformtrack.documents.lexicons import substitutions
    from reformtrack.documents.models import Cluster, Document
    from reformtrack.documents.text.segment import cut

    rng = random.Random(args.seed)
    spins = [(s.spun, s.clean) for s in substitutions()[0] if s.strong]
    bases = base_texts()
    corpus = [mutate(rng.choice(bases), rng, n, spins) for n in range(args.count)]
    characters = sum(len(t) for t in corpus)

    cut(corpus[0])  # jieba's dictionary loads once, outside both timings
    start = time.perf_counter()
    for text in corpus:
        cut(text)
    jieba_seconds = time.perf_counter() - start

    services.ingest(user=None, data="warm-up 预热".encode(), filename="warm-up.txt")
    start = time.perf_counter()
    for n, text in enumerate(corpus):
        services.ingest(user=None, data=text.encode("utf-8"), filename=f"doc-{n}.txt")
    seconds = time.perf_counter() - start

    result = {
        "benchmark": "documents-ingest",
        "database": vendor,
        "documents": args.count,
        "characters": characters,
        "pipeline_seconds": round(seconds, 2),
        "documents_per_second": round(args.count / seconds, 1),
        "jieba_seconds": round(jieba_seconds, 2),
        "jieba_documents_per_second": round(args.count / jieba_seconds, 1),
        "jieba_characters_per_second": round(characters / jieba_seconds),
        "pipeline_vs_jieba": round(seconds / jieba_seconds, 1),
        "spun_flagged": Document.objects.filter(spun=True).count(),
        "clusters": Cluster.objects.count(),
    }
    write(result, args.out or None)


if __name__ == "__main__":
    main()

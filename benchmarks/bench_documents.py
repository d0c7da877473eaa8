"""Ingestion throughput: documents per second through the whole pipeline (read, normalise,
detect, spun repair, metadata, entities, facts, tokens, fingerprints, database rows, clusters,
audit records) beside bare jieba segmentation of the same texts (the floor of any Chinese
pipeline), with an empty organisation tree and with the national tree (50,701 organisations).

    python benchmarks/bench_documents.py [--count 10000] [--seed 7] [--trees empty,national]
                                         [--kept sentences,nothing] [--recogniser jieba]
                                         [--tree-cache FILE.sqlite3] [--out FILE]

The corpus repeats and mutates the source articles (tests/data/documents; the weekly brief is
cut into its 22 entries first): repeated punctuation, anti-copy junk, synonym spinning from
the substitution table, shifted dates and figures, a unique line so every file is new.
Each tree is a row of its own, run in a fresh database (a child process), one process on one
core: the figures are per core. Jieba and the pipeline take turns on each batch of 100 texts,
so a load that comes and goes on a shared machine weighs on both alike; `ratio` is the
pipeline's documents per second over jieba's (the goal is at least 0.5). The first and last
tenth of the run are timed apart: the rate must not fall as documents accumulate.
Each row also splits the pipeline's CPU time into analysis (the text pipeline, no database)
and writing (rows, clusters, audit records), so a change can be placed. The recogniser keeps
the words of sentences it has read (copies share most sentences): `sentences_reused` is the
share of sentences it did not run again, as the corpus's copies allow. `--kept` gives a row
per tree for each: `sentences` (the product as it runs: cuts, routes and search tokens of the
sentences read lately are kept) and `nothing` (all of them dropped after every document, so
each document costs what a text never seen costs). `--tree-cache FILE` (SQLite) keeps the
national tree's database after its first build and starts from a copy of it.
`--recogniser installed` (the default) measures the recogniser a default install runs
(selective LAC); `jieba` sets REFORMTRACK_NER=jieba for the rows (jieba's tags alone).
Each row counts the statements the pipeline sent per document (`statements_per_document`,
an executemany counting as one) and, on PostgreSQL, the server's CPU for the connection (its
backend process, read from /proc on this machine: `server_cpu_ms_per_document`) and
`cpu_ratio_with_server`: jieba's CPU over the pipeline's and the server's together (per core,
all the work a document costs; on SQLite the database works inside the pipeline's process).
Prints JSON: one object with a row per tree and kept mode (`kept`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
from benchmarks.common import setup_django, write  # noqa: E402

DATA = ROOT_DIR / "tests" / "data" / "documents"
NATIONAL = 50_000  # bench_orgs' tree of this size has 50,701 organisations
# Names for the national tree, so the index holds Chinese names that documents may contain.
FIRST, SECOND = "华中国东南西北新长金", "能建电信航科工通联投"
PROVINCES = (  # noqa: SIM905
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 "
    "湖南 广东 广西 海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆"
).split()
NUMERALS = "零一二三四五六七八九十"


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


def _numeral(n: int) -> str:
    """Chinese numerals up to 99 (第二十二分公司)."""
    tens, units = divmod(n, 10)
    head = ("" if tens == 1 else NUMERALS[tens]) + "十" if tens else ""
    return head + (NUMERALS[units] if units or not tens else "")


def national_tree() -> int:
    """bench_orgs' tree builder (bulk inserts), then Chinese names in one prepared UPDATE:
    groups 中国<industry>集团有限公司 (short 中<industry>), provincial companies, their branches."""
    from django.db import connection

    from benchmarks.bench_orgs import build_tree
    from reformtrack.orgs.models import Organisation

    total = build_tree(NATIONAL)
    industries = [a + b for a in FIRST for b in SECOND]
    rows = []
    for code in Organisation.objects.values_list("code", flat=True).iterator(chunk_size=5000):
        parts = code.split("-")
        if code == "ROOT":
            rows.append(("国务院国有资产监督管理委员会", "", "State Council SASAC", code))
            continue
        group = industries[(int(parts[0][1:]) - 1) % len(industries)]
        if len(parts) == 1:
            rows.append((f"中国{group}集团有限公司", f"中{group}", f"China {code}", code))
        elif len(parts) == 2:
            province = PROVINCES[(int(parts[1][1:]) - 1) % len(PROVINCES)]
            rows.append((f"中国{group}{province}有限公司", f"{group}{province}", "", code))
        else:
            province = PROVINCES[(int(parts[1][1:]) - 1) % len(PROVINCES)]
            branch = _numeral(int(parts[2][1:]))
            rows.append((f"中国{group}{province}第{branch}分公司", "", "", code))
    table = connection.ops.quote_name(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET name_zh = %s, short_name_zh = %s, name_en = %s WHERE code = %s",
            rows,
        )
    return total


def _start(tree: str, cache: str) -> tuple[str, int, float]:
    """A fresh database with the tree: (vendor, organisations, seconds the tree took). A cached
    national tree (SQLite) is copied rather than built again."""
    if tree != "national" or not cache or os.environ.get("DATABASE_URL", "").startswith("post"):
        vendor = setup_django()
        start = time.perf_counter()
        total = national_tree() if tree == "national" else 0
        return vendor, total, time.perf_counter() - start
    start = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="reformtrack-bench-")) / "bench.sqlite3"
    if Path(cache).exists():
        shutil.copyfile(cache, scratch)
        vendor = setup_django(sqlite_file=scratch)
        from reformtrack.orgs.models import Organisation

        return vendor, Organisation.objects.count(), time.perf_counter() - start
    vendor = setup_django(sqlite_file=scratch)
    start = time.perf_counter()
    total = national_tree()
    from django.db import connection

    Path(cache).parent.mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(Path(cache).resolve())])
    return vendor, total, time.perf_counter() - start


class _CpuSplit:
    """CPU seconds spent in ingestion's analysis and in its writes (wrapped in place)."""

    def __init__(self):
        from reformtrack.documents import ingestion

        self.analysis = self.write = 0.0
        for name, slot in (("_analyse", "analysis"), ("_write", "write")):
            original = getattr(ingestion, name)
            setattr(ingestion, name, self._timed(original, slot))

    def _timed(self, function, slot):
        def timed(*args, **kwargs):
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                setattr(self, slot, getattr(self, slot) + time.process_time() - start)

        return timed


class _Statements:
    """Statements sent to the database while counting (an executemany is one)."""

    def __init__(self):
        self.count = 0
        self.on = False

    def __call__(self, execute, sql, params, many, context):
        self.count += self.on
        return execute(sql, params, many, context)


def server_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend so far (None: not PostgreSQL, or
    its process is not readable here)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def keep_nothing() -> None:
    """Nothing read is kept between documents: no cut, route or search token of an earlier
    document serves a later one (a corpus of texts never seen)."""
    from reformtrack.documents.text import fingerprint, lac_batch, ner, postag, segment

    ner.KEPT = lac_batch.KEPT = postag.KEPT_RUNS = segment.KEPT_RUNS = 0
    ner._kept.size = lac_batch._kept.size = 0  # the keepers were made with the sizes above
    fingerprint.KEPT_SENTENCES = 0


def run_row(tree: str, count: int, seed: int, cache: str = "", kept: str = "sentences") -> dict:
    """One row, in this process: a fresh database, the tree, then the corpus in batches."""
    vendor, organisations, tree_seconds = _start(tree, cache)
    if kept == "nothing":
        keep_nothing()

    from reformtrack.documents import alias_index, services
    from reformtrack.documents.ingestion import BATCH
    from reformtrack.documents.lexicons import substitutions
    from reformtrack.documents.models import Cluster, Document
    from reformtrack.documents.text.ner import mode
    from reformtrack.documents.text.segment import cut

    rng = random.Random(seed)
    spins = [(s.spun, s.clean) for s in substitutions()[0] if s.strong]
    bases = base_texts()
    corpus = [mutate(rng.choice(bases), rng, n, spins) for n in range(count)]
    characters = sum(len(t) for t in corpus)

    cut(corpus[0])  # jieba's dictionary loads once, outside both timings
    start = time.perf_counter()
    alias_index.current()  # built once per state of the tree, outside the per-document path
    index_seconds = time.perf_counter() - start
    services.ingest(user=None, data="warm-up 预热".encode(), filename="warm-up.txt")
    split = _CpuSplit()
    from reformtrack.documents.text.lac_batch import cache_stats

    reused_before = dict(cache_stats)
    from django.db import connection

    statements = _Statements()
    connection.ensure_connection()
    connection.execute_wrappers.append(statements)  # for the rest of the row
    server, server_before = 0.0, server_cpu()

    jieba, pipeline, cpu_jieba, cpu_pipeline, per_batch = 0.0, 0.0, 0.0, 0.0, []
    for first in range(0, count, BATCH):
        texts = corpus[first : first + BATCH]
        wall, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            cut(text)
        jieba += time.perf_counter() - wall
        cpu_jieba += time.process_time() - cpu
        files = [(t.encode("utf-8"), f"doc-{first + i}.txt") for i, t in enumerate(texts)]
        before = server_cpu() if server_before is not None else None
        statements.on = True
        wall, cpu = time.perf_counter(), time.process_time()
        done = list(services.ingest_many(user=None, files=files))
        seconds = time.perf_counter() - wall
        pipeline += seconds
        cpu_pipeline += time.process_time() - cpu
        statements.on = False
        if before is not None:
            server += server_cpu() - before
        assert all(r.created for r in done), [r.error for r in done if not r.created][:3]
        per_batch.append((len(texts), seconds))

    tenth = max(1, len(per_batch) // 10)
    found, ran = (cache_stats[k] - reused_before[k] for k in ("found", "run"))

    def rate(batches) -> float:
        return round(sum(n for n, _s in batches) / sum(s for _n, s in batches), 1)

    return {
        "tree": tree,
        "kept": kept,
        "database": vendor,
        "recogniser": mode(),  # selective, lac or jieba
        "organisations": organisations,
        "documents": count,
        "characters": characters,
        "processes": 1,
        "documents_per_second": round(count / pipeline, 1),  # one process: per core
        "jieba_documents_per_second": round(count / jieba, 1),
        "ratio": round(jieba / pipeline, 3),
        "goal_ratio": 0.5,
        "cpu_ratio": round(cpu_jieba / cpu_pipeline, 3),
        "jieba_cpu_ms_per_document": round(cpu_jieba / count * 1000, 1),
        "analysis_cpu_ms_per_document": round(split.analysis / count * 1000, 1),
        "write_cpu_ms_per_document": round(split.write / count * 1000, 1),
        "other_cpu_ms_per_document": round(
            (cpu_pipeline - split.analysis - split.write) / count * 1000, 1
        ),
        "first_tenth_documents_per_second": rate(per_batch[:tenth]),
        "last_tenth_documents_per_second": rate(per_batch[-tenth:]),
        "pipeline_seconds": round(pipeline, 2),
        "jieba_seconds": round(jieba, 2),
        "jieba_characters_per_second": round(characters / jieba),
        "tree_build_seconds": round(tree_seconds, 2),
        "alias_index_seconds": round(index_seconds, 2),
        "sentences_reused": round(found / max(1, found + ran), 3),
        "statements_per_document": round(statements.count / count, 2),
        "server_cpu_ms_per_document": (
            round(server / count * 1000, 1) if server_before is not None else None
        ),
        "cpu_ratio_with_server": round(cpu_jieba / (cpu_pipeline + server), 3),
        "spun_flagged": Document.objects.filter(spun=True).count(),
        "clusters": Cluster.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--trees", default="empty,national", help="rows: empty, national")
    parser.add_argument("--kept", default="sentences,nothing", help="rows: sentences, nothing")
    parser.add_argument("--recogniser", default="installed", choices=("jieba", "installed"))
    parser.add_argument("--row", default="", help=argparse.SUPPRESS)  # a child process
    parser.add_argument("--tree-cache", default="", help="SQLite file keeping the national tree")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    if args.row:
        row = run_row(args.row, args.count, args.seed, args.tree_cache, args.kept)
        sys.stdout.write(json.dumps(row, default=str))
        return
    rows = []
    env = dict(os.environ)
    if args.recogniser == "jieba":
        env["REFORMTRACK_NER"] = "jieba"
    for tree in args.trees.split(","):
        for kept in args.kept.split(","):
            command = [sys.executable, __file__, "--row", tree, "--count", str(args.count),
                       "--seed", str(args.seed), "--tree-cache", args.tree_cache,
                       "--kept", kept]  # fmt: skip
            out = subprocess.run(command, capture_output=True, text=True, env=env)
            if out.returncode:
                sys.exit(f"{tree} row ({kept} kept) failed:\n{out.stderr}")
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    write(
        {
            "benchmark": "documents-ingest",
            "database": rows[0]["database"] if rows else "",
            "rows": rows,
            "meets_goal": all(r["ratio"] >= r["goal_ratio"] for r in rows),
        },
        args.out or None,
    )


if __name__ == "__main__":
    main()

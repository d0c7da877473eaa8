"""A small .xlsx declaring millions of cells must be refused before parsing: time to refusal
against the least any check reads (the file's zip directory), at several sizes.

    python benchmarks/bench_xlsx_bomb.py [--rows 20000,200000] [--columns 50] [--large]
                                         [--contrast] [--repeat 20] [--out FILE]

Each file holds rows × columns cells packed tight (tests/xlsx_bomb.py; 200,000 × 50 is the
issue's file). The ledger import the command line and the web job call (`LedgerImporter.run`,
as a dry run, on the demo's largest programme, inside a transaction rolled back) is timed from
the open file to its answer, in this process (no command start-up), with the Python memory
it allocated at its peak; the baseline is listing the zip's members (`zipfile.infolist`),
timed in the same run (the best of `--repeat` runs of each: figures of a few milliseconds on a
shared machine). Refused before parsing: every error names the file, not a row (a
refusal while streaming names the row it reached). `--large` adds a 1,000,000-row file;
`--contrast` also times openpyxl's read-only iteration up to the old 50,000-row limit (what
reading "whole before the limit" cost). Prints JSON; `row` holds the issue's table row.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
from benchmarks.common import largest_programme, open_seed, rolled_back, timed, write  # noqa: E402

ISSUE_ROWS = 200_000
OLD_LIMIT = 50_000


def refusal(path: Path, programme) -> dict:
    """The import's answer for the file (a dry run): errors, and whether any names a row."""
    from reformtrack.programs.importers import LedgerImporter

    importer = LedgerImporter(user=None, programme=programme)
    with path.open("rb") as handle:
        result = importer.run(handle, dry_run=True)
    errors = list(result.errors)
    return {
        "refused": bool(errors),
        "before_parsing": bool(errors) and all(e.row is None for e in errors),
        "message": errors[0].message if errors else "",
    }


def in_ms(times: dict) -> dict:
    """`common.timed`'s seconds (to the microsecond) as milliseconds."""
    return {"median": round(times["median_s"] * 1000, 3), "best": round(times["best_s"] * 1000, 3)}


def peak_mb(func) -> float:
    """Peak Python memory `func` allocated, in MB."""
    tracemalloc.start()
    try:
        func()
        return round(tracemalloc.get_traced_memory()[1] / 2**20, 3)
    finally:
        tracemalloc.stop()


def openpyxl_rows(path: Path, limit: int) -> int:
    """openpyxl read-only iteration up to `limit` rows (what the old import read first)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        seen = 0
        for _row in book.worksheets[0].iter_rows(values_only=True):
            seen += 1
            if seen >= limit:
                break
        return seen
    finally:
        book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default=f"20000,{ISSUE_ROWS}", help="rows of each file")
    parser.add_argument("--columns", type=int, default=50)
    parser.add_argument("--large", action="store_true", help="add a 1,000,000-row file")
    parser.add_argument("--contrast", action="store_true", help="time openpyxl to 50,000 rows")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out")
    args = parser.parse_args()
    sizes = [int(n) for n in args.rows.split(",")] + ([1_000_000] if args.large else [])
    meta = open_seed(None)
    from tests.xlsx_bomb import bomb

    folder = Path(tempfile.mkdtemp(prefix="reformtrack-bench-bomb-"))
    programme = largest_programme()
    files = {}
    with rolled_back():
        for rows in sizes:
            path = folder / f"bomb-{rows}.xlsx"
            start = time.perf_counter()
            path.write_bytes(bomb(rows, args.columns))
            built_s = round(time.perf_counter() - start, 1)
            answer = refusal(path, programme)
            product = in_ms(timed(lambda p=path: refusal(p, programme), repeat=args.repeat))
            listing = timed(lambda p=path: zipfile.ZipFile(p).infolist(), repeat=args.repeat)
            baseline = in_ms(listing)
            one = {
                "rows": rows,
                "columns": args.columns,
                "file_bytes": path.stat().st_size,
                "built_s_not_counted": built_s,
                **answer,
                "refusal_ms": product,
                "zip_directory_ms": baseline,
                "ratio": round(product["best"] / baseline["best"], 1),
                "peak_mb": peak_mb(lambda p=path: refusal(p, programme)),
            }
            if args.contrast:
                start = time.perf_counter()
                read = openpyxl_rows(path, OLD_LIMIT)
                one["openpyxl_to_old_limit"] = {
                    "rows": read,
                    "s": round(time.perf_counter() - start, 2),
                }
            files[str(rows)] = one
    issue = files.get(str(ISSUE_ROWS)) or files[str(sizes[-1])]
    smallest, largest = files[str(min(sizes))], files[str(max(sizes))]
    row = {
        "work": f"xlsx of {issue['rows']:,} rows × {args.columns} cells, refused",
        "file_mb": round(issue["file_bytes"] / 2**20, 2),
        "refusal_ms": issue["refusal_ms"]["best"],
        "zip_directory_ms": issue["zip_directory_ms"]["best"],
        "ratio": issue["ratio"],
        "peak_mb": issue["peak_mb"],
        "refused_before_parsing": all(f["before_parsing"] for f in files.values()),
        "refusal_ms_largest_over_smallest": round(
            largest["refusal_ms"]["best"] / smallest["refusal_ms"]["best"], 2
        ),
        "message": issue["message"],
        "goal": "refused before parsing",
    }
    row["met"] = row["refused_before_parsing"]
    write(
        {
            "benchmark": "xlsx_bomb",
            "database": meta["database"],
            "files": files,
            "row": row,
        },
        args.out,
    )


if __name__ == "__main__":
    main()

"""The ledger's Excel import through the command-line path against raw openpyxl reading the same
file (the baseline: read-only iteration of every row), the ratio measured in the same run.

    python benchmarks/bench_ledger_import.py [--rows 2000] [--out FILE]

Seeds one programme launched from a supervisor to a group with ten subsidiaries and N ledger
tasks, exports the ledger as the product does, then times, each against the baseline:

- `dry_run`: `reformtrack ledger import FILE --dry-run --json` of the unchanged export (every row
  read, checked in batches and compared; nothing written);
- `round_trip`: the same without --dry-run (the re-import of an unchanged export);
- `progress_1pct`: 1% of the rows with changed progress, imported by the group's reform office
  (each becomes a progress report submitted into the approval chain);
- `create`: N rows marked 新增 (with no progress) imported by the launching organisation: new
  tasks written in bulk, each with its audit record.

Wall and CPU time of each (the machine may be shared: CPU time is the steadier figure), and the
peak resident memory of the process. `--rows 100000` gives the national figure (the
aim: ≤ 2× the baseline, < 500 MB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
from benchmarks.common import setup_django, write  # noqa: E402

LIBRARY = """
library: {code: BENCHIMP, kind: programme, version: 1, name_zh: 导入测试, name_en: Import bench}
programme:
  period_start: 2024-01-01
  period_end: 2027-12-31
  areas:
    - code: A1
      name_zh: 治理
      name_en: Governance
      tasks:
        - {code: T-1, title_zh: 方案, title_en: Plan, kind: one_off, deadline: 2027-06-30,
           applies_to: {kinds: [group]}}
"""


def seed(rows: int) -> dict:
    from reformtrack.core.libraries import install_library
    from reformtrack.core.services.users import create_user
    from reformtrack.orgs.services import create_organisation, grant_role
    from reformtrack.programs.models import LedgerTask, Programme
    from reformtrack.programs.services.programmes import launch_programme

    root = create_organisation(user=None, parent=None, code="SUP", name_zh="国资委",
                               kind="supervisor")  # fmt: skip
    group = create_organisation(user=None, parent=root, code="GRP", name_zh="集团", kind="group",
                                uscc="91110000000000001H")  # fmt: skip
    subs = [
        create_organisation(
            user=None, parent=group, code=f"SUB-{n}", name_zh=f"子公司{n}", kind="subsidiary"
        )  # fmt: skip
        for n in range(10)
    ]
    install_library(LIBRARY)
    programme = Programme.objects.get(code="BENCHIMP")
    launch_programme(user=None, programme=programme, organisation=root)
    area = programme.areas.get()
    LedgerTask.objects.bulk_create(
        (
            LedgerTask(
                programme=programme,
                area=area,
                organisation=org,
                org_path=org.path,
                code=f"B-{n:06}",
                title=f"改革任务{n}",
                measure="具体举措" * 5,
                department="改革办",
                owner="张三",
                deadline=dt.date(2027, 6, 30),
                deliverable="制度文件",
                kind="one_off",
                status="in_progress",
                percent=Decimal(n % 90),
                progress=f"第{n}项进展情况" * 3,
            )  # fmt: skip
            for n, org in ((n, subs[n % len(subs)]) for n in range(rows))
        ),
        batch_size=2000,
    )
    launcher = create_user(username="bench_launcher", password="Bench-Import-2026!")
    grant_role(user=launcher, organisation=root, role="supervisor_admin")
    office = create_user(username="bench_office", password="Bench-Import-2026!")
    grant_role(user=office, organisation=group, role="reform_office")
    return {"programme": programme}


def baseline(path: Path) -> int:
    """Raw openpyxl: every row of the first sheet in read-only mode, values only."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _row in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return count


def product(path: Path, *args: str) -> dict:
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("ledger", "import", str(path), "--program", "BENCHIMP", "--json", *args,
                 stdout=out, stderr=io.StringIO())  # fmt: skip
    result = json.loads(out.getvalue())
    result.pop("changes", None)
    return result


def edited(data: bytes, change) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    change(wb.active)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def clock(func) -> tuple[float, object]:
    start = time.perf_counter()
    value = func()
    return round(time.perf_counter() - start, 3), value


def cpu(func) -> tuple[float, object]:
    start = time.process_time()
    value = func()
    return round(time.process_time() - start, 3), value


def compare(name: str, path: Path, run, results: dict) -> None:
    base_cpu, (base_s, count) = cpu(lambda: clock(lambda: baseline(path)))
    product_cpu, (product_s, outcome) = cpu(lambda: clock(run))
    results[name] = {
        "rows_in_file": count - 1,
        "product_s": product_s,
        "baseline_openpyxl_s": base_s,
        "ratio": round(product_s / base_s, 2) if base_s else None,
        "product_cpu_s": product_cpu,
        "baseline_cpu_s": base_cpu,
        "cpu_ratio": round(product_cpu / base_cpu, 2) if base_cpu else None,
        "counts": {k: v for k, v in outcome.items() if k != "errors"},
        "errors": len(outcome.get("errors", [])),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--out")
    args = parser.parse_args()
    vendor = setup_django()
    from django.db import connection

    from reformtrack.programs.exporters import headers, ledger_xlsx

    seeded = seed(args.rows)
    programme = seeded["programme"]
    folder = Path(tempfile.mkdtemp(prefix="reformtrack-bench-import-"))
    export_s, data = clock(lambda: ledger_xlsx(user=None, programme=programme))
    export = folder / "export.xlsx"
    export.write_bytes(data)
    results: dict = {
        "database": vendor,
        "rows": args.rows,
        "file_bytes": len(data),
        "export_s": export_s,
    }
    compare("dry_run", export, lambda: product(export, "--user", "bench_office", "--dry-run"),
            results)  # fmt: skip
    compare("round_trip", export, lambda: product(export, "--user", "bench_office"), results)

    zh = headers("zh")
    status_col = zh.index("完成状态") + 1
    step = 100

    def progress_change(ws):
        for number in range(2, ws.max_row + 1, step):
            ws.cell(row=number, column=status_col).value = "已完成"

    changed = folder / "progress.xlsx"
    changed.write_bytes(edited(data, progress_change))
    compare("progress_1pct", changed, lambda: product(changed, "--user", "bench_office"), results)

    code_col, new_col = zh.index("任务编号") + 1, zh.index("新增") + 1
    version_col = zh.index("版本") + 1

    blank = [zh.index(name) + 1 for name in ("完成状态", "完成百分比", "进展情况")]

    def as_new(ws):
        for number in range(2, ws.max_row + 1):
            ws.cell(row=number, column=code_col).value = f"N-{number:06}"
            ws.cell(row=number, column=new_col).value = "是"
            ws.cell(row=number, column=version_col).value = None
            for column in blank:  # plan only: progress of new tasks would be reports
                ws.cell(row=number, column=column).value = None

    fresh = folder / "new.xlsx"
    fresh.write_bytes(edited(data, as_new))
    compare("create", fresh, lambda: product(fresh, "--user", "bench_launcher"), results)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    results["aim"] = "import of N rows ≤ 2× raw openpyxl read-only iteration; < 500 MB"
    connection.close()
    write(results, args.out)


if __name__ == "__main__":
    main()

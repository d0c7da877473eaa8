"""`reformtrack library load PATH… | list`: versioned YAML libraries (programmes, …)."""

from pathlib import Path

from django.conf import settings

from reformtrack.core.libraries import LibraryError, install_library, is_library
from reformtrack.core.management.base import CommandError, ReformtrackCommand
from reformtrack.core.models import Library


class Command(ReformtrackCommand):
    help = "Libraries: 'load PATH…' (files or folders of YAML; 'shipped': ours) or 'list'."
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        load = sub.add_parser("load", help="load library files (all or nothing per file)")
        load.add_argument("paths", nargs="+", help="YAML files or folders; 'shipped' for ours")
        load.add_argument("--json", action="store_true", help="machine-readable output")
        listing = sub.add_parser("list", help="what is loaded: code, kind, version, name")
        listing.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, sub, **options):
        if sub == "list":
            return self.listing(options["json"])
        files = self.files(options["paths"])
        results, failed = [], False
        for path in self.progress_iter(files, options["json"]):
            try:
                library, outcome = install_library(
                    path.read_text(encoding="utf-8"), origin=str(path)
                )
                results.append(
                    {"file": str(path), "code": library.code, "version": library.version,
                     "outcome": outcome}
                )  # fmt: skip
            except LibraryError as exc:
                failed = True
                results.append({"file": str(path), "outcome": "refused", "errors": exc.errors})
        if options["json"]:
            self.emit_json(results)
        else:
            for r in results:
                if r["outcome"] == "refused":
                    self.stderr.write(f"{r['file']}: refused")
                    for e in r["errors"]:
                        line = f"line {e['line']}" if e["line"] else "-"
                        self.stderr.write(f"  {line:<10} {e['field']}: {e['message']}")
                else:
                    self.stdout.write(f"{r['code']} v{r['version']}: {r['outcome']}")
        if failed:
            raise CommandError("Some libraries were refused; nothing of them was loaded.")

    def progress_iter(self, files, json_mode):
        bar = self.progress(len(files), "libraries", json_mode)
        for path in files:
            yield path
            bar.update()
        bar.close()

    def files(self, paths) -> list[Path]:
        found = []
        for raw in paths:
            if raw == "shipped":
                shipped = sorted(settings.REFORMTRACK_LIBRARY_DIR.rglob("*.yaml"))
                found.extend(p for p in shipped if is_library(p.read_text(encoding="utf-8")))
                continue
            path = Path(raw)
            if path.is_dir():
                found.extend(sorted(path.rglob("*.yaml")))
            elif path.is_file():
                found.append(path)
            else:
                raise CommandError(f"No such file or folder: {raw}")
        return found

    def listing(self, as_json):
        rows = [
            {"code": lib.code, "kind": lib.kind, "version": lib.version, "name_zh": lib.name_zh,
             "name_en": lib.name_en, "loaded_at": lib.loaded_at}
            for lib in Library.objects.all()
        ]  # fmt: skip
        if as_json:
            self.emit_json(rows)
            return
        for r in rows:
            self.stdout.write(f"{r['code']:<12} {r['kind']:<10} v{r['version']:<4} {r['name_zh']}")

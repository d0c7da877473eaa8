"""`reformtrack ledger import|export|template`: the ledger (台账) in Excel from the command line."""

from contextlib import nullcontext
from pathlib import Path

from reformtrack.core.context import Actor, acting
from reformtrack.core.management.base import CommandError, ReformtrackCommand
from reformtrack.core.scoping import Action
from reformtrack.orgs.models import Organisation

from ...exporters import ledger_xlsx, template_xlsx
from ...importers import LedgerImporter
from ...models import Programme


def pad(text: str, width: int = 18) -> str:
    """Left-aligned in a column of `width`, counting Chinese characters as two."""
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(width - shown, 0)


class Command(ReformtrackCommand):
    help = (
        "Ledger files: 'import FILE --program CODE [--org CODE] [--dry-run] [--json]', "
        "'export --program CODE --org CODE -o FILE' or 'template --program CODE -o FILE'."
    )
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        load = sub.add_parser("import", help="import a ledger file (all rows or none)")
        load.add_argument("file", help="an .xlsx file in the ledger layout")
        load.add_argument("--program", required=True, help="programme code")
        load.add_argument("--org", help="only rows of this organisation's subtree")
        load.add_argument("--user", help="act as this user, within their 'change' scope")
        load.add_argument(
            "--dry-run", action="store_true", help="print the preview (old → new), write nothing"
        )
        load.add_argument("--json", action="store_true", help="machine-readable output")
        export = sub.add_parser("export", help="write a ledger file")
        export.add_argument("--program", required=True, help="programme code")
        export.add_argument("--org", required=True, help="organisation code (its subtree)")
        export.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
        export.add_argument("--user", help="only what this user may see")
        export.add_argument("--lang", choices=["zh", "en"], default="zh", help="header language")
        blank = sub.add_parser("template", help="write a blank ledger file")
        blank.add_argument("--program", required=True, help="programme code")
        blank.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
        blank.add_argument("--lang", choices=["zh", "en"], default="zh", help="header language")

    def handle(self, *args, sub, **options):
        programme = Programme.objects.filter(code=options["program"].upper()).first()
        if programme is None:
            raise CommandError(f"No programme has the code {options['program']}.")
        if sub == "template":
            self.write_file(options["output"], template_xlsx(programme=programme,
                                                             language=options["lang"]))  # fmt: skip
            return
        user = self.acting_user(options.get("user"))
        action = Action.CHANGE if sub == "import" else Action.VIEW
        root = self.organisation(options.get("org"), user, action)
        actor = acting(Actor(fixed_user=user)) if user is not None else nullcontext()
        with actor:
            if sub == "import":
                return self.load(programme, root, user, options)
            data = ledger_xlsx(
                user=user,
                programme=programme,
                root=root,
                language=options["lang"],
                progress=self.bar(json_mode=False),
            )
        self.write_file(options["output"], data)

    def load(self, programme, root, user, options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        importer = LedgerImporter(
            user=user, programme=programme, root=root, progress=self.bar(options["json"])
        )
        with path.open("rb") as handle:
            result = importer.run(handle, dry_run=options["dry_run"])
        if options["json"]:
            self.emit_json(result.as_dict())
        else:
            self.print_preview(result, full=options["dry_run"])
        if result.errors:
            raise CommandError(f"{len(result.errors)} problem(s) in {path}; nothing was written.")

    def print_preview(self, result, *, full: bool) -> None:
        """Each row that changes something, old → new (all of them on a dry run; conflicts
        always), then every error, then a one-line summary."""
        for item in result.rows if full else result.conflict_rows:
            goes = {"new": "new task", "conflict": "CONFLICT, not applied"}.get(item["kind"])
            if goes is None:
                goes = " + ".join(
                    name for name, on in (("plan", item["plan"]), ("report", item["report"])) if on
                )
            self.stdout.write(f"  {item['row']:>6}  {pad(item['code'], 22)} {goes}")
            for change in item["changes"]:
                self.stdout.write(
                    f"          {pad(change['column'])} {change['old'] or '-'} → "
                    f"{change['new'] or '-'}"
                )
            if item["note"]:
                self.stdout.write(f"          {item['note']}")
        if result.errors:
            self.stderr.write(f"refused, {len(result.errors)} problem(s); nothing written")
            self.stderr.write(f"  {'row':>6}  {pad('column')} reason")
            for e in result.errors:
                row = "-" if e.row is None else str(e.row)
                self.stderr.write(f"  {row:>6}  {pad(e.column or '-')} {e.message}")
            return
        counts = result.counts
        note = " (dry run: nothing written)" if result.dry_run else ""
        self.stdout.write(
            f"{counts['created']} created, {counts['plan_changes']} plan changes, "
            f"{counts['reports']} progress reports submitted for approval, "
            f"{counts['conflicts']} conflicts not applied, {counts['unchanged']} unchanged{note}"
        )

    def organisation(self, code, user, action):
        if not code:
            return None
        orgs = Organisation.objects.all()
        if user is not None:
            orgs = orgs.visible_to(user, action)
        org = orgs.filter(code=code.upper()).first()
        if org is None:
            raise CommandError(f"No organisation has the code {code}.")
        return org

    def bar(self, json_mode: bool):
        """The importer's and exporter's progress hook, drawn with tqdm on a terminal."""

        def progress(iterable, total=None, desc=""):
            bar = self.progress(total, desc, json_mode)
            try:
                for item in iterable:
                    yield item
                    bar.update()
            finally:
                bar.close()

        return progress

    def write_file(self, output: str, data: bytes) -> None:
        path = Path(output)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}") from exc
        self.stdout.write(f"{path}: {len(data)} bytes")

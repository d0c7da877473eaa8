"""`reformtrack kpi compute --org CODE --year Y [--period P] [--json]` prints the KPI values with
the inputs used; `reformtrack kpi import FILE [--dry-run] [--json]` loads statements."""

from decimal import Decimal

from reformtrack.core.management.base import CommandError, ReformtrackCommand
from reformtrack.orgs.models import Organisation

from ...engine import compute
from ...importers import StatementImporter
from ...models import StatementLine
from ...units import period_label, period_months


class Command(ReformtrackCommand):
    help = "KPIs: 'compute --org CODE --year Y [--period P] [--annualise] [--json]', 'import FILE'."
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        comp = sub.add_parser("compute", help="KPI values of an organisation for a year")
        comp.add_argument("--org", required=True, help="organisation code")
        comp.add_argument("--year", required=True, type=int)
        comp.add_argument("--period", default="Y", help="Y, Q1–Q4 or M01–M12 (year to date)")
        comp.add_argument("--annualise", action="store_true", help="annualise a YTD period")
        comp.add_argument("--json", action="store_true", help="machine-readable output")
        load = sub.add_parser("import", help="load statements from an .xlsx file")
        load.add_argument("file")
        load.add_argument("--user", help="act as this user, within their 'change' scope")
        load.add_argument("--dry-run", action="store_true", help="validate and count only")
        load.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, sub, **options):
        if sub == "compute":
            return self.compute(options)
        return self.load(options)

    def compute(self, options):
        org = Organisation.objects.filter(code=options["org"].upper()).first()
        if org is None:
            raise CommandError(f"No organisation has the code {options['org']}.")
        period = options["period"].upper()
        try:
            period_months(period)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        result = compute(org, year=options["year"], period=period, annualised=options["annualise"])
        data = {
            "organisation": org.code, "year": result.year, "period": result.period,
            "period_label": period_label(result.period),
            "kpiset": result.kpiset.code if result.kpiset else None, "basis": result.basis,
            "annualised": result.annualised, "aggregated_from": result.aggregated_from,
            "message": result.message, "derived": result.derived,
            "values": [
                {"code": v.code, "name": v.name, "value": v.value, "unit": v.unit,
                 "formula": v.formula, "reason": v.reason, "inputs": v.inputs}
                for v in result.values
            ],
        }  # fmt: skip
        if options["json"]:
            self.emit_json(data)
            return
        head = f"{org.code} {org.name} · {result.year} {data['period_label']}"
        self.stdout.write(f"{head} · {data['kpiset'] or '-'} · {result.basis or '-'}")
        if result.message:
            self.stdout.write(result.message)
        if result.annualised:
            self.stdout.write(f"annualised (×12/{result.months})")
        if result.aggregated_from:
            self.stdout.write("aggregated from: " + ", ".join(result.aggregated_from))
        lines = {line.code: line for line in StatementLine.objects.all()}
        for code, origin in result.derived.items():
            self.stdout.write(f"{lines[code].name if code in lines else code} ← {origin}")
        lines = {line.code: line for line in StatementLine.objects.all()}
        for v in result.values:
            shown = f"{v.value} {v.unit}" if v.value is not None else v.reason
            self.stdout.write(f"{v.code:<22}{v.name}  {shown}")
            for code, value in v.inputs.items():
                self.stdout.write(f"    {_input(lines.get(code), code, value)}")

    def load(self, options):
        user = self.acting_user(options.get("user"))
        with self.progress(None, "statements", options["json"]) as bar:

            def progress(iterable, total=None, desc=""):
                bar.total = total
                for item in iterable:
                    bar.update(1)
                    yield item

            importer = StatementImporter(user=user, progress=progress)
            result = importer.run(options["file"], dry_run=options["dry_run"])
        if options["json"]:
            data = {**result.as_dict(), "dry_run": result.dry_run, "warnings": importer.warnings}
            self.emit_json(data)
        elif result.errors:
            for e in result.errors:
                self.stderr.write(f"row {e.row or '-'} · {e.column or '-'}: {e.message}")
        else:
            for warning in importer.warnings:
                self.stderr.write(f"warning: {warning}")
            self.stdout.write(f"{result.counts['statements']} statement(s) loaded")
        if result.errors:
            raise CommandError(f"{len(result.errors)} error(s); nothing was written.")


def _input(line, code: str, value) -> str:
    """营业收入 (revenue) = 603,200,000,000.00 元: lines are stored in 元, counts in 人."""
    if value is None:
        return f"{line.name if line else code} ({code}) = -"
    unit = "人" if line is not None and line.kind == "count" else "元"
    name = line.name if line else code
    return f"{name} ({code}) = {Decimal(value):,f} {unit}"
